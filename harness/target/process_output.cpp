// The reader thread of a Process and its bounded output buffers.
#include "harness/target/process_output.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace sockspec::target {
namespace {

void append_tail(std::string& tail, std::string_view data) {
  if (data.size() >= kTailBytes) {
    tail.assign(data.substr(data.size() - kTailBytes));
    return;
  }
  tail.append(data);
  if (tail.size() > 2 * kTailBytes) tail.erase(0, tail.size() - kTailBytes);
}

// Where the line holding the first sanitizer marker starts in `tail`, looking only where the last
// `added` bytes could complete one; npos when none is there.
std::size_t report_start(const std::string& tail, std::size_t added) {
  std::size_t longest = 0;
  for (const std::string_view m : kSanitizerMarkers) longest = std::max(longest, m.size());
  const std::size_t from = tail.size() - std::min(tail.size(), added + longest - 1);
  std::size_t first = std::string::npos;
  for (const std::string_view m : kSanitizerMarkers) first = std::min(first, tail.find(m, from));
  if (first == std::string::npos) return first;
  const std::size_t newline = tail.rfind('\n', first);
  return newline == std::string::npos ? 0 : newline + 1;
}

void keep_report(std::string& report, bool& cut, std::string_view data) {
  if (cut) return;
  const std::size_t room = kReportBytes - std::min(kReportBytes, report.size());
  report.append(data.substr(0, room));
  if (data.size() > room) {
    report += "\n[... cut at 1 MiB]\n";
    cut = true;
  }
}

std::string last(const std::string& tail, std::size_t bytes) {
  return tail.size() <= bytes ? tail : tail.substr(tail.size() - bytes);
}

// One read() into `sink`; false at EOF or on an error other than EINTR/EAGAIN.
template <class Sink>
bool read_into(int fd, Sink sink) {
  char buffer[65536];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n > 0) {
    sink(std::string_view(buffer, static_cast<std::size_t>(n)));
    return true;
  }
  return n < 0 && (errno == EINTR || errno == EAGAIN);
}

// Reads `fd` (non-blocking) until it is empty, at most kFlushReads times (a pipe holds at most
// 1 MiB by default: 16 reads); false at EOF or on an error other than EINTR/EAGAIN.
constexpr int kFlushReads = 64;
template <class Sink>
bool read_all(int fd, Sink sink) {
  for (int i = 0; i < kFlushReads; ++i) {
    char buffer[65536];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      sink(std::string_view(buffer, static_cast<std::size_t>(n)));
    } else if (n == 0 || errno != EINTR) {
      return n < 0 && errno == EAGAIN;
    }
  }
  return true;
}

// Marks the reader gone when drain() returns, before its descriptors close.
struct ReaderGone {
  Process::Output& output;
  ~ReaderGone() {
    std::lock_guard lock(output.mutex);
    output.reader_gone = true;
    output.changed.notify_all();
  }
};

}  // namespace

void Process::Output::append_stdout(std::string_view data) {
  std::lock_guard lock(mutex);
  append_tail(out_tail, data);
  if (early.size() >= kEarlyLines) return;  // a flood costs no line splitting
  const std::uint64_t before = generation;
  for (std::size_t i = 0; i < data.size() && early.size() < kEarlyLines;) {
    const std::size_t nl = std::min(data.find('\n', i), data.size());
    const std::string_view piece = data.substr(i, nl - i);
    line.append(piece.substr(0, kEarlyLineBytes - std::min(kEarlyLineBytes, line.size())));
    if (nl == data.size()) break;
    early.push_back(std::move(line));
    line.clear();
    ++generation;
    i = nl + 1;
  }
  if (generation != before) changed.notify_all();
}

void Process::Output::append_stderr(std::string_view data) {
  std::lock_guard lock(mutex);
  append_tail(err_tail, data);
  if (!report.empty()) {
    keep_report(report, report_cut, data);
  } else if (const std::size_t at = report_start(err_tail, data.size()); at != std::string::npos) {
    keep_report(report, report_cut, std::string_view(err_tail).substr(at));
  }
}

void Process::Output::end_stdout() {
  std::lock_guard lock(mutex);
  out_ended = true;
  ++generation;
  changed.notify_all();
}

