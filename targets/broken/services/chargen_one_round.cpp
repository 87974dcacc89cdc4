// Breaks SVC-4: TCP chargen sends one rotation of the pattern (95 lines) and closes.
//
// The RFC 864 pattern is 95 lines, each rotated by one; this server's loop runs over the
// rotation once, as if it were the whole answer, instead of repeating until the client leaves
// (the UDP habit of "one answer, done"). A client gets 7,030 bytes and EOF, not a stream.
#include <unistd.h>

#include "targets/broken/support/support.hpp"

namespace {

void chargen(int client) {
  char line[74];
  for (int i = 0; i < 95; ++i) {  // the bug: no outer loop; the stream ends after one rotation
    for (int j = 0; j < 72; ++j) line[j] = static_cast<char>(' ' + (i + j) % 95);
    line[72] = '\r';
    line[73] = '\n';
    if (!sockspec::broken::send_all(client, line, sizeof line)) break;
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
  serve_threads(listener, chargen);
}
