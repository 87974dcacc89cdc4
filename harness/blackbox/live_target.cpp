// LiveTarget: start, watch, restart and stop the server under fuzz.
#include "harness/blackbox/live_target.hpp"

#include <fmt/format.h>

#include <utility>

namespace sockspec::blackbox {

namespace {

std::string_view transport_name(scenario::Transport t) {
  return t == scenario::Transport::tcp ? "tcp" : "udp";
}

std::string_view family_name(scenario::Family f) {
  return f == scenario::Family::ipv6 ? "ipv6" : "ipv4";
}

}  // namespace

LiveTarget::LiveTarget(LiveTargetSpec spec) : spec_(std::move(spec)) {
  name_ = spec_.profile ? spec_.profile->name
                        : fmt::format("connect {}", spec_.connect ? spec_.connect->to_string()
                                                                  : std::string("?"));
}

net::Result<LiveTarget> LiveTarget::start(LiveTargetSpec spec) {
  if (!spec.profile && !spec.connect) return net::Error{"no target: neither profile nor address"};
  LiveTarget live(std::move(spec));
  if (live.adopted()) {
    live.endpoint_ = *live.spec_.connect;
    return live;
  }
  if (net::Status s = live.launch(); !s) return s.error();
  return live;
}

LiveTarget::~LiveTarget() {
  stop();
}

net::Status LiveTarget::launch() {
  net::Result<target::Instance> started = target::Instance::start(*spec_.profile, spec_.vars);
  if (!started) return started.error();
  const std::optional<net::Endpoint> where = started->endpoint(spec_.transport, spec_.family);
  if (!where) {
    return net::Error{fmt::format("target '{}': serves no {} socket over {} (command: {})", name_,
                                  transport_name(spec_.transport), family_name(spec_.family),
                                  started->command().to_string())};
  }
  endpoint_ = *where;
  instance_ = std::make_unique<target::Instance>(std::move(started).value());
  return {};
}

std::string LiveTarget::command_line() const {
  return instance_ ? instance_->command().to_string() : std::string();
}

std::optional<target::ExitStatus> LiveTarget::ended(std::chrono::milliseconds grace) {
  if (!instance_) return std::nullopt;
  return grace.count() > 0 ? instance_->wait(grace) : instance_->exit_status();
}

std::string LiveTarget::stderr_tail(std::size_t max_bytes) const {
  return instance_ ? instance_->stderr_tail(max_bytes) : std::string();
}

std::string LiveTarget::sanitizer_report() const {
  return instance_ ? instance_->sanitizer_report() : std::string();
}

net::Status LiveTarget::restart() {
  if (adopted())
    return net::Error{fmt::format("{}: cannot restart a server given by --connect", name_)};
  instance_.reset();  // ~Instance: SIGKILL to the group, then reaps
  if (net::Status s = launch(); !s) return s;
  ++restarts_;
  return {};
}

void LiveTarget::stop() {
  if (!instance_) return;
  (void)instance_->stop();
  instance_.reset();
}

}  // namespace sockspec::blackbox
