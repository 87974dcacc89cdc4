// Reading a pack's requirements.yaml (see requirement_file.hpp).
#include "harness/scenario/requirement_file.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <regex>
#include <vector>

#include "harness/scenario/data.hpp"
#include "harness/scenario/requirements.hpp"
#include "harness/scenario/yaml_reader.hpp"

namespace sockspec::scenario {
namespace {

inline constexpr std::uint64_t kMaxRequirementFileBytes = std::uint64_t{1} << 20;

bool valid_requirement_id(const std::string& id) {
  static const std::regex kId("[A-Z][A-Z0-9]*(-[A-Za-z0-9]+)+");
  return id.size() <= 64 && std::regex_match(id, kId);
}

DeclaredRequirement read_requirement(YamlReader& r, const YAML::Node& node) {
  DeclaredRequirement d;
  if (!r.check_map(node, "requirement", {"id", "level", "side", "capabilities", "text"})) return d;
  d.where = r.where(node);
  const YAML::Node id = r.required(node, "id", "requirement");
  d.id = r.string(id, "id");
  if (r.ok() && !valid_requirement_id(d.id)) {
    r.fail(id, fmt::format("bad requirement id '{}': expected an upper-case word, '-' and letters "
                           "or digits, such as MYPROTO-1",
                           d.id));
  }
  d.level =
      r.choice(r.required(node, "level", "requirement"), "level", {"MUST", "SHOULD"}) == "SHOULD"
          ? Level::should
          : Level::must;
  if (const YAML::Node v = node["side"]; v.IsDefined()) {
    d.side = r.choice(v, "side", {"server", "client"}) == "client" ? Side::client : Side::server;
  }
  if (const YAML::Node v = node["capabilities"]; v.IsDefined()) {
    d.capabilities = r.string_list(v, "capabilities");
    for (std::size_t i = 0; i < d.capabilities.size() && r.ok(); ++i) {
      if (!is_capability(d.capabilities[i])) {
        r.fail(v[i], fmt::format("unknown capability '{}'{}", d.capabilities[i],
                                 did_you_mean(d.capabilities[i], all_capabilities())));
      }
    }
  }
  const YAML::Node text = r.required(node, "text", "requirement");
  d.text = r.string(text, "text");
  if (r.ok() && d.text.empty()) r.fail(text, "'text': expected what the requirement asks");
  return d;
}

}  // namespace

net::Status declare_requirements_text(std::string_view text, const std::string& name) {
  YamlReader r(name);
  YAML::Node root;
  try {  // yaml-cpp reports syntax errors only by throwing
    root = YAML::Load(std::string(text));
    if (second_document_start(text).has_value())
      r.fail(YAML::Mark::null_mark(), "a requirement table holds one YAML document");
  } catch (const YAML::Exception& e) {
    r.fail_parse(e);
  }
  if (!r.ok() || !r.check_expansion(root)) return *r.error();
  std::vector<DeclaredRequirement> table;
  if (r.check_map(root, "requirement table", {"requirements"})) {
    const YAML::Node list = r.required(root, "requirements", "requirement table");
    if (r.ok() && !list.IsSequence()) {
      r.fail(list,
             fmt::format("'requirements': expected a list, got {}", YamlReader::kind_of(list)));
    }
    for (std::size_t i = 0; r.ok() && i < list.size(); ++i) {
      DeclaredRequirement d = read_requirement(r, list[i]);
      for (const DeclaredRequirement& earlier : table) {
        if (r.ok() && earlier.id == d.id) {
          r.fail(list[i], fmt::format("requirement '{}' is declared twice (also at line {})", d.id,
                                      earlier.where.line));
        }
      }
      table.push_back(std::move(d));
    }
  }
  if (!r.ok()) return *r.error();
  for (DeclaredRequirement& d : table) {
    if (net::Status s = declare_requirement(std::move(d)); !s) return s;
  }
  return {};
}

net::Status declare_requirements_file(const std::string& path) {
  net::Result<std::string> text = read_file_bytes(path, kMaxRequirementFileBytes);
  if (!text) return text.error();
  return declare_requirements_text(*text, path);
}

}  // namespace sockspec::scenario
