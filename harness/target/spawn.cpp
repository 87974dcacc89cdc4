// spawn_child over clone(CLONE_VM | CLONE_VFORK), as glibc's posix_spawn does; posix_spawn
// itself cannot set PR_SET_PDEATHSIG, which the launcher's contract needs. Into a cgroup, over
// clone3(CLONE_INTO_CGROUP) where the kernel has it: a process moved by writing cgroup.procs
// waits for an RCU grace period (10-20 ms on a busy machine), one born there does not.
#include "harness/target/spawn.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <memory>

// The child shares the harness's memory and runs on its thread's TLS: sanitizer runtimes must
// not see it (their interceptors would update the harness's state, e.g. TSan's descriptor table),
// so it makes raw system calls only, in code they do not instrument.
#if defined(__clang__)
#define SOCKSPEC_UNINSTRUMENTED __attribute__((disable_sanitizer_instrumentation, noinline))
#else
#define SOCKSPEC_UNINSTRUMENTED \
  __attribute__((no_sanitize_address, no_sanitize_thread, no_sanitize_undefined, noinline))
#endif

namespace sockspec::target {
namespace {

// Enough for child_main's frame and the system calls; the child never calls into libc beyond
// syscall(2).
constexpr std::size_t kChildStackBytes = 64 * 1024;

// The kernel's struct sigaction, all zero: SIG_DFL, no flags, nothing masked.
struct KernelSigaction {
  void* handler = nullptr;
  unsigned long flags = 0;
  void* restorer = nullptr;
  std::uint64_t mask = 0;
};
constexpr long kSigsetBytes = sizeof(std::uint64_t);
constexpr int kLastSignal = 64;

[[noreturn]] SOCKSPEC_UNINSTRUMENTED void fail(int status_fd, int error) {
  (void)::syscall(SYS_write, status_fd, &error, sizeof error);
  for (;;) ::syscall(SYS_exit_group, 127);
}

// `from` as descriptor `to`, without close-on-exec (dup2 alone keeps the flag when they are equal).
SOCKSPEC_UNINSTRUMENTED long take_as(int from, int to) {
  if (from == to) return ::syscall(SYS_fcntl, to, F_SETFD, 0);
  return ::syscall(SYS_dup3, from, to, 0);
}

SOCKSPEC_UNINSTRUMENTED int child_main(void* arg) {
  const auto* setup = static_cast<const ChildSetup*>(arg);
  const int status = setup->status_fd;
  (void)::syscall(SYS_setpgid, 0, 0);
  // Not born in its cgroup (no clone3): it joins before anything it could start.
  if (setup->cgroup_fd >= 0) {
    const long procs =
        ::syscall(SYS_openat, setup->cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC, 0);
    if (procs < 0 || ::syscall(SYS_write, procs, "0", 1) != 1) fail(status, errno);
    (void)::syscall(SYS_close, procs);
  }
  if (setup->die_with_parent) {
    (void)::syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (::syscall(SYS_getppid) != setup->parent) ::syscall(SYS_exit_group, 127);  // already gone
  }
  // The target starts with default dispositions and nothing blocked, whatever the harness's
  // thread had: an inherited SIG_IGN for SIGPIPE would hide STR-5's fault.
  const KernelSigaction default_action{};
  for (int sig = 1; sig <= kLastSignal; ++sig) {
    (void)::syscall(SYS_rt_sigaction, sig, &default_action, nullptr, kSigsetBytes);
  }
  const std::uint64_t none = 0;
  (void)::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, nullptr, kSigsetBytes);
  if (take_as(setup->stdin_fd, STDIN_FILENO) < 0 || take_as(setup->stdout_fd, STDOUT_FILENO) < 0 ||
      take_as(setup->stderr_fd, STDERR_FILENO) < 0) {
    fail(status, errno);
  }
  // No harness descriptor leaks into the target (they would skew ACC-6's census).
  (void)::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
  (void)::syscall(SYS_execve, setup->path, setup->argv, setup->envp);
  fail(status, errno);
}

// libc's clone itself: TSan's interceptor of clone() treats every clone as a fork and breaks on
// CLONE_VM. Without a sanitizer this is the very function ::clone names.
using CloneFunction = int (*)(int (*)(void*), void*, int, void*, ...);
CloneFunction libc_clone() {
  static const auto function = reinterpret_cast<CloneFunction>(::dlsym(RTLD_NEXT, "clone"));
  return function != nullptr ? function : &::clone;
}

#if defined(__x86_64__)
// clone3 with the child on `args->stack`, running fn(arg) and then exit_group: glibc exports no
// clone3, and a child on a new stack cannot return into C (glibc's clone3.S does the same).
// Returns the pid, or -errno.
SOCKSPEC_UNINSTRUMENTED long raw_clone3(clone_args* args, int (*fn)(void*), void* arg) {
  long result = SYS_clone3;
  register int (*child_fn)(void*) asm("r12") = fn;  // kept across the system call, in both
  register void* child_arg asm("r13") = arg;
  asm volatile(
      "syscall\n\t"
      "test %%rax, %%rax\n\t"
      "jnz 1f\n\t"
      "xor %%ebp, %%ebp\n\t"
      "mov %%r13, %%rdi\n\t"
      "call *%%r12\n\t"
      "mov %%eax, %%edi\n\t"
      "mov $231, %%eax\n\t"  // SYS_exit_group
      "syscall\n\t"
      "hlt\n"
      "1:"
      : "+a"(result)
      : "D"(args), "S"(sizeof(clone_args)), "r"(child_fn), "r"(child_arg)
      : "rcx", "r11", "memory", "cc");
  return result;
}
#endif

// The child born in the cgroup of `setup.cgroup_fd`; -ENOSYS where that cannot be done here
// (not x86-64, or a kernel before 5.7: the child then joins it itself).
long clone_into_cgroup(const ChildSetup& setup, std::byte* stack) {
#if defined(__x86_64__) && defined(CLONE_INTO_CGROUP)
  clone_args args{};
  args.flags = CLONE_VM | CLONE_VFORK | CLONE_INTO_CGROUP;
  args.exit_signal = SIGCHLD;
  args.stack = reinterpret_cast<std::uintptr_t>(stack);
  args.stack_size = kChildStackBytes;
  args.cgroup = static_cast<__u64>(setup.cgroup_fd);
  ChildSetup born_there = setup;
  born_there.cgroup_fd = -1;
  // The child reads `born_there` before the parent resumes (CLONE_VFORK).
  const long pid = raw_clone3(&args, child_main, &born_there);
  return pid == -EINVAL || pid == -E2BIG ? -ENOSYS : pid;
#else
  (void)setup;
  (void)stack;
  return -ENOSYS;
#endif
}

// Blocks every signal of the calling thread while it lives: no harness handler may run in the
// child before it has reset them.
class AllSignalsBlocked {
 public:
  AllSignalsBlocked() {
    sigset_t all;
    ::sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &saved_);
  }
  ~AllSignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  AllSignalsBlocked(const AllSignalsBlocked&) = delete;
  AllSignalsBlocked& operator=(const AllSignalsBlocked&) = delete;

 private:
  sigset_t saved_{};
};

}  // namespace

net::Result<pid_t> spawn_child(const ChildSetup& setup) {
  // The calling thread is suspended until the child execs or exits: the stack can go after.
  const auto stack = std::make_unique<std::byte[]>(kChildStackBytes);
  int error = 0;
  pid_t pid = -1;
  {
    const AllSignalsBlocked blocked;
    const long born = setup.cgroup_fd >= 0 ? clone_into_cgroup(setup, stack.get()) : -ENOSYS;
    if (born != -ENOSYS) {
      pid = static_cast<pid_t>(born);
      error = born < 0 ? static_cast<int>(-born) : 0;
    } else {
      pid = libc_clone()(child_main, stack.get() + kChildStackBytes,
                         CLONE_VM | CLONE_VFORK | SIGCHLD, const_cast<ChildSetup*>(&setup));
      error = errno;
    }
  }
  if (pid < 0) return net::errno_error(error, "clone");
  return pid;
}

}  // namespace sockspec::target
