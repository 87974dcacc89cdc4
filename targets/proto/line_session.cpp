// The `line` service's TCP framing: find each LF with memchr, parse, reply, keep only a tail.
#include "targets/proto/line_session.hpp"

#include <string_view>

#include "targets/proto/line_reply.hpp"
#include "targets/proto/line_request.hpp"

namespace sockspec::proto {

void LineSession::on_data(std::span<const std::byte> in, Output& out) {
  std::string_view data = as_chars(in);
  while (!closing_ && !data.empty()) {
    const std::size_t lf = data.find('\n');
    const std::size_t before_lf = (lf == std::string_view::npos) ? data.size() : lf;
    // The whole line, buffered part included, must fit: checking before appending keeps
    // partial_ bounded and rejects the 4097th byte the moment it arrives.
    if (partial_.size() + before_lf > kMaxLineBytes) {
      reject_overlong(out);
      return;
    }
    if (lf == std::string_view::npos) {
      partial_.append(data);
      return;
    }
    if (partial_.empty()) {
      // Fast path: the whole line is inside this chunk; parse it in place.
      answer_line(data.substr(0, lf), out);
    } else {
      partial_.append(data.substr(0, lf));
      answer_line(partial_, out);
      partial_.clear();
    }
    data.remove_prefix(lf + 1);
  }
}

void LineSession::answer_line(std::string_view line, Output& out) {
  if (append_reply(parse_request(line), ctx_, out.bytes) == AfterReply::kClose) {
    closing_ = true;
    out.close_after = true;
  }
}

void LineSession::reject_overlong(Output& out) {
  out.bytes.append(kLineTooLongReply);
  out.close_after = true;
  closing_ = true;
  partial_.clear();
  partial_.shrink_to_fit();
}

}  // namespace sockspec::proto
