// The corpus folder: its file format, reading it bounded, writing it atomically.
#include "harness/blackbox/corpus_store.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>

namespace sockspec::blackbox {
namespace {

namespace fs = std::filesystem;

// Digits of a message length: 24 is past any length a file could hold.
constexpr std::size_t kMaxLengthDigits = 24;

// The most a file of `max_len`-byte messages can hold, so that reading one is bounded too.
std::size_t max_file_bytes(std::size_t max_len) {
  return kMessagesMagic.size() + kMaxFileMessages * (max_len + kMaxLengthDigits + 2);
}

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

// Up to `limit` bytes of `path`; nullopt when it cannot be opened.
std::optional<std::string> read_head(const fs::path& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data(limit, '\0');
  in.read(data.data(), static_cast<std::streamsize>(limit));
  data.resize(static_cast<std::size_t>(in.gcount()));
  return data;
}

// A name for the temporary file of a write, unique across the threads and processes writing
// into one folder.
std::string temporary_name(const std::string& name) {
  static std::atomic<std::uint64_t> counter{0};
  return fmt::format(".{}.{}.{}.tmp", name, ::getpid(), counter.fetch_add(1));
}

}  // namespace

std::string encode_messages(const Messages& messages) {
  if (messages.size() == 1 && !messages[0].starts_with(kMessagesMagic)) return messages[0];
  std::string out(kMessagesMagic);
  for (const std::string& m : messages) {
    out += std::to_string(m.size());
    out += '\n';
    out += m;
    out += '\n';
  }
  return out;
}

net::Result<Messages> decode_messages(std::string_view content, std::size_t max_len) {
  Messages out;
  if (!content.starts_with(kMessagesMagic)) {
    if (!content.empty()) out.emplace_back(content.substr(0, max_len));
    return out;
  }
  std::size_t at = kMessagesMagic.size();
  while (at < content.size()) {
    if (out.size() >= kMaxFileMessages) {
      return net::Error{fmt::format("more than {} messages", kMaxFileMessages)};
    }
    const std::size_t digits_end = content.find('\n', at);
    const std::string_view digits =
        content.substr(at, digits_end == std::string_view::npos ? 0 : digits_end - at);
    if (digits.empty() || digits.size() > kMaxLengthDigits ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return net::Error{
          fmt::format("byte {}: expected a message length (digits, then a line end)", at)};
    }
    std::size_t length = 0;
    for (const char c : digits) length = length * 10 + static_cast<std::size_t>(c - '0');
    const std::size_t body = digits_end + 1;
    if (length > content.size() - body) {
      return net::Error{fmt::format("byte {}: message {} says {} bytes, only {} left", at,
                                    out.size() + 1, length, content.size() - body)};
    }
    const std::size_t end = body + length;
    if (end < content.size() && content[end] != '\n') {
      return net::Error{
          fmt::format("byte {}: expected a line end after message {}", end, out.size() + 1)};
    }
    if (length > 0) out.emplace_back(content.substr(body, std::min(length, max_len)));
    at = end + 1;
  }
  return out;
}

std::string content_name(const Messages& messages) {
  return fmt::format("{:016x}", fnv1a64(encode_messages(messages)));
}

net::Result<FolderRead> read_corpus_folder(const std::string& dir, std::size_t max_len,
                                           const std::unordered_set<std::string>& skip,
                                           std::size_t max_files) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return net::Error{fmt::format("{}: no such folder", dir)};
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.starts_with('.') || skip.contains(name)) continue;
    std::error_code type_ec;
    if (it->is_regular_file(type_ec)) names.push_back(std::move(name));
  }
  if (ec) return net::Error{fmt::format("{}: {}", dir, ec.message())};
  std::sort(names.begin(), names.end());
  FolderRead out;
  out.left = names.size() - std::min(names.size(), max_files);
  for (std::size_t i = 0; i < names.size() && i < max_files; ++i) {
    const fs::path path = fs::path(dir) / names[i];
    const std::optional<std::string> content = read_head(path, max_file_bytes(max_len));
    if (!content) {
      out.bad.push_back(fmt::format("{}: cannot be read", path.string()));
      continue;
    }
    net::Result<Messages> messages = decode_messages(*content, max_len);
    if (!messages) {
      out.bad.push_back(fmt::format("{}: {}", path.string(), messages.error().message));
    } else if (!messages->empty()) {
      out.inputs.push_back(std::move(messages).value());
    }
  }
  names.resize(std::min(names.size(), max_files));
  out.names = std::move(names);
  return out;
}

net::Result<std::string> save_messages(const std::string& dir, const Messages& messages) {
  std::string name = content_name(messages);
  const fs::path path = fs::path(dir) / name;
  std::error_code ec;
  if (fs::exists(path, ec)) return name;
  const fs::path temporary = fs::path(dir) / temporary_name(name);
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    const std::string content = encode_messages(messages);
    file.write(content.data(), static_cast<std::streamsize>(content.size()));
    file.close();
    if (!file) {
      const int code = errno;
      fs::remove(temporary, ec);
      return net::errno_error(code, fmt::format("writing {}", path.string()));
    }
  }
  fs::rename(temporary, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return net::Error{fmt::format("writing {}: {}", path.string(), ec.message())};
  }
  return name;
}

}  // namespace sockspec::blackbox
