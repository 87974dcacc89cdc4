// A blocking driver for the reference services' session logic (targets/proto), shared by the
// broken servers of this folder that offer `line` and `daytime`: the bug sits in the server
// around it, never in the protocol. Serves echo, discard, daytime and line; not chargen, which
// produces without input and needs an event loop.
#pragma once

#include <errno.h>
#include <sys/socket.h>

#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "targets/broken/support/support.hpp"
#include "targets/proto/service.hpp"

namespace sockspec::broken {

// The service --service names; exits 2 for chargen or an unknown one.
std::unique_ptr<proto::Service> service_or_exit(const std::string& name);

// Runs one connection until the session closes it, the peer's EOF was answered, or an error.
// `peer` is what the session's WHOAMI answers. Does not close fd.
void serve_session(int fd, const proto::Service& service, std::string peer);

}  // namespace sockspec::broken
