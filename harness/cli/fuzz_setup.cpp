// fuzz_setup: flags to campaign, checked.
#include "harness/cli/fuzz_setup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>

#include "harness/blackbox/corpus_store.hpp"
#include "harness/blackbox/corpus_sync.hpp"
#include "harness/blackbox/protocol.hpp"
#include "harness/blackbox/seeds.hpp"
#include "harness/cli/pack.hpp"
#include "harness/scenario/units.hpp"
#include "targets/proto/service.hpp"

namespace sockspec::cli {
namespace {

using scenario::Transport;

bool has(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// A duration flag; `hours` also allows "8h" (a campaign may run overnight).
net::Result<std::chrono::milliseconds> duration(std::string_view flag, std::string_view text,
                                                bool hours) {
  if (hours && text.size() > 1 && text.back() == 'h') {
    net::Result<scenario::Duration> m =
        scenario::parse_duration(std::string(text.substr(0, text.size() - 1)) + "m");
    if (m) return std::chrono::duration_cast<std::chrono::milliseconds>(*m * 60);
  }
  net::Result<scenario::Duration> d = scenario::parse_duration(text);
  if (!d) return net::Error{fmt::format("{}: {}", flag, d.error().message)};
  return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
}

bool known_service(std::string_view name) {
  return std::find(std::begin(proto::kServiceNames), std::end(proto::kServiceNames), name) !=
         std::end(proto::kServiceNames);
}

// The profile's capabilities allow fuzzing `service` (none: its own protocol) in `mode` over
// `family`.
net::Status check_capabilities(const target::Profile& p, std::optional<std::string_view> service,
                               Transport transport, scenario::Family family) {
  const auto& caps = p.capabilities;
  if (p.role != scenario::Role::server) {
    return net::Error{fmt::format("profile '{}' is a client; fuzz needs a server", p.name)};
  }
  const std::string_view t = transport == Transport::tcp ? "tcp" : "udp";
  if (!has(caps, t)) {
    return net::Error{
        fmt::format("profile '{}' does not serve {} (needed by --mode {})", p.name, t,
                    transport == Transport::tcp ? "persistent/per-connection" : "datagram")};
  }
  const std::string_view f = family == scenario::Family::ipv6 ? "ipv6" : "ipv4";
  if ((has(caps, "ipv4") || has(caps, "ipv6")) && !has(caps, f)) {
    return net::Error{fmt::format("profile '{}' does not declare {}", p.name, f)};
  }
  const bool declares_services =
      std::any_of(std::begin(proto::kServiceNames), std::end(proto::kServiceNames),
                  [&](std::string_view s) { return has(caps, s); });
  if (service && declares_services && !has(caps, *service)) {
    return net::Error{fmt::format("profile '{}' does not offer the {} service", p.name, *service)};
  }
  return {};
}

// The inputs of corpus folder `dir`, checked. `create`: a missing folder is made (not its
// parents). Error: the folder is missing or holds a bad file.
net::Result<blackbox::FolderRead> read_corpus_dir(const std::string& dir, std::size_t max_len,
                                                  bool create, std::vector<std::string>& warnings) {
  std::error_code ec;
  if (create && !std::filesystem::exists(dir, ec) && !std::filesystem::create_directory(dir, ec)) {
    return net::Error{fmt::format("--corpus {}: cannot create it: {}", dir, ec.message())};
  }
  net::Result<blackbox::FolderRead> read = blackbox::read_corpus_folder(dir, max_len);
  if (!read) return net::Error{"--corpus " + read.error().message};
  if (!read->bad.empty()) return net::Error{"--corpus " + read->bad.front()};
  if (read->left > 0) {
    warnings.push_back(fmt::format("--corpus {}: {} more files than the {} read (by name)", dir,
                                   read->left, blackbox::kMaxCorpusFiles));
  }
  return read;
}

net::Result<target::Profile> one_profile(const FuzzOptions& o) {
  const int given = static_cast<int>(!o.target.empty()) + static_cast<int>(!o.command.empty()) +
                    static_cast<int>(!o.connect.empty());
  if (given != 1) return net::Error{"give exactly one of --target, --cmd and --connect"};
  if (!o.command.empty()) {
    // CLI11 let only a readiness name through.
    const target::Readiness ready =
        target::readiness_from_name(o.ready).value_or(target::Readiness::ready_line);
    return target::profile_from_command(o.command, ready);  // its errors start with "--cmd: "
  }
  net::Result<std::vector<target::Profile>> found = load_profiles(o.target);
  if (!found) return found.error();
  if (found->size() != 1) {
    std::string names;
    for (const target::Profile& p : *found) names += (names.empty() ? "" : ", ") + p.name;
    return net::Error{fmt::format("--target {} matches {} profiles ({}); fuzz takes one", o.target,
                                  found->size(), names)};
  }
  return std::move(found->front());
}

// --coverage afl needs a target sockspec starts: it gets the map in its environment.
net::Status check_coverage(const FuzzOptions& o) {
  if (!o.connect.empty()) {
    return net::Error{
        "--coverage afl: needs a server sockspec starts (--target or --cmd), not --connect"};
  }
  return {};
}

// Protocol mode: seeds and dictionary from the profile's requests, the probe's period; --seeds
// (not the built-in pack, which talks to services) adds the data of scenarios naming no service.
net::Status protocol_inputs(const FuzzOptions& o, blackbox::CampaignOptions& c) {
  const blackbox::Protocol& p = *c.exchange.protocol;
  c.seeds = blackbox::protocol_seeds(p, o.max_len);
  const blackbox::Dictionary tokens = blackbox::protocol_dictionary(p.requests);
  c.dictionary.entries.insert(c.dictionary.entries.begin(), tokens.entries.begin(),
                              tokens.entries.end());
  if (o.probe_every != 0) c.probe_every = o.probe_every;
  if (o.seeds.empty()) return {};
  net::Result<std::vector<scenario::Scenario>> pack = load_scenarios(o.seeds, o.data_roots);
  if (!pack) return net::Error{"--seeds: " + pack.error().message};
  blackbox::Seeds more = blackbox::seeds_from_scenarios(*pack, p.transport, "", o.max_len);
  c.seeds.insert(c.seeds.end(), more.inputs.begin(), more.inputs.end());
  return {};
}

}  // namespace

net::Result<FuzzSetup> fuzz_setup(const FuzzOptions& o) {
  FuzzSetup s;
  blackbox::CampaignOptions& c = s.campaign;
  const std::string service = o.service.empty() ? "echo" : o.service;
  if (!known_service(service)) {
    return net::Error{fmt::format(
        "--service {}: unknown; expected echo, discard, daytime, chargen or line", service)};
  }
  c.exchange.service = service;
  c.exchange.mode = o.mode == "datagram"         ? blackbox::Mode::datagram
                    : o.mode == "per-connection" ? blackbox::Mode::per_connection
                                                 : blackbox::Mode::persistent;
  const Transport transport =
      c.exchange.mode == blackbox::Mode::datagram ? Transport::udp : Transport::tcp;
  c.family = o.family == "ipv6" ? scenario::Family::ipv6 : scenario::Family::ipv4;
  net::Result<std::chrono::milliseconds> time = duration("--time", o.time, true);
  if (!time) return time.error();
  net::Result<std::chrono::milliseconds> reply =
      duration("--reply-timeout", o.reply_timeout, false);
  if (!reply) return reply.error();
  if (reply->count() <= 0) return net::Error{"--reply-timeout: must be more than 0"};
  net::Result<std::chrono::milliseconds> minimise =
      duration("--minimise-time", o.minimise_time, false);
  if (!minimise) return minimise.error();
  c.duration = *time;
  c.exchange.reply_timeout = *reply;
  c.exchange.connect_timeout = std::max(*reply, std::chrono::milliseconds(1000));
  c.minimise_time = *minimise;
  c.max_runs = o.runs;
  c.max_len = o.max_len;
  c.keep_going = o.keep_going;
  c.max_findings = o.max_findings;
  c.out_dir = o.out;
  if (o.seed.empty()) {
    c.seed = std::random_device{}();
  } else {
    std::istringstream in(o.seed);
    if (!(in >> c.seed) || !in.eof()) {
      return net::Error{fmt::format("--seed {}: expected a whole number", o.seed)};
    }
  }

  s.target.transport = transport;
  s.target.family = c.family;
  if (!o.connect.empty() && o.target.empty() && o.command.empty()) {
    net::Result<net::Endpoint> e = net::Endpoint::parse(o.connect);
    if (!e) return net::Error{"--connect: " + e.error().message};
    s.target.connect = *e;
    s.target.family = e->is_ipv6() ? scenario::Family::ipv6 : scenario::Family::ipv4;
    c.family = s.target.family;
    s.info.target = "connect " + e->to_string();
  } else {
    net::Result<target::Profile> p = one_profile(o);
    if (!p) return p.error();
    // A profile that declares exchanges is fuzzed in its own protocol unless --service is given.
    const bool own_protocol = o.service.empty() && !p->exchanges.empty();
    if (net::Status ok = check_capabilities(
            *p, own_protocol ? std::nullopt : std::optional<std::string_view>(service), transport,
            c.family);
        !ok)
      return ok.error();
    if (own_protocol) {
      net::Result<blackbox::Protocol> protocol = blackbox::make_protocol(*p, transport);
      if (!protocol) {
        return net::Error{
            fmt::format("{} (needed by --mode {}); --service fuzzes a service instead",
                        protocol.error().message, o.mode)};
      }
      c.exchange.protocol = std::make_shared<const blackbox::Protocol>(std::move(protocol).value());
    }
    s.info.target = o.command.empty() ? p->name : o.command;
    s.target.vars.bindir = bindir();
    // In its own protocol a profile runs the service its exchanges name (line, for the
    // reference servers).
    s.target.vars.service = own_protocol ? p->exchanges.service.value_or(service) : service;
    s.target.vars.transports = {transport};
    s.target.vars.family = c.family;
    s.target.profile = std::move(p).value();
  }

  for (const std::string& path : o.dicts) {
    net::Result<blackbox::Dictionary> d = blackbox::load_dictionary(path);
    if (!d) return net::Error{"--dict: " + d.error().message};
    c.dictionary.entries.insert(c.dictionary.entries.end(), d->entries.begin(), d->entries.end());
  }
  if (c.exchange.protocol) {
    if (net::Status ok = protocol_inputs(o, c); !ok) return ok.error();
  } else if (o.probe_every != 0) {
    return net::Error{
        "--probe-every: only for a server fuzzed in its own protocol (--target with a profile "
        "that declares exchanges, no --service)"};
  } else if (!o.seeds.empty() || !o.no_pack_seeds) {
    net::Result<std::vector<scenario::Scenario>> pack = load_scenarios(o.seeds, o.data_roots);
    if (!pack) return net::Error{"--seeds: " + pack.error().message};
    blackbox::Seeds seeds = blackbox::seeds_from_scenarios(*pack, transport, service, o.max_len);
    c.seeds = std::move(seeds.inputs);
    c.dictionary.entries.insert(c.dictionary.entries.end(), seeds.tokens.entries.begin(),
                                seeds.tokens.entries.end());
  }
  for (const std::string& dir : o.corpus) {
    const bool first = &dir == &o.corpus.front();  // written: created when missing
    net::Result<blackbox::FolderRead> read = read_corpus_dir(dir, o.max_len, first, s.warnings);
    if (!read) return read.error();
    if (first) {  // run first, as sequences: the campaign resumes with what it measures as new
      c.corpus_folder.dir = dir;
      c.corpus_folder.known = std::move(read->names);
      c.corpus_folder.resume = std::move(read->inputs);
      continue;
    }
    for (const blackbox::Messages& input : read->inputs) {  // the others: seeds, joined
      c.seeds.push_back(blackbox::joined(input).substr(0, o.max_len));
    }
  }
  net::Result<std::chrono::milliseconds> progress = duration("--progress", o.progress, false);
  if (!progress) return progress.error();
  if (progress->count() <= 0) return net::Error{"--progress: must be more than 0"};
  c.progress_every = *progress;
  s.jobs = o.jobs;
  if (!o.coverage.empty()) {
    if (net::Status ok = check_coverage(o); !ok) return ok.error();
    net::Result<std::size_t> size = blackbox::afl_map_size(std::getenv("AFL_MAP_SIZE"));
    if (!size) return size.error();
    c.coverage_map_size = *size;
  }
  s.info.service = c.exchange.protocol ? std::string(kProtocolService) : service;
  s.info.mode = c.exchange.mode;
  s.info.family = c.family;
  s.info.seed = c.seed;
  return s;
}

}  // namespace sockspec::cli
