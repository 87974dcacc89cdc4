// CoverageMap: the shared segment, clearing and bucketed comparison with the virgin map.
#include "harness/blackbox/coverage_map.hpp"

#include <fmt/format.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

namespace sockspec::blackbox {
namespace {

constexpr std::array<unsigned char, 256> make_buckets() {
  std::array<unsigned char, 256> b{};
  for (unsigned n = 1; n < 256; ++n) {
    b[n] = n == 1    ? 1
           : n == 2  ? 2
           : n == 3  ? 4
           : n < 8   ? 8
           : n < 16  ? 16
           : n < 32  ? 32
           : n < 128 ? 64
                     : 128;
  }
  return b;
}
constexpr std::array<unsigned char, 256> kBuckets = make_buckets();

}  // namespace

unsigned char hit_bucket(unsigned char count) {
  return kBuckets[count];
}

net::Result<std::size_t> afl_map_size(const char* environment_value) {
  if (environment_value == nullptr || *environment_value == '\0') return kAflMapSize;
  const std::string_view text(environment_value);
  std::size_t size = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), size);
  if (ec != std::errc() || end != text.data() + text.size() || size > (std::size_t{1} << 30)) {
    return net::Error{fmt::format("AFL_MAP_SIZE={}: expected a number of bytes up to 1 GiB", text)};
  }
  return std::max(size, kAflMapSize);
}

net::Result<CoverageMap> CoverageMap::create(std::size_t size) {
  size = std::max(size, kAflMapSize);
  const int id = shmget(IPC_PRIVATE, size, IPC_CREAT | IPC_EXCL | 0600);
  if (id < 0) return net::errno_error(errno, "shared memory: shmget");
  void* at = shmat(id, nullptr, 0);
  const int attach_errno = errno;
  // Marked for removal at once: freed when the last process detaches (us, the target).
  (void)shmctl(id, IPC_RMID, nullptr);
  if (at == reinterpret_cast<void*>(-1)) {  // NOLINT: shmat's error value
    return net::errno_error(attach_errno, "shared memory: shmat");
  }
  return CoverageMap(id, static_cast<unsigned char*>(at), size);
}

CoverageMap::CoverageMap(int id, unsigned char* trace, std::size_t size)
    : id_(id), trace_(trace), size_(size), virgin_(size, 0xff) {
  clear();
}

CoverageMap::CoverageMap(CoverageMap&& other) noexcept
    : id_(std::exchange(other.id_, -1)),
      trace_(std::exchange(other.trace_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      virgin_(std::move(other.virgin_)),
      edges_seen_(std::exchange(other.edges_seen_, 0)) {}

CoverageMap& CoverageMap::operator=(CoverageMap&& other) noexcept {
  if (this != &other) {
    if (trace_ != nullptr) (void)shmdt(trace_);
    id_ = std::exchange(other.id_, -1);
    trace_ = std::exchange(other.trace_, nullptr);
    size_ = std::exchange(other.size_, 0);
    virgin_ = std::move(other.virgin_);
    edges_seen_ = std::exchange(other.edges_seen_, 0);
  }
  return *this;
}

CoverageMap::~CoverageMap() {
  if (trace_ != nullptr) (void)shmdt(trace_);
}

std::vector<std::pair<std::string, std::string>> CoverageMap::environment() const {
  return {{"__AFL_SHM_ID", std::to_string(id_)},
          {"AFL_MAP_SIZE", std::to_string(size_)},
          {"AFL_NO_SNAPSHOT", "1"}};
}

Environment coverage_environment(const CoverageMap& map, Environment profile_env,
                                 const char* inherited_asan_options) {
  auto asan = std::find_if(profile_env.begin(), profile_env.end(),
                           [](const auto& v) { return v.first == "ASAN_OPTIONS"; });
  if (asan == profile_env.end()) {
    std::string inherited = inherited_asan_options != nullptr ? inherited_asan_options : "";
    profile_env.emplace_back("ASAN_OPTIONS",
                             inherited.empty() ? "symbolize=0" : inherited + ":symbolize=0");
  } else {
    asan->second += asan->second.empty() ? "symbolize=0" : ":symbolize=0";
  }
  for (auto& variable : map.environment()) profile_env.push_back(std::move(variable));
  return profile_env;
}

void CoverageMap::clear() {
  std::memset(trace_, 0, size_);
}

bool CoverageMap::touched() const {
  return std::any_of(trace_, trace_ + size_, [](unsigned char c) { return c != 0; });
}

std::uint64_t CoverageMap::fingerprint() const {
  // FNV-1a over 8-byte words (the segment is page-aligned, its size a multiple of 8).
  std::uint64_t h = 1469598103934665603ULL;
  for (std::size_t i = 0; i + 8 <= size_; i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, trace_ + i, 8);
    h = (h ^ word) * 1099511628211ULL;
  }
  return h;
}

CoverageGain CoverageMap::merge() {
  CoverageGain gain;
  for (std::size_t i = 0; i + 8 <= size_; i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, trace_ + i, 8);
    if (word == 0) continue;  // most of the map: nothing hit
    for (std::size_t j = i; j < i + 8; ++j) {
      const unsigned char bucket = kBuckets[trace_[j]];
      if ((virgin_[j] & bucket) == 0) continue;
      if (virgin_[j] == 0xff) {
        ++gain.new_edges;
        ++edges_seen_;
      } else {
        ++gain.new_buckets;
      }
      virgin_[j] = static_cast<unsigned char>(virgin_[j] & ~bucket);
    }
  }
  return gain;
}

}  // namespace sockspec::blackbox
