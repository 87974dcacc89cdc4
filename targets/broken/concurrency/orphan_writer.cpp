// Breaks CON-4: a writer thread per client that nobody stops: it waits for output forever.
//
// Each client gets two threads, the design of many chat and proxy servers: a reader that receives
// and queues, and a writer that sends what is queued. When the client leaves, the reader waits
// for the queue to drain, closes the socket and returns; but the writer sleeps on its condition
// variable for data that will never come, because its wait only wakes for data, and nobody told it
// the connection is over. One parked thread per connection ever served.
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "targets/broken/support/support.hpp"

namespace {

struct Connection {
  int fd;
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::string> queue;  // received, not sent yet (bounded: at most 16 chunks)
};

void writer(const std::shared_ptr<Connection>& c) {
  for (;;) {
    std::unique_lock lock(c->mutex);
    c->changed.wait(lock, [&] { return !c->queue.empty(); });  // the bug: never wakes to end
    const std::string chunk = c->queue.front();
    lock.unlock();
    sockspec::broken::send_all(c->fd, chunk.data(), chunk.size());  // on an error: dropped
    lock.lock();
    c->queue.pop_front();
    c->changed.notify_all();
  }
}

void reader(int fd) {
  auto c = std::make_shared<Connection>();
  c->fd = fd;
  std::thread(writer, c).detach();
  char buf[16384];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::unique_lock lock(c->mutex);
    c->changed.wait(lock, [&] { return c->queue.size() < 16; });
    c->queue.emplace_back(buf, static_cast<std::size_t>(n));
    c->changed.notify_all();
  }
  std::unique_lock lock(c->mutex);
  c->changed.wait(lock, [&] { return c->queue.empty(); });  // everything owed is sent (STR-3)
  ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  serve_threads(listener, reader);
}
