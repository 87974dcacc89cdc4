// Expectation matching (see match.hpp).
#include "harness/engine/match.hpp"

#include <fmt/format.h>
#include <pthread.h>

#include <algorithm>
#include <optional>
#include <regex>
#include <stdexcept>

#include "harness/scenario/data.hpp"

namespace sockspec::engine {
namespace {

std::string show_byte(char c) {
  const auto b = static_cast<unsigned char>(c);
  if (b >= 0x20 && b < 0x7f) return fmt::format("0x{:02x} ('{}')", b, c);
  return fmt::format("0x{:02x}", b);
}

// The first position where `a` and `b` differ, within the shorter of the two.
std::size_t first_difference(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  return static_cast<std::size_t>(
      std::mismatch(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n), b.begin()).first -
      a.begin());
}

// std::regex recurses once per character matched, so matching kRegexLimit bytes can need more
// stack than a worker thread has (more still under sanitizers): it runs on a thread of its own
// with a large stack (address space only; pages are touched as needed).
constexpr std::size_t kRegexStack = std::size_t{256} << 20;

struct RegexJob {
  const std::string* pattern;
  std::string_view bytes;
  bool prefix = false;  // match at the start of `bytes`, not all of it
  bool matched = false;
  std::size_t length = 0;  // matched: how many bytes the match covers
  bool failed = false;     // a pattern that does not compile (the loader checked it: a harness bug)
};

void* run_regex(void* arg) {
  auto* job = static_cast<RegexJob*>(arg);
  try {
    const std::regex re(*job->pattern, std::regex::ECMAScript);
    if (job->prefix) {
      std::match_results<std::string_view::const_iterator> m;
      job->matched = std::regex_search(job->bytes.begin(), job->bytes.end(), m, re,
                                       std::regex_constants::match_continuous);
      if (job->matched) job->length = static_cast<std::size_t>(m.length(0));
    } else {
      job->matched = std::regex_match(job->bytes.begin(), job->bytes.end(), re);
      job->length = job->bytes.size();
    }
  } catch (const std::exception&) {
    job->failed = true;
  }
  return nullptr;
}

// The length of the match (all of `bytes`, or with `prefix` a match at its start), or nullopt.
std::optional<std::size_t> regex_matches(const std::string& pattern, std::string_view bytes,
                                         bool prefix = false) {
  RegexJob job{&pattern, bytes, prefix};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kRegexStack);
  pthread_t thread;
  const bool started = pthread_create(&thread, &attr, run_regex, &job) == 0;
  pthread_attr_destroy(&attr);
  if (started) {
    pthread_join(thread, nullptr);
  } else {
    run_regex(&job);  // no thread to be had: match here, on this stack
  }
  if (job.failed) throw std::runtime_error("cannot match regex /" + pattern + "/");
  if (!job.matched) return std::nullopt;
  return job.length;
}

// True when at least 3/4 of the bytes are printable ASCII, tab, CR or LF: shown escaped, else as
// hex, where binary bytes line up for comparing.
bool mostly_text(std::string_view bytes) {
  const auto text = std::count_if(bytes.begin(), bytes.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b >= 0x20 && b < 0x7f) || b == '\t' || b == '\r' || b == '\n';
  });
  return static_cast<std::size_t>(text) * 4 >= bytes.size() * 3;
}

// One side's bytes in [from, to) for bytes_around(): escaped between quotes, or `hex 00 ff`.
std::string window_of(std::string_view bytes, std::size_t from, std::size_t to, bool hex) {
  if (from >= bytes.size()) return "nothing";
  const std::string_view shown = bytes.substr(from, to - from);
  std::string out;
  if (hex) {
    out = "hex";
    for (char c : shown) out += fmt::format(" {:02x}", static_cast<unsigned char>(c));
  } else {
    out = "\"" + scenario::encode_escapes(shown) + "\"";
  }
  return out + (bytes.size() > to ? "..." : " (its end)");
}

// The shown-bytes limit of a datagram's whole payload in a message.
constexpr std::size_t kDatagramShown = 64;

StreamMatch mismatch(std::string observed) {
  return {StreamMatch::State::mismatch, 0, std::move(observed)};
}

}  // namespace

std::string bytes_around(std::string_view expected, std::string_view received, std::size_t at) {
  const std::size_t from = at - std::min(at, kBytesBefore);
  const std::size_t to = at + kBytesAfter;
  auto window = [&](std::string_view side) {
    return from < side.size() ? side.substr(from, to - from) : std::string_view{};
  };
  const bool hex = !mostly_text(window(expected)) || !mostly_text(window(received));
  return fmt::format("from byte {}, expected {}, received {}", from,
                     window_of(expected, from, to, hex), window_of(received, from, to, hex));
}

