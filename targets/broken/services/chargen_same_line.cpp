// Breaks SVC-6: TCP chargen sends the same 72-character line over and over, never rotated.
//
// RFC 864's pattern shifts each line by one character. This server builds its line once, before
// the loop, and the loop only sends it: the offset that should advance with every line is never
// used again (the shape of many "chargen in 20 lines" examples). The stream is continuous,
// printable, 72 characters + CR LF per line, and stops when the client leaves (SVC-4 holds); only
// the rotation is missing.
#include <unistd.h>

#include "targets/broken/support/support.hpp"

namespace {

void chargen(int client) {
  char line[74];
  for (int j = 0; j < 72; ++j) line[j] = static_cast<char>(' ' + j % 95);
  line[72] = '\r';
  line[73] = '\n';
  for (;;) {  // the bug: the line is never rotated; each one equals the first
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
