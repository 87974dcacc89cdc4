// A finding's id, its replay scenario (built from the reference model) and its YAML file.
#include "harness/blackbox/finding.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "harness/blackbox/replay_steps.hpp"
#include "harness/scenario/loader.hpp"

namespace sockspec::blackbox {
namespace {

using scenario::Transport;

struct ServiceInfo {
  std::string_view name;
  std::string_view requirement;
};
constexpr ServiceInfo kServiceInfo[] = {{"echo", "SVC-1"},
                                        {"discard", "SVC-2"},
                                        {"daytime", "SVC-3"},
                                        {"chargen", "SVC-4"},
                                        {"line", "SVC-5"}};

const ServiceInfo* service_info(std::string_view name) {
  for (const ServiceInfo& s : kServiceInfo) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// FNV-1a, 32 bits: small, stable across platforms and releases.
void fnv1a(std::uint32_t& h, std::string_view bytes) {
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619U;
  }
}

// A name usable in a scenario id: lower-case letters, digits, '-'.
std::string id_part(std::string_view name) {
  std::string out;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    out.push_back(ok ? c : (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : '-');
  }
  return out.empty() ? std::string("service") : out;
}

// One comment line's text: printable ASCII only (YAML comments are text).
std::string comment_text(std::string_view line) {
  std::string out;
  for (const char c : line) {
    if ((c >= 0x20 && c < 0x7f) || c == '\t') {
      out.push_back(c);
    } else {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

void comment_lines(std::string& out, std::string_view text, std::string_view indent) {
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    out += fmt::format("# {}{}\n", indent, comment_text(text.substr(0, nl)));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

}  // namespace

std::string_view mode_name(Mode m) {
  switch (m) {
    case Mode::persistent:
      return "persistent";
    case Mode::per_connection:
      return "per-connection";
    case Mode::datagram:
      return "datagram";
  }
  return "persistent";
}

std::string_view kind_name(FindingKind k) {
  switch (k) {
    case FindingKind::died:
      return "died";
    case FindingKind::hang:
      return "hang";
    case FindingKind::oracle:
      return "oracle";
    case FindingKind::unresponsive:
      return "unresponsive";
  }
  return "died";
}

std::string finding_id(const Finding& f) {
  std::uint32_t h = 2166136261U;
  for (const std::string_view part :
       {kind_name(f.kind), std::string_view(f.service), mode_name(f.mode)}) {
    fnv1a(h, part);
    fnv1a(h, std::string_view("\0", 1));
  }
  for (const std::string& m : f.messages) {
    fnv1a(h, std::to_string(m.size()));  // "ab","c" and "a","bc" differ
    fnv1a(h, std::string_view(":", 1));
    fnv1a(h, m);
  }
  return fmt::format("fuzz/{}-{}-{:08x}", id_part(f.service), kind_name(f.kind), h);
}

scenario::Scenario finding_scenario(const Finding& f) {
  const Transport transport = f.mode == Mode::datagram ? Transport::udp : Transport::tcp;
  scenario::Scenario s;
  s.id = finding_id(f);
  const std::string_view verb = f.kind == FindingKind::died   ? "die"
                                : f.kind == FindingKind::hang ? "hang"
                                : f.kind == FindingKind::unresponsive
                                    ? "stop answering its protocol"
                                    : "answer wrongly";
  s.summary = fmt::format("replays {} message{} that made the {} {} {} ({}): {}", f.messages.size(),
                          f.messages.size() == 1 ? "" : "s", comment_text(f.service),
                          f.protocol ? "server" : "target", verb, mode_name(f.mode),
                          f.protocol ? "it must keep answering its own protocol"
                                     : "it must answer as the model does and keep serving");
  // In its own protocol, the server is checked through the profile's exchanges only.
  const ServiceInfo* info = f.protocol ? nullptr : service_info(f.service);
  // A service the pack does not know still has a transport requirement to be tested against.
  s.requirements.emplace_back(info ? info->requirement
                                   : (transport == Transport::tcp ? "ACC-2" : "DGR-1"));
  if (f.service == "echo" && transport == Transport::tcp && f.kind == FindingKind::oracle) {
    s.requirements.emplace_back("STR-1");
  }
  s.tags = {"fuzz"};
  s.needs = {transport == Transport::tcp ? "tcp" : "udp"};
  if (info) s.needs.emplace_back(info->name);
  if (f.protocol) s.needs.emplace_back("exchange");
  s.transport = {transport};
  s.families = {f.family};
  s.steps = replay_steps(f);
  return s;
}

std::string finding_yaml(const Finding& f) {
  const scenario::Scenario s = finding_scenario(f);
  std::string out;
  comment_lines(out,
                f.protocol ? fmt::format("Fuzz finding: the {} server over {} must survive these "
                                         "messages and keep answering its own protocol.",
                                         f.service, f.mode == Mode::datagram ? "UDP" : "TCP")
                           : fmt::format("Fuzz finding: the {} service over {} must survive and "
                                         "answer these messages correctly.",
                                         f.service, f.mode == Mode::datagram ? "UDP" : "TCP"),
                "");
  comment_lines(out,
                fmt::format("Found by `sockspec fuzz` against {}: mode {}, execution {}, "
                            "{:.1f} s in; {}.",
                            f.target.empty() ? "an unnamed target" : f.target, mode_name(f.mode),
                            f.exec, f.seconds, f.minimised ? "minimised" : "not minimised"),
                "");
  comment_lines(out, fmt::format("{}: {}", kind_name(f.kind), f.detail), "");
  if (!f.stderr_tail.empty()) {
    comment_lines(out, "stderr tail:", "");
    comment_lines(out, f.stderr_tail, "  ");
  }
  out += scenario::to_yaml(s);
  return out;
}

}  // namespace sockspec::blackbox
