// The console's terminal: colour and live-line decisions, and its width (see console_tty.hpp).
#include "harness/report/console_tty.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

namespace sockspec::report {
namespace {

bool set_and_not(const EnvLookup& env, const char* name, std::string_view off) {
  const char* value = env(name);
  return value != nullptr && *value != '\0' && std::string_view(value) != off;
}

bool dumb_terminal(const EnvLookup& env) {
  const char* term = env("TERM");
  return term != nullptr && std::string_view(term) == "dumb";
}

}  // namespace

EnvLookup process_environment() {
  return [](const char* name) -> const char* { return std::getenv(name); };
}

bool console_colour(std::string_view mode, bool is_tty, const EnvLookup& env) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  if (set_and_not(env, "NO_COLOR", "")) return false;
  if (set_and_not(env, "FORCE_COLOR", "0") || set_and_not(env, "CLICOLOR_FORCE", "0")) {
    return true;
  }
  if (dumb_terminal(env)) return false;
  return is_tty;
}

bool console_live(bool is_tty, const EnvLookup& env) {
  return is_tty && !dumb_terminal(env);
}

bool is_terminal(std::FILE* out) {
  return ::isatty(::fileno(out)) == 1;
}

std::size_t terminal_width(std::FILE* out) {
  winsize size{};
  if (::ioctl(::fileno(out), TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return kDefaultWidth;
  return size.ws_col;
}

}  // namespace sockspec::report
