// What the console may do on its terminal: colour (--color and the environment's conventions),
// a live status line, and how wide a line may be.
#pragma once

#include <cstddef>
#include <cstdio>
#include <functional>
#include <string_view>

namespace sockspec::report {

// Looks up an environment variable: its value, or nullptr when it is not set.
using EnvLookup = std::function<const char*(const char* name)>;
// The process's environment (std::getenv).
[[nodiscard]] EnvLookup process_environment();

// Whether the console is coloured. `mode` is --color's value: "always" and "never" decide alone;
// any other value is auto, where, in this order: NO_COLOR set and not empty: no colour
// (https://no-color.org); FORCE_COLOR or CLICOLOR_FORCE set, not empty and not "0": colour, even
// when not a terminal; TERM=dumb: no colour; else colour exactly when `is_tty`.
[[nodiscard]] bool console_colour(std::string_view mode, bool is_tty, const EnvLookup& env);

// Whether the console draws a live status line redrawn in place: on a terminal that understands
// the erase-line sequence (`is_tty` and TERM is not "dumb").
[[nodiscard]] bool console_live(bool is_tty, const EnvLookup& env);

// Whether `out` is a terminal.
[[nodiscard]] bool is_terminal(std::FILE* out);

// The width of `out`'s terminal in columns (TIOCGWINSZ), or kDefaultWidth when it has none.
inline constexpr std::size_t kDefaultWidth = 80;
[[nodiscard]] std::size_t terminal_width(std::FILE* out);

}  // namespace sockspec::report
