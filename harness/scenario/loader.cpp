// The scenario loader: top-level keys, then the steps (step_reader*.cpp), then cross-checks.
#include "harness/scenario/loader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>

#include "harness/scenario/checks.hpp"
#include "harness/scenario/requirements.hpp"
#include "harness/scenario/step_reader.hpp"
#include "harness/scenario/yaml_reader.hpp"
#include "targets/proto/service.hpp"

namespace sockspec::scenario {
namespace {

constexpr std::string_view kTopKeys[] = {"id",    "summary",   "requirements", "tags",
                                         "needs", "transport", "families",     "target",
                                         "role",  "seed",      "steps"};

bool valid_id(std::string_view id) {
  if (id.empty() || !((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= '0' && id[0] <= '9')))
    return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '-' || c == '_' ||
           c == '.';
  });
}

void read_requirements(YamlReader& r, const YAML::Node& list, Scenario& s) {
  s.requirements = r.string_list(list, "requirements");
  if (r.ok() && s.requirements.empty()) r.fail(list, "'requirements': expected at least one ID");
  std::vector<std::string_view> ids;
  for (const RequirementInfo& info : all_requirements()) ids.push_back(info.id);
  for (std::size_t i = 0; i < s.requirements.size() && r.ok(); ++i) {
    const std::string& id = s.requirements[i];
    const RequirementInfo* info = find_requirement(id);
    if (info == nullptr) {
      r.fail(list[i], fmt::format("unknown requirement '{}'{}", id, did_you_mean(id, ids)));
    } else if (std::count(s.requirements.begin(), s.requirements.end(), id) > 1) {
      r.fail(list[i], fmt::format("requirement '{}' is listed twice", id));
    }
  }
}

void read_needs(YamlReader& r, const YAML::Node& list, Scenario& s) {
  s.needs = r.string_list(list, "needs");
  for (std::size_t i = 0; i < s.needs.size() && r.ok(); ++i) {
    if (!is_capability(s.needs[i]) && !is_exchange_need(s.needs[i]) &&
        !is_launch_need(s.needs[i])) {
      std::vector<std::string_view> known(all_capabilities().begin(), all_capabilities().end());
      known.insert(known.end(), std::begin(kExchangeNeeds), std::end(kExchangeNeeds));
      known.insert(known.end(), std::begin(kLaunchNeeds), std::end(kLaunchNeeds));
      r.fail(list[i],
             fmt::format("unknown capability '{}'{}", s.needs[i], did_you_mean(s.needs[i], known)));
    }
  }
}

template <class E>
std::vector<E> read_enum_list(YamlReader& r, const YAML::Node& node, std::string_view key,
                              std::initializer_list<std::string_view> names, bool scalar_ok) {
  std::vector<E> out;
  const auto add = [&](const YAML::Node& item) {
    const std::string v = r.choice(item, key, names);
    const auto idx =
        static_cast<std::size_t>(std::find(names.begin(), names.end(), v) - names.begin());
    if (!r.ok()) return;
    if (std::find(out.begin(), out.end(), static_cast<E>(idx)) != out.end()) {
      return r.fail(item, fmt::format("'{}': '{}' is listed twice", key, v));
    }
    out.push_back(static_cast<E>(idx));
  };
  if (scalar_ok && node.IsScalar()) {
    add(node);
  } else if (!node.IsSequence() || node.size() == 0) {
    r.fail(node, fmt::format("'{}': expected a non-empty list, got {}", key,
                             node.IsSequence() ? "an empty list" : YamlReader::kind_of(node)));
  } else {
    for (const YAML::Node& item : node) add(item);
  }
  return out;
}

void read_transport(YamlReader& r, const YAML::Node& root, Scenario& s) {
  if (const YAML::Node v = root["transport"]; v.IsDefined()) {
    s.transport = read_enum_list<Transport>(r, v, "transport", {"tcp", "udp"}, true);
    return;
  }
  for (const auto& [name, t] :
       {std::pair{"tcp", Transport::tcp}, std::pair{"udp", Transport::udp}}) {
    if (std::find(s.needs.begin(), s.needs.end(), name) != s.needs.end()) s.transport.push_back(t);
  }
  if (r.ok() && s.transport.empty()) {
    r.fail(root, "missing field 'transport' in scenario (or name tcp or udp in 'needs')");
  }
}

void read_target(YamlReader& r, const YAML::Node& root, Scenario& s) {
  const YAML::Node v = root["target"];
  if (!v.IsDefined() || !r.check_map(v, "target", {"service", "shared", "bind"})) return;
  TargetSpec& t = s.target.emplace();
  if (const YAML::Node sv = v["service"]; sv.IsDefined())
    t.service = r.choice(sv, "service", proto::kServiceNames);
  if (const YAML::Node sh = v["shared"]; sh.IsDefined()) t.shared = r.boolean(sh, "shared");
  if (const YAML::Node b = v["bind"]; b.IsDefined()) {
    t.bind = r.choice(b, "bind", {"loopback", "wildcard"}) == "wildcard" ? BindTo::wildcard
                                                                         : BindTo::loopback;
  }
}

