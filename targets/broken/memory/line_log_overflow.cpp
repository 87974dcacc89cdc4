// Breaks SVC-1: keeps each client's current line in a fixed 1 KiB buffer for its log, and a
// line longer than that writes past the end of the buffer.
//
// A thread-per-client echo server that also logs the last line each client sent, the way many
// servers keep "the current request" around for a log line. Before echoing a chunk it copies it
// to the end of the line buffer with memcpy, trusting that lines are short: nothing checks that
// the line still fits. The echo itself is correct, so every short exchange passes; the first line
// of more than 1024 bytes (1025 bytes without an LF) overflows the heap block. Built with
// AddressSanitizer (memory/CMakeLists.txt), so the overflow aborts the server at once with a
// heap-buffer-overflow report, instead of corrupting the heap and crashing some time later.
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "targets/broken/support/support.hpp"

namespace {

constexpr std::size_t kLineMax = 1024;  // "nobody sends a line that long"

void serve(int client) {
  const auto line = std::make_unique<char[]>(kLineMax);
  std::size_t length = 0;  // bytes of the current line kept so far
  std::size_t lines = 0;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(client, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    const char* p = buf;
    const char* const end = buf + n;
    while (p < end) {
      const auto* lf =
          static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      const auto take = static_cast<std::size_t>((lf != nullptr ? lf : end) - p);
      std::memcpy(line.get() + length, p, take);  // the bug: no check that length + take fits
      length += take;
      if (lf == nullptr) break;
      ++lines;
      length = 0;
      p = lf + 1;
    }
    if (!sockspec::broken::send_all(client, buf, static_cast<std::size_t>(n))) break;
  }
  std::fprintf(stderr, "client left after %zu lines\n", lines);
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
