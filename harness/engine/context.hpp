// The state of one running case: the target instances, the harness's sockets, the transcript,
// and the template values; split into what the whole case shares (CaseEnv) and what one client
// of a `parallel` step owns (Scope).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>

#include "harness/engine/peers.hpp"
#include "harness/engine/transcript.hpp"
#include "harness/scenario/model.hpp"
#include "harness/target/instance.hpp"
#include "harness/target/observe.hpp"

namespace sockspec::engine {

class ClientBarrier;

// The case as the runner planned it.
struct CaseSpec {
  const scenario::Scenario* scenario = nullptr;
  const target::Profile* profile = nullptr;  // what to start (server or client program)
  std::optional<net::Endpoint> connect{};    // --connect: a server already running, not started
  scenario::Family family = scenario::Family::ipv4;
  std::string bindir;  // {bindir}
};

// The target as reports name it: the profile's name, or "connect 127.0.0.1:7".
[[nodiscard]] std::string target_label(const CaseSpec& spec);

struct CaseEnv {
  CaseEnv(const CaseSpec& spec_in, int stop_fd_in) : spec(spec_in), stop_fd(stop_fd_in) {}

  const CaseSpec& spec;
  const int stop_fd;          // readable once the run is interrupted
  target::LaunchVars launch;  // how the case's instances are started (port: the profile's)
  Transcript transcript;

  // Guards everything below: the clients of a `parallel` step share it.
  std::mutex mutex;
  std::map<std::string, target::Instance, std::less<>> instances;
  std::set<std::string, std::less<>> stopped;  // instances a step stopped: their end is no fault
  std::map<std::string, target::Census, std::less<>> censuses;
  std::optional<target::Instance> client;  // client role: the program under test
  scenario::TemplateVars listen_vars;      // listen.host, listen.port, listen.addr

  [[nodiscard]] scenario::Transport first_transport() const;
  [[nodiscard]] const scenario::Scenario& scenario() const { return *spec.scenario; }
};

// What one client owns: its sockets, its placeholders and its random stream (segment sizes and
// gaps), seeded so that a run is reproducible.
struct Scope {
  Scope(CaseEnv& env_in, std::string prefix_in, std::uint64_t seed_in)
      : env(env_in), prefix(std::move(prefix_in)), seed(seed_in), random(seed_in) {}

  CaseEnv& env;
  std::string prefix;  // "" or "client 3/": names endpoints in the transcript
  std::uint64_t seed;
  std::mt19937_64 random;
  scenario::TemplateVars vars;       // client, seq, seed
  ClientBarrier* barrier = nullptr;  // in a parallel block: where its clients meet (barrier.hpp)
  std::uint32_t client = 0;          // in a parallel block: this client's number
  std::map<std::string, TcpPeer, std::less<>> tcp;
  std::map<std::string, UdpPeer, std::less<>> udp;
  std::map<std::string, TcpListener, std::less<>> listeners;

  [[nodiscard]] std::string label(const std::string& endpoint) const { return prefix + endpoint; }
};

}  // namespace sockspec::engine
