// Scenario and profile loading for the commands (see pack.hpp).
#include "harness/cli/pack.hpp"

#include <fmt/format.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <system_error>

#include "harness/scenario/data.hpp"
#include "harness/scenario/loader.hpp"
#include "harness/scenario/requirement_file.hpp"
#include "harness/scenario/units.hpp"

namespace sockspec::cli {
namespace {

namespace fs = std::filesystem;

// $`var` when set and not empty; else `installed` below the running binary's prefix when it
// exists; else `source` (the source tree's folder).
std::string locate(std::string_view var, std::string_view installed, const char* source) {
  const char* value = std::getenv(std::string(var).c_str());
  if (value != nullptr && *value != '\0') return value;
  const fs::path bin = bindir();  // "." when /proc/self/exe cannot be read: then not beside it
  std::error_code ec;
  const fs::path beside = bin.parent_path() / "share" / "sockspec" / installed;
  if (bin.is_absolute() && fs::is_directory(beside, ec)) return beside.lexically_normal().string();
  return source;
}

bool is_yaml(const fs::path& p) {
  return p.extension() == ".yaml" || p.extension() == ".yml";
}

bool is_requirement_file(const std::string& path) {
  return fs::path(path).filename() == scenario::kRequirementFile;
}

// The YAML files of `path`: itself, or every one below it, sorted for a stable order.
net::Result<std::vector<std::string>> yaml_files(const std::string& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return net::Error{fmt::format("{}: no such file or folder", path)};
  if (!fs::is_directory(st)) return std::vector<std::string>{path};
  std::vector<std::string> files;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && is_yaml(it->path())) files.push_back(it->path().string());
  }
  if (ec) return net::Error{fmt::format("{}: {}", path, ec.message())};
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::string pack_dir() {
  return locate(kPackDirVar.name, "conformance", SOCKSPEC_DEFAULT_PACK_DIR);
}
std::string profile_dir() {
  return locate(kProfileDirVar.name, "profiles", SOCKSPEC_DEFAULT_PROFILE_DIR);
}

std::string bindir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : self.parent_path().string();
}

namespace {

// FNV-1a 64 over named byte strings, each name and content ended by a NUL.
class Fnv64 {
 public:
  void add(std::string_view name, std::string_view bytes) {
    feed(name);
    feed(std::string_view("\0", 1));
    feed(bytes);
    feed(std::string_view("\0", 1));
  }
  [[nodiscard]] std::string revision() const { return fmt::format("{:012x}", hash_ >> 16U); }

 private:
  void feed(std::string_view bytes) {
    for (const char c : bytes) hash_ = (hash_ ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  std::uint64_t hash_ = 14695981039346656037ULL;  // the offset basis
};

}  // namespace

std::string pack_revision(const std::string& dir) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    // Documentation (*.md) is not part of what is run: an installed pack leaves the authors'
    // notes behind and keeps the source tree's revision.
    if (it->is_regular_file() && it->path().extension() != ".md")
      files.push_back(it->path().lexically_relative(dir));
  }
  if (ec || !fs::is_directory(dir, ec)) return "unreadable";
  std::sort(files.begin(), files.end());
  Fnv64 hash;
  for (const fs::path& file : files) {
    net::Result<std::string> bytes =
        scenario::read_file_bytes((fs::path(dir) / file).string(), scenario::kMaxSize);
    if (!bytes) return "unreadable";
    hash.add(file.generic_string(), *bytes);
  }
  return hash.revision();
}

std::string paths_revision(const std::vector<std::string>& paths) {
  if (paths.empty()) return pack_revision(pack_dir());
  const auto revision_of = [](const std::string& path) -> std::string {
    std::error_code ec;
    if (fs::is_directory(path, ec)) return pack_revision(path);
    net::Result<std::string> bytes = scenario::read_file_bytes(path, scenario::kMaxSize);
    if (!bytes) return "unreadable";
    Fnv64 hash;
    hash.add(fs::path(path).filename().string(), *bytes);
    return hash.revision();
  };
  if (paths.size() == 1) return revision_of(paths.front());
  Fnv64 hash;
  for (const std::string& path : paths) hash.add(path, revision_of(path));
  return hash.revision();
}

net::Result<std::vector<BuiltinProfile>> builtin_profiles() {
  net::Result<std::vector<std::string>> files = yaml_files(profile_dir());
  if (!files) return files.error();
  std::vector<BuiltinProfile> out;
  for (const std::string& file : *files) {
    const std::string name = fs::path(file).stem().string();
    // `*.exchanges.yaml`: exchanges that profiles share (`exchanges: line.exchanges.yaml`).
    if (fs::path(name).extension() == ".exchanges") continue;
    out.push_back({name, file});
  }
  return out;
}

net::Result<std::vector<scenario::Scenario>> load_scenarios(const std::vector<std::string>& paths,
                                                            const scenario::DataRoots& data_roots) {
  const std::vector<std::string> roots = paths.empty() ? std::vector{pack_dir()} : paths;
  std::vector<scenario::Scenario> loaded;
  std::string errors;
  std::vector<std::string> scenario_files;
  for (const std::string& root : roots) {
    net::Result<std::vector<std::string>> files = yaml_files(root);
    if (!files) {
      errors += files.error().message + "\n";
      continue;
    }
    std::copy_if(files->begin(), files->end(), std::back_inserter(scenario_files),
                 [](const std::string& f) { return !is_requirement_file(f); });
    // A pack's own requirements come first: its scenarios name them.
    for (const std::string& file : *files) {
      if (!is_requirement_file(file)) continue;
      if (net::Status s = scenario::declare_requirements_file(file); !s) {
        errors += s.error().message + "\n";
      }
    }
  }
  for (const std::string& file : scenario_files) {
    net::Result<scenario::Scenario> s = scenario::load_scenario_file(file, data_roots);
    if (s) {
      loaded.push_back(std::move(s).value());
    } else {
      errors += s.error().message + "\n";
    }
  }
  if (net::Status pack = scenario::validate_pack(loaded); !pack)
    errors += pack.error().message + "\n";
  if (!errors.empty()) {
    errors.pop_back();
    return net::Error{errors};
  }
  return loaded;
}

net::Result<std::vector<target::Profile>> load_profiles(const std::string& spec) {
  std::error_code ec;
  if (fs::is_regular_file(spec, ec)) {
    net::Result<target::Profile> p = target::load_profile_file(spec);
    if (!p) return p.error();
    return std::vector<target::Profile>{std::move(p).value()};
  }
  net::Result<std::vector<BuiltinProfile>> builtins = builtin_profiles();
  if (!builtins) return builtins.error();
  std::vector<target::Profile> out;
  std::vector<std::string> names;
  for (const auto& [name, file] : *builtins) {
    names.push_back(name);
    if (::fnmatch(spec.c_str(), name.c_str(), 0) != 0) continue;
    net::Result<target::Profile> p = target::load_profile_file(file);
    if (!p) return p.error();
    out.push_back(std::move(p).value());
  }
  if (out.empty()) {
    std::string known;
    for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
    return net::Error{
        fmt::format("--target {}: no such file, and no built-in profile of that name "
                    "(in {}: {})",
                    spec, profile_dir(), known.empty() ? "none" : known)};
  }
  return out;
}

}  // namespace sockspec::cli
