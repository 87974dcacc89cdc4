// The profile loader: YAML -> Profile, every problem as "file:line:col: message".
#include "harness/target/profile.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "harness/scenario/requirements.hpp"
#include "harness/scenario/yaml_reader.hpp"
#include "harness/target/command.hpp"

namespace sockspec::target {
namespace {

using scenario::YamlReader;

constexpr std::string_view kTopKeys[] = {
    "name", "role",         "argv",        "env",    "ready",         "probe",     "port",
    "stop", "capabilities", "max-clients", "expect", "start-timeout", "exchanges", "serial"};
constexpr std::string_view kReadiness[] = {"ready-line", "tcp-probe", "udp-probe", "proc"};
constexpr std::string_view kStopSignals[] = {"TERM", "INT", "KILL", "HUP", "QUIT", "USR1", "USR2"};
constexpr std::uint64_t kMaxProfileBytes = 1 << 20;

bool needs_port(Readiness r) {
  return r == Readiness::tcp_probe || r == Readiness::udp_probe;
}

bool valid_env_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void check_template_at(YamlReader& r, const YAML::Node& node, const std::string& text) {
  if (!r.ok()) return;
  if (net::Status s = check_profile_template(text); !s) r.fail(node, s.error().message);
}

void read_port(YamlReader& r, const YAML::Node& node, Profile& p) {
  const std::string v = r.string(node, "port");
  if (!r.ok()) return;
  if (v == "ephemeral") {
    p.port = PortPolicy::ephemeral;
  } else if (v == "pick") {
    p.port = PortPolicy::pick;
  } else if (v.find_first_not_of("0123456789") == std::string::npos && !v.empty() &&
             v.size() <= 5 && std::stoul(v) >= 1 && std::stoul(v) <= 65535) {
    p.port = PortPolicy::fixed;
    p.fixed_port = static_cast<std::uint16_t>(std::stoul(v));
  } else {
    r.fail(node, fmt::format("bad value '{}' for 'port': expected ephemeral, pick or a port "
                             "number from 1 to 65535",
                             v));
  }
}

void read_stop(YamlReader& r, const YAML::Node& node, StopSpec& stop) {
  if (!r.check_map(node, "stop", {"signal", "timeout"})) return;
  if (const YAML::Node v = node["signal"]; v.IsDefined()) {
    std::string name = r.string(v, "signal");
    if (name.rfind("SIG", 0) == 0) name.erase(0, 3);
    if (r.ok() && std::find(std::begin(kStopSignals), std::end(kStopSignals), name) ==
                      std::end(kStopSignals)) {
      r.fail(v, fmt::format("bad value '{}' for 'signal': expected one of TERM, INT, KILL, HUP, "
                            "QUIT, USR1, USR2{}",
                            v.Scalar(), scenario::did_you_mean(name, kStopSignals)));
    }
    stop.signal = name;
  }
  if (const YAML::Node v = node["timeout"]; v.IsDefined()) {
    stop.timeout = r.parsed<Duration>(v, "timeout", scenario::parse_duration);
  }
}

void read_capabilities(YamlReader& r, const YAML::Node& list, Profile& p) {
  p.capabilities = r.string_list(list, "capabilities");
  for (std::size_t i = 0; i < p.capabilities.size() && r.ok(); ++i) {
    const std::string& c = p.capabilities[i];
    if (scenario::is_exchange_need(c)) {
      r.fail(list[i], fmt::format("'{}' is not declared: it follows from the profile's "
                                  "'exchanges' (harness/README.md)",
                                  c));
    } else if (scenario::is_launch_need(c)) {
      r.fail(list[i], fmt::format("'{}' is not declared: it follows from the profile's 'port' "
                                  "(harness/README.md)",
                                  c));
    } else if (!scenario::is_capability(c)) {
      r.fail(list[i], fmt::format("unknown capability '{}'{}", c,
                                  scenario::did_you_mean(c, scenario::all_capabilities())));
    } else if (std::count(p.capabilities.begin(), p.capabilities.end(), c) > 1) {
      r.fail(list[i], fmt::format("capability '{}' is listed twice", c));
    }
  }
}

Expectation read_expectation(YamlReader& r, const YAML::Node& node) {
  Expectation e;
  e.where = r.where(node);
  if (!r.check_map(node, "expect",
                   {"scenario", "requirement", "verdict", "reason", "diagnostic"})) {
    return e;
  }
  if (node.IsNull()) {
    r.fail(node, "expect: expected a map with 'scenario' or 'requirement', 'verdict', 'reason'");
    return e;
  }
  const YAML::Node scenario = node["scenario"];
  const YAML::Node requirement = node["requirement"];
  if (scenario.IsDefined() == requirement.IsDefined()) {
    r.fail(node, "expect: name exactly one of 'scenario' (an id glob) or 'requirement'");
    return e;
  }
  if (scenario.IsDefined()) e.scenario = r.string(scenario, "scenario");
  if (requirement.IsDefined()) {
    e.requirement = r.string(requirement, "requirement");
    if (r.ok() && scenario::find_requirement(*e.requirement) == nullptr) {
      std::vector<std::string_view> ids;
      for (const auto& info : scenario::all_requirements()) ids.push_back(info.id);
      r.fail(requirement, fmt::format("unknown requirement '{}'{}", *e.requirement,
                                      scenario::did_you_mean(*e.requirement, ids)));
    }
  }
  if (const YAML::Node v = node["verdict"]; v.IsDefined()) {
    e.verdict = r.choice(v, "verdict", {"xfail", "skip"}) == "skip" ? ExpectedVerdict::skip
                                                                    : ExpectedVerdict::xfail;
  }
  if (const YAML::Node v = node["diagnostic"]; v.IsDefined() && r.ok()) {
    e.diagnostic = r.string(v, "diagnostic");
    if (r.ok() && e.verdict != ExpectedVerdict::xfail) {
      r.fail(v, "'diagnostic' goes with verdict xfail only");
    } else if (r.ok() && e.diagnostic->empty()) {
      r.fail(v, "'diagnostic': expected the text the failure must contain");
    }
  }
  const YAML::Node reason = r.required(node, "reason", "expect");
  e.reason = r.string(reason, "reason");
  if (r.ok() && e.reason.empty()) r.fail(reason, "'reason': expected a non-empty explanation");
  return e;
}

void read_argv_env(YamlReader& r, const YAML::Node& root, Profile& p) {
  const YAML::Node argv = r.required(root, "argv", "profile");
  p.argv = r.string_list(argv, "argv");
  if (r.ok() && p.argv.empty()) r.fail(argv, "'argv': expected at least the program to run");
  for (std::size_t i = 0; i < p.argv.size(); ++i) check_template_at(r, argv[i], p.argv[i]);
  const YAML::Node env = root["env"];
  if (!env.IsDefined() || !r.ok()) return;
  if (!env.IsMap())
    return r.fail(env, fmt::format("'env': expected a map, got {}", YamlReader::kind_of(env)));
  for (const auto& kv : env) {
    const std::string name = r.string(kv.first, "env");
    if (r.ok() && !valid_env_name(name)) {
      return r.fail(kv.first, fmt::format("bad environment variable name '{}'", name));
    }
    const std::string value = r.string(kv.second, name);
    check_template_at(r, kv.second, value);
    p.env.emplace_back(name, value);
  }
}

// Cross-field rules, once every key is read.
void check_profile(YamlReader& r, const YAML::Node& root, Profile& p) {
  const bool port_given = root["port"].IsDefined();
  if (!port_given) p.port = needs_port(p.ready) ? PortPolicy::pick : PortPolicy::ephemeral;
  if (port_given && needs_port(p.ready) && p.port == PortPolicy::ephemeral) {
    return r.fail(root["port"], fmt::format("{} needs a known port: use port: pick or a number",
                                            readiness_name(p.ready)));
  }
  if (root["probe"].IsDefined() && p.ready != Readiness::udp_probe) {
    return r.fail(root["probe"], "'probe' is only used with ready: udp-probe");
  }
  const bool uses_port =
      std::any_of(p.argv.begin(), p.argv.end(),
                  [](const std::string& a) { return uses_placeholder(a, "port"); }) ||
      std::any_of(p.env.begin(), p.env.end(),
                  [](const auto& e) { return uses_placeholder(e.second, "port"); });
  if (p.port == PortPolicy::pick && !uses_port) {
    r.fail(root["argv"],
           "port: pick needs {port} in argv or env, or the program never learns "
           "the port the harness picked");
  }
}

// Each top-level key (and each `expect` entry) is read independently
// (YamlReader::independently), so that a file reports every one's first error; the cross-checks
// run only on a profile read without any.
Profile read_profile(YamlReader& r, const YAML::Node& root) {
  Profile p;
  p.where = {r.file(), 1, 1};
  if (root.IsNull()) {
    r.fail(root, "empty profile file");
    return p;
  }
  if (!root.IsMap()) {
    (void)r.check_map(root, "profile", kTopKeys);
    return p;
  }
  r.independently([&] { (void)r.check_map(root, "profile", kTopKeys); });
  r.independently([&] {
    p.name = r.string(r.required(root, "name", "profile"), "name");
    if (r.ok() && p.name.empty()) r.fail(root["name"], "'name': expected a non-empty name");
  });
  r.independently([&] {
    if (const YAML::Node v = root["role"]; v.IsDefined()) {
      p.role = r.choice(v, "role", {"server", "client"}) == "client" ? scenario::Role::client
                                                                     : scenario::Role::server;
    }
  });
  r.independently([&] { read_argv_env(r, root, p); });
  r.independently([&] {
    if (const YAML::Node v = root["ready"]; v.IsDefined()) {
      const std::string name = r.choice(v, "ready", kReadiness);
      const auto it = std::find(std::begin(kReadiness), std::end(kReadiness), name);
      if (r.ok()) p.ready = static_cast<Readiness>(it - std::begin(kReadiness));
    }
  });
  r.independently([&] {
    if (const YAML::Node v = root["probe"]; v.IsDefined()) {
      p.probe = r.parsed<std::string>(v, "probe", scenario::decode_escapes);
    }
  });
  r.independently([&] {
    if (const YAML::Node v = root["port"]; v.IsDefined()) read_port(r, v, p);
  });
  r.independently([&] {
    if (const YAML::Node v = root["start-timeout"]; v.IsDefined()) {
      p.start_timeout = r.parsed<Duration>(v, "start-timeout", scenario::parse_duration);
      if (r.ok() && p.start_timeout <= Duration::zero())
        r.fail(v, "'start-timeout': expected more than 0s");
    }
  });
  r.independently([&] {
    if (const YAML::Node v = root["stop"]; v.IsDefined()) read_stop(r, v, p.stop);
  });
  r.independently([&] {
    if (const YAML::Node v = root["capabilities"]; v.IsDefined()) read_capabilities(r, v, p);
  });
  r.independently([&] {
    if (const YAML::Node v = root["max-clients"]; v.IsDefined()) {
      p.max_clients = static_cast<std::uint32_t>(r.unsigned_int(v, "max-clients", 100000));
      if (r.ok() && *p.max_clients == 0) r.fail(v, "'max-clients': expected at least 1");
    }
  });
  r.independently([&] {
    if (const YAML::Node v = root["serial"]; v.IsDefined()) p.serial = r.boolean(v, "serial");
  });
  if (p.port == PortPolicy::fixed) p.serial = true;
  r.independently([&] {
    const YAML::Node v = root["expect"];
    if (!v.IsDefined()) return;
    if (!v.IsSequence()) {
      return r.fail(v, fmt::format("'expect': expected a list, got {}", YamlReader::kind_of(v)));
    }
    for (const YAML::Node& item : v) {
      r.independently([&] { p.expect.push_back(read_expectation(r, item)); });
    }
  });
  r.independently([&] {
    if (const YAML::Node v = root["exchanges"]; v.IsDefined()) {
      const std::string dir = std::filesystem::path(r.file()).parent_path().string();
      read_exchanges(r, v, dir.empty() ? "." : dir, p.exchanges);
    }
  });
  if (r.ok()) check_profile(r, root, p);
  return p;
}

}  // namespace

net::Result<Profile> load_profile_text(std::string_view text, const std::string& name) {
  YamlReader r(name);
  YAML::Node root;
  try {  // yaml-cpp reports syntax errors only by throwing
    root = YAML::Load(std::string(text));
    if (scenario::second_document_start(text).has_value())
      r.fail(YAML::Mark::null_mark(), "a profile holds one YAML document");
  } catch (const YAML::Exception& e) {
    r.fail_parse(e);
  }
  if (!r.ok() || !r.check_expansion(root)) return *r.error();
  Profile p = read_profile(r, root);
  if (!r.ok()) return *r.error();
  return p;
}

net::Result<Profile> load_profile_file(const std::string& path) {
  net::Result<std::string> text = scenario::read_file_bytes(path, kMaxProfileBytes);
  if (!text) return text.error();
  return load_profile_text(*text, path);
}

net::Result<Profile> profile_from_command(std::string_view command, Readiness ready) {
  net::Result<std::vector<std::string>> words = split_command_line(command);
  if (!words) return net::Error{fmt::format("--cmd: {}", words.error().message)};
  if (words->empty()) return net::Error{"--cmd: the command is empty"};
  Profile p;
  p.where = {"--cmd", 1, 1};
  p.name = "cmd";
  p.argv = std::move(words).value();
  p.ready = ready;
  p.port = needs_port(ready) ? PortPolicy::pick : PortPolicy::ephemeral;
  for (const std::string& word : p.argv) {
    if (net::Status s = check_profile_template(word); !s)
      return net::Error{fmt::format("--cmd: {}", s.error().message)};
  }
  if (needs_port(ready) && std::none_of(p.argv.begin(), p.argv.end(), [](const std::string& a) {
        return uses_placeholder(a, "port");
      })) {
    return net::Error{
        fmt::format("--cmd: {} needs {{port}} in the command, to pass the port the "
                    "harness picked",
                    readiness_name(ready))};
  }
  const auto all = scenario::all_capabilities();
  p.capabilities.assign(all.begin(), all.end());
  return p;
}

std::string_view readiness_name(Readiness r) {
  return kReadiness[static_cast<std::size_t>(r)];
}

std::span<const std::string_view> readiness_names() {
  return kReadiness;
}

std::optional<Readiness> readiness_from_name(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kReadiness); ++i) {
    if (kReadiness[i] == name) return static_cast<Readiness>(i);
  }
  return std::nullopt;
}

}  // namespace sockspec::target