void drain(std::shared_ptr<Process::Output> output, net::Fd in, std::string stdin_data, net::Fd out,
           net::Fd err, net::Fd stop) {
  sigset_t pipe_only;
  ::sigemptyset(&pipe_only);
  ::sigaddset(&pipe_only, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
  const ReaderGone gone{*output};
  for (const int fd : {out.get(), err.get()}) ::fcntl(fd, F_SETFL, O_NONBLOCK);  // for read_all
  const auto take_stdout = [&](std::string_view d) { output->append_stdout(d); };
  const auto take_stderr = [&](std::string_view d) { output->append_stderr(d); };
  std::size_t fed = 0;
  for (;;) {
    if (in && fed >= stdin_data.size()) in.reset();  // all written: the target sees EOF
    if (!out && !err && !in) return;
    pollfd p[4] = {{out.get(), POLLIN, 0},
                   {err.get(), POLLIN, 0},
                   {in.get(), POLLOUT, 0},
                   {stop.get(), POLLIN, 0}};
    if (::poll(p, 4, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (p[3].revents != 0) {
      char requests[64];
      if ((p[3].revents & POLLIN) == 0 || ::read(stop.get(), requests, sizeof requests) <= 0) {
        return;  // hung up: the owner is done with us
      }
      std::uint64_t serving = 0;  // every request made before the pipes are read below
      {
        std::lock_guard lock(output->mutex);
        serving = output->flushes_asked;
      }
      if (out && !read_all(out.get(), take_stdout)) {
        out.reset();
        output->end_stdout();
      }
      if (err && !read_all(err.get(), take_stderr)) {
        err.reset();
        output->end_stderr();
      }
      std::lock_guard lock(output->mutex);
      output->flushes_done = serving;
      output->changed.notify_all();
      continue;  // the other events were seen before these reads
    }
    if (p[0].revents != 0 && !read_into(out.get(), take_stdout)) {
      out.reset();
      output->end_stdout();
    }
    if (p[1].revents != 0 && !read_into(err.get(), take_stderr)) {
      err.reset();
      output->end_stderr();
    }
    if (p[2].revents != 0) {
      const ssize_t n = ::write(in.get(), stdin_data.data() + fed, stdin_data.size() - fed);
      if (n > 0) {
        fed += static_cast<std::size_t>(n);
      } else if (n < 0 && errno != EINTR && errno != EAGAIN) {
        in.reset();  // EPIPE: the target closed its stdin; the rest is dropped
      }
    }
  }
}

void Process::Output::end_stderr() {
  std::lock_guard lock(mutex);
  err_ended = true;
  changed.notify_all();
}

bool Process::wait_drained(std::chrono::milliseconds timeout) const {
  Output& o = *output_;
  std::unique_lock lock(o.mutex);
  const auto ended = [&] { return o.out_ended && o.err_ended; };
  if (ended() || o.reader_gone) return ended();
  // Asked under the mutex, so the reader, which marks itself gone under it too, still holds its
  // end of the pipe. Non-blocking: a full pipe means requests are pending, and ours is served
  // with them.
  const std::uint64_t ticket = ++o.flushes_asked;
  ::fcntl(stop_write_.get(), F_SETFL, O_NONBLOCK);
  const char request = 'f';
  (void)!::write(stop_write_.get(), &request, 1);
  return o.changed.wait_for(lock, timeout,
                            [&] { return ended() || o.flushes_done >= ticket || o.reader_gone; });
}

std::string Process::stdout_text() const {
  std::lock_guard lock(output_->mutex);
  return last(output_->out_tail, kTailBytes);
}

std::string Process::stderr_text() const {
  std::lock_guard lock(output_->mutex);
  return last(output_->err_tail, kTailBytes);
}

std::string Process::sanitizer_report() const {
  std::lock_guard lock(output_->mutex);
  return output_->report;
}

std::vector<std::string> Process::early_lines() const {
  std::lock_guard lock(output_->mutex);
  return output_->early;
}

std::uint64_t Process::wait_output(std::uint64_t seen, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(output_->mutex);
  output_->changed.wait_for(lock, timeout, [&] { return output_->generation != seen; });
  return output_->generation;
}

bool Process::partial_line() const {
  std::lock_guard lock(output_->mutex);
  return !output_->line.empty() && output_->early.size() < kEarlyLines;
}

}  // namespace sockspec::target
