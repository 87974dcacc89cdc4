// Connection: drives one TCP connection's StreamSession over a non-blocking socket.
//
// The concurrency models differ only in who waits for events and calls on_events(): a blocking
// loop per connection (iterative, threads, processes: serve_connection()) or one epoll loop
// for all. The connection itself reads, feeds the session, sends what is owed (finishing short
// writes), stops reading while too much output is queued (a client that does not read costs
// bounded memory, STR-7), and closes gracefully: after the last byte it shuts down its sending
// side and reads until the client closes too, so a reply is never cut by an RST caused by
// unread input (STR-3, ACC-7).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "targets/net/socket.hpp"
#include "targets/proto/service.hpp"

namespace sockspec::server {

class Connection {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // How long a closing connection waits for the client to close its side.
  static constexpr std::chrono::seconds kLingerTimeout{2};
  // Queued output above which the connection stops reading (and generating).
  static constexpr std::size_t kHighWater = 256 * 1024;

  // `socket` must be non-blocking.
  Connection(net::Socket socket, std::unique_ptr<proto::StreamSession> session);

  // Lets the session greet (daytime sends its line here). Call once, first.
  void open();
  // Handles what poll/epoll reported for fd(): POLLIN, POLLOUT, POLLHUP, POLLERR.
  void on_events(short revents);
  // The linger deadline passed: give up waiting for the client's FIN.
  void on_timeout();

  [[nodiscard]] int fd() const { return socket_.fd(); }
  // Events to wait for now (POLLIN, POLLOUT or both). Meaningless once finished().
  [[nodiscard]] short interest() const;
  // Set while waiting for the client to close after our last byte.
  [[nodiscard]] bool lingering() const { return state_ == State::kLingering; }
  [[nodiscard]] TimePoint linger_deadline() const { return linger_deadline_; }
  // Bytes held for output, already sent or not: the memory a slow reader costs (STR-7).
  [[nodiscard]] std::size_t buffered_bytes() const { return pending_.size(); }
  // True when the connection is over; the socket is closed with the object.
  [[nodiscard]] bool finished() const { return state_ == State::kFinished; }

 private:
  enum class State { kOpen, kLingering, kFinished };

  void read_input();
  void flush_output();
  void take(proto::Output& out);
  void start_closing();
  [[nodiscard]] std::size_t queued() const { return pending_.size() - sent_; }

  net::Socket socket_;
  std::unique_ptr<proto::StreamSession> session_;
  std::string pending_;
  std::size_t sent_ = 0;
  bool peer_eof_ = false;
  bool close_owed_ = false;
  State state_ = State::kOpen;
  TimePoint linger_deadline_{};
};

}  // namespace sockspec::server
