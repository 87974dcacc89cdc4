// Error messages from errno values.
#include "targets/net/result.hpp"

#include <fmt/core.h>

#include <cstring>

namespace sockspec::net {

Error errno_error(int code, std::string_view context) {
  const char* name = ::strerrorname_np(code);
  return Error{fmt::format("{}: {} ({})", context,
                           ::strerrordesc_np(code) ? ::strerrordesc_np(code) : "Unknown error",
                           name ? name : "?"),
               code};
}

}  // namespace sockspec::net
