// Breaks SVC-5: the `line` server trims all trailing whitespace, not just one CR, from each line.
//
// Hand-written line servers "clean up" each line before parsing it: Python's line.rstrip(),
// boost::trim_right, `while (isspace(s.back())) s.pop_back()`. The protocol drops exactly one CR
// before the LF and keeps every other byte as argument, so `ECHO x\r\r` must answer "+x\r" and
// `LEN x\r\r` "+2"; trimmed, they answer "+x" and "+1" (trailing spaces, tabs likewise vanish).
// Framing is correct here (pipelining, split requests, the 4096-byte limit); parsing and replies
// are the reference `line` code (targets/proto). Only the trim is wrong.
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "targets/broken/support/support.hpp"
#include "targets/proto/line_reply.hpp"
#include "targets/proto/line_request.hpp"

namespace {

namespace proto = sockspec::proto;

std::string_view rstrip(std::string_view line) {
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
    line.remove_suffix(1);
  }
  return line;
}

void serve(int client) {
  proto::Context ctx;
  sockaddr_storage peer{};
  socklen_t peer_len = sizeof peer;
  ::getpeername(client, reinterpret_cast<sockaddr*>(&peer), &peer_len);
  ctx.peer = sockspec::broken::address_text(reinterpret_cast<const sockaddr*>(&peer), peer_len);
  std::string pending;
  char buf[16384];
  bool closing = false;
  while (!closing) {
    const ssize_t n = ::recv(client, buf, sizeof buf, 0);
    if (n <= 0) break;  // EOF: a partial line is dropped
    pending.append(buf, static_cast<size_t>(n));
    std::string replies;
    size_t lf;
    while (!closing && (lf = pending.find('\n')) != std::string::npos) {
      if (lf > proto::kMaxLineBytes) break;
      const std::string_view line = rstrip(std::string_view(pending).substr(0, lf));  // the bug
      closing = proto::append_reply(proto::parse_request(line), ctx, replies) ==
                proto::AfterReply::kClose;
      pending.erase(0, lf + 1);
    }
    if (!closing && std::min(pending.find('\n'), pending.size()) > proto::kMaxLineBytes) {
      replies += proto::kLineTooLongReply;
      closing = true;
    }
    if (!sockspec::broken::send_all(client, replies.data(), replies.size())) break;
  }
  ::close(client);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  serve_threads(listener, serve);
}
