// Breaks SVC-3: daytime prints struct tm's tm_year as the year: "126-06-01 12:34:56 UTC" in 2026.
//
// A daytime server that formats the date by hand from gmtime() and forgets that tm_year counts
// from 1900 (the classic bug behind "19100" in old web pages). The line is printable, has a
// time and looks like a date, but the year is 126 (or "19126" with a hard-coded "19").
#include <time.h>
#include <unistd.h>

#include <cstdio>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  for (;;) {
    const int client = accept_client(listener);
    const time_t now = ::time(nullptr);
    struct tm tm {};
    ::gmtime_r(&now, &tm);
    char line[64];
    const int n = std::snprintf(line, sizeof line, "%d-%02d-%02d %02d:%02d:%02d UTC\r\n",
                                tm.tm_year,  // the bug: years since 1900
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    send_all(client, line, static_cast<size_t>(n));
    ::close(client);
  }
}
