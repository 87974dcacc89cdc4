// Test helpers of the reporters: the sample run and small file/process utilities.
#include "harness/report/test_support.hpp"

#include <stdlib.h>  // mkdtemp

#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace sockspec::report::testing {
namespace {

using engine::CaseResult;
using engine::TranscriptEntry;
using engine::Verdict;
using namespace std::chrono_literals;

CaseResult make_case(std::string id, std::string target, scenario::Family family, Verdict v) {
  CaseResult r;
  r.scenario_id = std::move(id);
  r.summary = "echo returns exactly the bytes sent";
  r.file = "conformance/tcp/" + r.scenario_id + ".yaml";
  r.requirements = {"STR-1", "SVC-1"};
  r.tags = {"tcp"};
  r.target = std::move(target);
  r.family = family;
  r.verdict = v;
  r.command = "sockspec-server --model epoll --service echo --port 0";
  r.elapsed = 12ms;
  r.target_start = 1234us;
  return r;
}

TranscriptEntry entry(std::chrono::microseconds at, TranscriptEntry::Kind kind,
                      std::string endpoint, std::string text, std::uint64_t total) {
  return TranscriptEntry{at, kind, std::move(endpoint), std::move(text), total};
}

}  // namespace

engine::RunResult sample_run() {
  using Kind = TranscriptEntry::Kind;
  using scenario::Family;
  engine::RunResult run;
  run.info.targets = {"reference-epoll", "broken-close"};
  run.info.cases = 8;
  run.info.jobs = 2;
  run.info.started_at = "2024-05-01T12:00:00Z";

  CaseResult pass = make_case("str/echo", "reference-epoll", Family::ipv4, Verdict::pass);
  pass.summary = "echo returns </script> and <&>\"' intact";
  pass.transcript = {entry(100us, Kind::sent, "c", "hello\r\n", 7),
                     entry(1500us, Kind::received, "c", "hello\r\n", 7)};
  run.cases.push_back(pass);

  CaseResult fail = make_case("str/echo", "reference-epoll", Family::ipv6, Verdict::fail);
  fail.failure = engine::Failure{{"conformance/tcp/str/echo.yaml", 12, 5},
                                 "expect",
                                 "bytes equal to the 18 sent",
                                 "EOF after 3 bytes",
                                 "the target exited: status 1"};
  fail.reason = "expect: expected bytes equal to the 18 sent; observed EOF after 3 bytes";
  fail.transcript = {entry(250us, Kind::event, "c", "connected to [::1]:41234", 0),
                     entry(300us, Kind::sent, "c", std::string(kBinaryBytes), kBinaryBytes.size()),
                     entry(2000us, Kind::received, "c", "ab\xc3", 3),
                     entry(3250us, Kind::sent, "c", std::string(64, 'a'), 1048576),
                     entry(12000us, Kind::event, "c", "EOF", 0)};
  fail.stderr_tail = "log 1\nlog 2\nlog 3 </script>\nlog 4 <&>\nlog 5\x1b[31m\nlog 6\nlog 7\n";
  run.cases.push_back(fail);

  CaseResult skip = make_case("udp/echo", "reference-epoll", Family::ipv4, Verdict::skip);
  skip.reason = "the target lacks capability udp";
  skip.elapsed = 0ms;
  skip.target_start.reset();
  skip.first_run = "fail: t.yaml:3:5: expect: expected x; observed EOF";
  run.cases.push_back(skip);

  CaseResult xfail = make_case("str/echo", "broken-close", Family::ipv4, Verdict::xfail);
  xfail.reason = "closes before echoing (CON-1)";
  run.cases.push_back(xfail);

  CaseResult xpass = make_case("str/half-close", "broken-close", Family::ipv4, Verdict::xpass);
  xpass.reason = "passed, but the profile expects it to fail: closes early";
  run.cases.push_back(xpass);

  CaseResult error = make_case("str/echo", "broken-close", Family::ipv6, Verdict::error);
  error.reason = "the target did not start: exit status 3";
  error.stderr_tail = "bind [::1]:0: Address family not supported (EAFNOSUPPORT)\n";
  run.cases.push_back(error);

  CaseResult non_strict =
      make_case("str/half-close", "reference-epoll", Family::ipv4, Verdict::non_strict);
  non_strict.failure = engine::Failure{{"conformance/tcp/str/half-close.yaml", 9, 5},
                                       "expect-eof",
                                       "EOF within 1 s",
                                       "no EOF after 1 s",
                                       ""};
  non_strict.reason = "expect-eof: expected EOF within 1 s; observed no EOF after 1 s";
  run.cases.push_back(non_strict);

  for (const CaseResult& r : run.cases) run.counts.add(r.verdict);
  run.elapsed = 1234ms;
  return run;
}

engine::RunResult sample_stability_run() {
  using scenario::Family;
  engine::RunResult run;
  run.info.targets = {"reference-client"};
  run.info.cases = 2;
  run.info.jobs = 2;
  run.info.started_at = "2024-05-01T12:00:00Z";
  run.info.repeat = 3;
  run.info.verify = true;
  run.info.runs = 6;

  CaseResult flaky =
      make_case("cli/udp-sequential-runs", "reference-client", Family::ipv6, Verdict::flaky);
  flaky.failure = engine::Failure{{"conformance/client/udp/cli-6-sequential-runs.yaml", 14, 11},
                                  "expect-client",
                                  "stdout: \"ok 3\" <&>",
                                  "stdout: nothing",
                                  "the client exited with code 0"};
  flaky.reason = "verdicts differ over 3 runs: pass in runs 1, 3; fail in run 2";
  flaky.run = 2;
  flaky.runs = {engine::RunOutcome{1, Verdict::pass, "", std::nullopt, 10ms, std::nullopt},
                engine::RunOutcome{2, Verdict::fail, "stdout differs", flaky.failure, 12ms,
                                   "fail: beside others"},
                engine::RunOutcome{3, Verdict::pass, "", std::nullopt, 11ms, std::nullopt}};
  run.cases.push_back(flaky);

  CaseResult pass = make_case("cli/udp-echo", "reference-client", Family::ipv4, Verdict::pass);
  pass.run = 3;
  for (unsigned i = 1; i <= 3; ++i) {
    pass.runs.push_back(engine::RunOutcome{i, Verdict::pass, "", std::nullopt, 5ms, std::nullopt});
  }
  run.cases.push_back(pass);

  for (const CaseResult& r : run.cases) run.counts.add(r.verdict);
  run.elapsed = 1234ms;
  return run;
}

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "sockspec-report-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp");
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Capture::Capture() : file_(std::tmpfile()) {
  if (!file_) throw std::system_error(errno, std::generic_category(), "tmpfile");
}

std::string Capture::text() const {
  std::fflush(file_.get());
  std::rewind(file_.get());
  std::string out;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), file_.get())) > 0)
    out.append(buffer.data(), n);
  return out;
}

std::size_t occurrences(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

CommandOutput run_command(const std::string& command) {
  CommandOutput result;
  std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.output.append(buffer.data(), n);
  }
  result.status = ::pclose(pipe);
  return result;
}

bool have_xmllint() {
  return run_command("command -v xmllint").status == 0;
}

}  // namespace sockspec::report::testing