// Each top-level key is read independently (YamlReader::independently), so that a file reports
// every key's first error; the cross-checks run only on a scenario read without any.
Scenario read_scenario(YamlReader& r, const YAML::Node& root, const std::string& base_dir,
                       const DataRoots& data_roots) {
  Scenario s;
  if (root.IsNull()) {
    r.fail(root, "empty scenario file");
    return s;
  }
  if (!root.IsMap()) {
    (void)r.check_map(root, "scenario", kTopKeys);
    return s;
  }
  r.independently([&] { (void)r.check_map(root, "scenario", kTopKeys); });
  r.independently([&] {
    const YAML::Node id = r.required(root, "id", "scenario");
    s.id = r.string(id, "id");
    if (r.ok()) s.where = r.where(id);
    if (r.ok() && !valid_id(s.id)) {
      r.fail(id, fmt::format("bad id '{}': expected lower-case letters, digits, '/', '-', '_', '.'",
                             s.id));
    }
  });
  r.independently([&] {
    const YAML::Node summary = r.required(root, "summary", "scenario");
    s.summary = r.string(summary, "summary");
    if (r.ok() && (s.summary.empty() || s.summary.find('\n') != std::string::npos)) {
      r.fail(summary, "'summary': expected one non-empty line");
    }
  });
  r.independently([&] { read_requirements(r, r.required(root, "requirements", "scenario"), s); });
  r.independently([&] {
    if (const YAML::Node v = root["tags"]; v.IsDefined()) s.tags = r.string_list(v, "tags");
  });
  r.independently([&] {  // one scope: the transport may come from `needs`
    if (const YAML::Node v = root["needs"]; v.IsDefined()) read_needs(r, v, s);
    read_transport(r, root, s);
  });
  r.independently([&] {
    if (const YAML::Node v = root["families"]; v.IsDefined()) {
      s.families = read_enum_list<Family>(r, v, "families", {"ipv4", "ipv6"}, false);
    }
  });
  r.independently([&] { read_target(r, root, s); });
  r.independently([&] {
    if (const YAML::Node v = root["role"]; v.IsDefined()) {
      s.role = r.choice(v, "role", {"server", "client"}) == "client" ? Role::client : Role::server;
    }
  });
  r.independently([&] {
    if (const YAML::Node v = root["seed"]; v.IsDefined())
      s.seed = r.unsigned_int(v, "seed", UINT64_MAX);
  });
  r.independently([&] {
    StepReader steps{r, base_dir, data_roots};
    s.steps = steps.steps(r.required(root, "steps", "scenario"), "steps");
  });
  if (r.ok()) check_scenario(r, root, s);
  return s;
}

}  // namespace

net::Result<Scenario> load_scenario_text(std::string_view text, const std::string& name,
                                         const DataRoots& data_roots) {
  YamlReader r(name);
  YAML::Node root;
  std::optional<YAML::Mark> second_document;
  try {  // yaml-cpp reports syntax errors only by throwing
    root = YAML::Load(std::string(text));
    second_document = second_document_start(text);
  } catch (const YAML::Exception& e) {
    r.fail_parse(e);
    return *r.error();
  }
  if (second_document) {
    // A "document" that starts where the first did is a token yaml-cpp 0.7 could not consume.
    const auto pos = static_cast<std::size_t>(std::max(second_document->pos, 0));
    const bool stuck = second_document->pos <= 0 || pos >= text.size() || text[pos] != '-';
    r.fail(*second_document, stuck && pos < text.size()
                                 ? fmt::format("YAML syntax error: unexpected '{}'", text[pos])
                                 : "a scenario file holds one YAML document");
    return *r.error();
  }
  if (!r.check_expansion(root)) return *r.error();
  const std::string base_dir = std::filesystem::path(name).parent_path().string();
  Scenario s = read_scenario(r, root, base_dir.empty() ? "." : base_dir, data_roots);
  if (!r.ok()) return *r.error();
  return s;
}

net::Result<Scenario> load_scenario_file(const std::string& path, const DataRoots& data_roots) {
  net::Result<std::string> text = read_file_bytes(path, kMaxSize);
  if (!text) return text.error();
  return load_scenario_text(*text, path, data_roots);
}

net::Status validate_pack(std::span<const Scenario> scenarios) {
  std::map<std::string_view, const Scenario*> seen;
  std::string errors;
  for (const Scenario& s : scenarios) {
    const auto [it, fresh] = seen.emplace(s.id, &s);
    if (fresh) continue;
    const SourceLocation& first = it->second->where;
    errors += fmt::format("{}{}:{}:{}: duplicate id '{}' (also in {}:{}:{})",
                          errors.empty() ? "" : "\n", s.where.file, s.where.line, s.where.column,
                          s.id, first.file, first.line, first.column);
  }
  if (!errors.empty()) return net::Error{std::move(errors)};
  return {};
}

}  // namespace sockspec::scenario
