// Recognising TIME replies and the RFC 3339 form of their time (see time_form.hpp).
#include "harness/blackbox/time_form.hpp"

#include <string>

namespace sockspec::blackbox {

std::size_t time_form_length(std::string_view text) {
  // 'D' a digit; anything else literal; 'T' and 'Z' either case (RFC 3339 section 5.6 NOTE).
  constexpr std::string_view kForm = "DDDD-DD-DDTDD:DD:DD";
  if (text.size() < kForm.size() + 1) return 0;
  for (std::size_t i = 0; i < kForm.size(); ++i) {
    const char c = text[i];
    const bool ok = kForm[i] == 'D'   ? (c >= '0' && c <= '9')
                    : kForm[i] == 'T' ? (c == 'T' || c == 't')
                                      : c == kForm[i];
    if (!ok) return 0;
  }
  const std::string_view zone = text.substr(kForm.size());
  if (zone.front() == 'Z' || zone.front() == 'z') return kForm.size() + 1;
  if (zone.substr(0, 6) == "+00:00") return kForm.size() + 6;
  return 0;
}

std::vector<std::size_t> time_replies(std::string_view replies) {
  const std::string reply = "+" + std::string(kTimeSentinelText) + "\r\n";
  std::vector<std::size_t> at;
  std::size_t start = 0;
  while (start < replies.size()) {
    if (replies.substr(start, reply.size()) == reply) at.push_back(start + 1);
    const std::size_t end = replies.find("\r\n", start);
    if (end == std::string_view::npos) break;
    start = end + 2;
  }
  return at;
}

}  // namespace sockspec::blackbox