std::string show_bytes(std::string_view bytes, std::size_t limit) {
  std::string shown = "\"" + scenario::encode_escapes(bytes.substr(0, limit)) + "\"";
  if (bytes.size() > limit) shown += fmt::format("... ({} bytes)", bytes.size());
  return shown;
}

std::string Expected::describe() const {
  switch (kind) {
    case Kind::data:
      return fmt::format("{} byte{} {}", bytes.size(), bytes.size() == 1 ? "" : "s",
                         show_bytes(bytes));
    case Kind::regex:
      return fmt::format("bytes matching /{}/", scenario::encode_escapes(regex));
    case Kind::length:
      if (length_max > length) return fmt::format("{} to {} bytes", length, length_max);
      return fmt::format("{} bytes", length);
  }
  return {};
}

StreamMatch match_stream(const Expected& expected, std::string_view received, bool final) {
  switch (expected.kind) {
    case Expected::Kind::data: {
      const std::string_view want = expected.bytes;
      const std::size_t at = first_difference(want, received);
      if (at < std::min(want.size(), received.size())) {
        return mismatch(fmt::format("byte {} is {}, not {}; {}", at, show_byte(received[at]),
                                    show_byte(want[at]), bytes_around(want, received, at)));
      }
      if (received.size() >= want.size()) return {StreamMatch::State::matched, want.size(), {}};
      if (final && received.empty())
        return mismatch(fmt::format("only 0 of {} bytes: \"\"", want.size()));
      if (final) {
        return mismatch(fmt::format("only {} of {} bytes; {}", received.size(), want.size(),
                                    bytes_around(want, received, received.size())));
      }
      return {};
    }
    case Expected::Kind::length:
      if (expected.settles()) {
        if (received.size() >= expected.length_max) {
          return {StreamMatch::State::matched, static_cast<std::size_t>(expected.length_max), {}};
        }
        if (final && received.size() >= expected.length) {
          return {StreamMatch::State::matched, received.size(), {}};
        }
      } else if (received.size() >= expected.length) {
        return {StreamMatch::State::matched, static_cast<std::size_t>(expected.length), {}};
      }
      if (final) {
        return mismatch(fmt::format("only {} of {} bytes: {}", received.size(), expected.length,
                                    show_bytes(received)));
      }
      return {};
    case Expected::Kind::regex: {
      // At the start of what has arrived: the rest (a pipelined reply) is left for later.
      const std::string_view window = received.substr(0, kRegexLimit);
      if (const auto length = regex_matches(expected.regex, window, true)) {
        return {StreamMatch::State::matched, *length, {}};
      }
      if (final || received.size() > kRegexLimit) {
        return mismatch(fmt::format("{} bytes that do not match: {}", received.size(),
                                    show_bytes(received, 200)));
      }
      return {};
    }
  }
  return {};
}

std::string match_datagram(const Expected& expected, std::string_view datagram,
                           std::string_view what) {
  switch (expected.kind) {
    case Expected::Kind::data: {
      if (datagram == expected.bytes) return {};
      const std::size_t at = first_difference(expected.bytes, datagram);
      if (datagram.size() != expected.bytes.size()) {
        std::string observed = fmt::format("{} of {} bytes: {}", what, datagram.size(),
                                           show_bytes(datagram, kDatagramShown));
        // A long payload shown by its start only: the bytes where it departs as well.
        if (std::max(datagram.size(), expected.bytes.size()) > kDatagramShown) {
          observed += "; " + bytes_around(expected.bytes, datagram, at);
        }
        return observed;
      }
      return fmt::format("byte {} is {}, not {}; {}", at, show_byte(datagram[at]),
                         show_byte(expected.bytes[at]), bytes_around(expected.bytes, datagram, at));
    }
    case Expected::Kind::length:
      if (datagram.size() == expected.length ||
          (datagram.size() > expected.length && datagram.size() <= expected.length_max)) {
        return {};
      }
      return fmt::format("{} of {} bytes: {}", what, datagram.size(), show_bytes(datagram));
    case Expected::Kind::regex:
      if (datagram.size() <= kRegexLimit && regex_matches(expected.regex, datagram)) return {};
      return fmt::format("{} that does not match: {}", what, show_bytes(datagram, 200));
  }
  return {};
}

}  // namespace sockspec::engine
