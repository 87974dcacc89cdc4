// How long each case takes when nothing slows it (the shortest time seen), kept between runs so
// that the next run starts the longest cases first. A cache: a file that is missing, unreadable or
// damaged is an empty record, and a record that cannot be written is dropped; neither changes a
// verdict.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "harness/engine/context.hpp"

namespace sockspec::engine {

class Timings {
 public:
  // Lines "<milliseconds>\t<scenario id>\t<target>\t<family>"; other lines are ignored.
  [[nodiscard]] static Timings load(const std::string& path);
  // Written whole to a temporary file beside `path`, then renamed over it (concurrent runs lose
  // one another's updates, never the file). Creates the parent folder.
  void save(const std::string& path) const;

  [[nodiscard]] static std::string key(const CaseSpec& spec);
  [[nodiscard]] const std::chrono::milliseconds* find(const std::string& key) const;
  // Keeps the shortest time seen: a run slowed by load, or by the cases beside it, does not make
  // a case look longer than it is (the schedule would then crowd more cases together).
  void record(const std::string& key, std::chrono::milliseconds elapsed);
  [[nodiscard]] std::size_t size() const { return by_case_.size(); }

 private:
  std::map<std::string, std::chrono::milliseconds> by_case_;
};

// The default record: $XDG_CACHE_HOME/sockspec/timings.tsv, else ~/.cache/sockspec/timings.tsv;
// empty when neither variable is set.
[[nodiscard]] std::string default_timings_path();

}  // namespace sockspec::engine
