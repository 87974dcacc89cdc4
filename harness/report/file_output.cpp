// Atomic report files: write "<path>.tmp", flush, close, rename over the path.
#include "harness/report/file_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>

#include "targets/net/fd.hpp"

namespace sockspec::report {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }  // only on error paths: see below
};

}  // namespace

net::Status write_file_atomically(const std::string& path, std::string_view content) {
  if (path == kStdoutPath) {
    if (std::fwrite(content.data(), 1, content.size(), stdout) != content.size() ||
        std::fflush(stdout) != 0) {
      return net::errno_error(errno, "write stdout");
    }
    return {};
  }
  const std::string tmp = path + ".tmp";
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(tmp.c_str(), "wb"));
  if (!file) return net::errno_error(errno, "write " + path);
  auto fail = [&](int code) -> net::Status {
    file.reset();
    std::remove(tmp.c_str());
    return net::errno_error(code, "write " + path);
  };
  if (std::fwrite(content.data(), 1, content.size(), file.get()) != content.size()) {
    return fail(errno);
  }
  if (std::fflush(file.get()) != 0) return fail(errno);
  // fclose's own error (a delayed write error) matters, so it is not left to the deleter.
  if (std::fclose(file.release()) != 0) {
    const int code = errno;
    std::remove(tmp.c_str());
    return net::errno_error(code, "write " + path);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int code = errno;
    std::remove(tmp.c_str());
    return net::errno_error(code, "write " + path);
  }
  return {};
}

net::Status check_writable(const std::string& path) {
  if (path == kStdoutPath) return {};
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return net::Error{"write " + path + ": a folder, not a file"};
  }
  const std::string tmp = path + ".tmp";
  const bool existed = ::access(tmp.c_str(), F_OK) == 0;
  const net::Fd probe(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0644));
  if (!probe) return net::errno_error(errno, "write " + path);
  if (!existed) ::unlink(tmp.c_str());
  return {};
}

}  // namespace sockspec::report
