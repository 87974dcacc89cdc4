// Request splitting and reply-line counting for --lines.
#include "targets/client/lines.hpp"

namespace sockspec::client {

std::vector<std::string_view> split_request_lines(std::string_view message) {
  std::vector<std::string_view> lines;
  while (!message.empty()) {
    const auto lf = message.find('\n');
    const auto length = lf == std::string_view::npos ? message.size() : lf + 1;
    lines.push_back(message.substr(0, length));
    message.remove_prefix(length);
  }
  return lines;
}

std::string terminate_last_line(std::string_view message) {
  std::string out(message);
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

std::size_t ReplyLineCounter::feed(std::span<const std::byte> chunk) {
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    if (complete()) return i;
    if (chunk[i] == std::byte{'\n'}) ++seen_;
  }
  return chunk.size();
}

}  // namespace sockspec::client
