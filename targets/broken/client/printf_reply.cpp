// Breaks CLI-1: prints the reply with printf("%s\n"): a newline is added, and a NUL ends it.
//
// The tutorial client: the reply sits in a char buffer and is shown with printf("%s\n", buf)
// (or puts(buf)). A text reply gains a newline the server never sent; a binary reply is cut at
// its first NUL byte; an empty UDP reply prints "\n". Connecting, sending, reading the whole
// reply, timeouts and exit codes are all correct (client_support).
#include <cstdio>
#include <string>

#include "targets/broken/client/client_support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken::client;
  const ClientArgs args = parse_client_args(argc, argv);
  const std::string reply = exchange(args);
  std::printf("%s\n", reply.c_str());  // the bug
  return kExitOk;
}
