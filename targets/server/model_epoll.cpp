// Epoll model: one thread, non-blocking sockets, level-triggered readiness for every listener
// and connection (muduo's EventLoop, reduced). Each connection is the same Connection the
// blocking models drive; only who waits differs.
#include <poll.h>

#include <algorithm>
#include <array>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "targets/server/connection.hpp"
#include "targets/server/epoll.hpp"
#include "targets/server/listener_poll.hpp"
#include "targets/server/log.hpp"
#include "targets/server/model.hpp"
#include "targets/server/serve.hpp"

namespace sockspec::server {
namespace {

using SteadyClock = std::chrono::steady_clock;

class EpollServer {
 public:
  EpollServer(ServerContext& ctx, Epoll epoll) : ctx_(ctx), epoll_(std::move(epoll)) {}

  int run() {
    if (auto s = register_listeners(); !s) return fail(s.error());
    std::array<epoll_event, 128> events;
    for (;;) {
      auto n = epoll_.wait(events, next_timeout());
      if (!n) return fail(n.error());
      for (const auto& e : std::span(events).first(static_cast<std::size_t>(*n))) {
        const int fd = e.data.fd;
        if (fd == ctx_.stop.fd()) return 0;  // open connections close with the map
        on_event(fd, static_cast<short>(e.events));
      }
      expire_lingering();
      set_accepting(connections_.size() < ctx_.max_clients);
    }
  }

 private:
  static int fail(const net::Error& error) {
    log_line("{}", error.message);
    return 1;
  }

  net::Status register_listeners() {
    if (auto s = epoll_.add(ctx_.stop.fd(), POLLIN); !s) return s;
    for (const auto& a : ctx_.listeners.tcp) {
      if (auto s = epoll_.add(a.fd(), POLLIN); !s) return s;
    }
    for (const auto& u : ctx_.listeners.udp) {
      if (auto s = epoll_.add(u.fd(), POLLIN); !s) return s;
    }
    return {};
  }

  void on_event(int fd, short events) {
    for (auto& a : ctx_.listeners.tcp) {
      if (a.fd() == fd) return accept_from(a);
    }
    for (const auto& u : ctx_.listeners.udp) {
      if (u.fd() == fd) {
        for_each_datagram(u, [&](net::Datagram d) { answer_datagram(u, d, ctx_.service); });
        return;
      }
    }
    if (auto it = connections_.find(fd); it != connections_.end()) {
      it->second.on_events(events);
      update(it);
    }
  }

  // Accepts what is waiting, up to --max-clients connections.
  void accept_from(net::Acceptor& acceptor) {
    while (connections_.size() < ctx_.max_clients) {
      auto client = acceptor.accept(true);
      if (!client) {
        log_line("{}", client.error().message);
        return;
      }
      if (!*client) return;
      const int fd = (*client)->socket.fd();
      auto session = ctx_.service.open_session(proto::Context{(*client)->peer.to_string()});
      auto [it, inserted] =
          connections_.try_emplace(fd, std::move((*client)->socket), std::move(session));
      it->second.open();
      if (it->second.finished()) {
        connections_.erase(it);
        continue;
      }
      if (auto s = epoll_.add(fd, it->second.interest()); !s) {
        log_line("{}", s.error().message);
        connections_.erase(it);
        continue;
      }
      interest_[fd] = it->second.interest();
      note_lingering(it->second);
    }
  }

  // After an event: drop a finished connection, or tell epoll what it waits for now.
  void update(std::unordered_map<int, Connection>::iterator it) {
    const int fd = it->first;
    if (it->second.finished()) {
      epoll_.remove(fd);
      interest_.erase(fd);
      lingering_set_.erase(fd);  // a stale deadline in lingering_ is checked before use
      connections_.erase(it);    // closes the socket
      return;
    }
    const short wanted = it->second.interest();
    if (interest_[fd] != wanted) {
      if (auto s = epoll_.modify(fd, wanted); !s) log_line("{}", s.error().message);
      interest_[fd] = wanted;
    }
    note_lingering(it->second);
  }

  // Lingering connections wait for the client's FIN at most kLingerTimeout; every linger starts
  // with the same timeout, so a FIFO of deadlines stays sorted.
  void note_lingering(const Connection& c) {
    if (c.lingering() && lingering_set_.insert(c.fd()).second) {
      lingering_.push_back({c.linger_deadline(), c.fd()});
    }
  }

  void expire_lingering() {
    const auto now = SteadyClock::now();
    while (!lingering_.empty() && lingering_.front().first <= now) {
      const int fd = lingering_.front().second;
      lingering_.pop_front();
      lingering_set_.erase(fd);
      if (auto it = connections_.find(fd); it != connections_.end() && it->second.lingering() &&
                                           it->second.linger_deadline() <= now) {
        it->second.on_timeout();
        update(it);
      }
    }
  }

  [[nodiscard]] std::chrono::milliseconds next_timeout() const {
    if (lingering_.empty()) return std::chrono::milliseconds(-1);
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(lingering_.front().first - SteadyClock::now());
    return std::max(left, std::chrono::milliseconds(0));
  }

  // At --max-clients, listeners leave the interest set; clients wait in the backlog.
  void set_accepting(bool on) {
    if (on == accepting_) return;
    accepting_ = on;
    for (const auto& a : ctx_.listeners.tcp) {
      if (auto s = epoll_.modify(a.fd(), on ? POLLIN : 0); !s) log_line("{}", s.error().message);
    }
  }

  ServerContext& ctx_;
  Epoll epoll_;
  std::unordered_map<int, Connection> connections_;
  std::unordered_map<int, short> interest_;
  std::deque<std::pair<SteadyClock::time_point, int>> lingering_;
  std::unordered_set<int> lingering_set_;
  bool accepting_ = true;
};

}  // namespace

int run_epoll(ServerContext& ctx) {
  auto epoll = Epoll::create();
  if (!epoll) {
    log_line("{}", epoll.error().message);
    return 1;
  }
  return EpollServer(ctx, std::move(*epoll)).run();
}

}  // namespace sockspec::server
