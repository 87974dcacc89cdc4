// A blocking driver for the reference services' session logic (see session_driver.hpp).
#include "targets/broken/accept/session_driver.hpp"

#include <cstdio>
#include <cstdlib>

namespace sockspec::broken {

std::unique_ptr<proto::Service> service_or_exit(const std::string& name) {
  std::unique_ptr<proto::Service> service = proto::make_service(name);
  if (!service || name == "chargen") {
    std::fprintf(stderr, "unsupported service %s\n", name.c_str());
    std::exit(2);
  }
  return service;
}

void serve_session(int fd, const proto::Service& service, std::string peer) {
  const std::unique_ptr<proto::StreamSession> session =
      service.open_session(proto::Context{std::move(peer)});
  proto::Output out;
  session->on_open(out);
  char buf[16384];
  for (;;) {
    if (!out.bytes.empty() && !send_all(fd, out.bytes.data(), out.bytes.size())) return;
    out.bytes.clear();
    if (out.close_after) return;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return;
    if (n == 0) {
      session->on_eof(out);
      out.close_after = true;
    } else {
      session->on_data(std::as_bytes(std::span(buf, static_cast<std::size_t>(n))), out);
    }
  }
}

}  // namespace sockspec::broken
