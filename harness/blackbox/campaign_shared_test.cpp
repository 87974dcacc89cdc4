// What a campaign's workers share (limits, distinct findings, numbers), the status and summary
// lines and the JSON built from them, and the sanitizer report's SUMMARY line and file.
#include "harness/blackbox/campaign_shared.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "harness/blackbox/campaign_report.hpp"
#include "harness/blackbox/sanitizer_log.hpp"
#include "targets/testing/temp_dir.hpp"

namespace sockspec::blackbox {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

// What `print` writes to a FILE*.
template <class Print>
std::string printed(Print print) {
  char* text = nullptr;
  std::size_t size = 0;
  std::FILE* out = ::open_memstream(&text, &size);
  if (out == nullptr) return "open_memstream failed";
  print(out);
  std::fclose(out);
  std::string s(text, size);
  std::free(text);
  return s;
}

TEST(SharedCampaign, RunsAreLimitedForAllWorkersTogether) {
  SharedCampaign shared(2, {10, 0, false}, SharedCampaign::Clock::now());
  int claimed[2] = {0, 0};
  {
    std::jthread a([&] {
      while (shared.claim_run()) ++claimed[0];
    });
    std::jthread b([&] {
      while (shared.claim_run()) ++claimed[1];
    });
  }
  EXPECT_EQ(claimed[0] + claimed[1], 10);

  SharedCampaign unlimited(1, {}, SharedCampaign::Clock::now());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(unlimited.claim_run());
  unlimited.stop();
  EXPECT_FALSE(unlimited.claim_run());
  EXPECT_TRUE(unlimited.stopping());
}

TEST(SharedCampaign, WithoutKeepGoingOnlyTheFirstFindingIsSettledAndItStopsTheOthers) {
  SharedCampaign shared(2, {0, 0, false}, SharedCampaign::Clock::now());
  EXPECT_TRUE(shared.may_settle());
  EXPECT_TRUE(shared.stopping());
  EXPECT_FALSE(shared.may_settle());
  EXPECT_FALSE(shared.claim_run());
}

TEST(SharedCampaign, FindingsAreDistinctAcrossWorkersAndMaxFindingsStops) {
  SharedCampaign shared(2, {0, 2, true}, SharedCampaign::Clock::now());
  EXPECT_TRUE(shared.may_settle());
  EXPECT_TRUE(shared.first_finding("fuzz/echo-died-1"));
  EXPECT_TRUE(shared.may_settle());  // keep going: the other worker settles its own
  EXPECT_FALSE(shared.first_finding("fuzz/echo-died-1"));
  EXPECT_FALSE(shared.stopping());
  EXPECT_EQ(shared.status().findings, 1U);
  EXPECT_TRUE(shared.first_finding("fuzz/echo-hang-2"));
  EXPECT_TRUE(shared.stopping());
  EXPECT_EQ(shared.status().findings, 2U);
}

TEST(SharedCampaign, StatusSumsExecsAndRestartsAndLeavesMinimisingOut) {
  SharedCampaign shared(2, {}, SharedCampaign::Clock::now());
  shared.report(0, 1000, 40, 1);
  shared.report(1, 500, 70, 2);
  shared.report(0, 1200, 45, 1);  // the latest numbers count
  CampaignStatus s = shared.status();
  EXPECT_EQ(s.execs, 1700U);
  EXPECT_EQ(s.corpus, 70U);
  EXPECT_EQ(s.restarts, 3U);
  EXPECT_EQ(s.workers, 2U);
  EXPECT_EQ(s.findings, 0U);
  EXPECT_DOUBLE_EQ(s.fuzz_seconds, s.seconds);  // nobody minimised

  {
    const MinimiseTimer timer(shared, 1);
    std::this_thread::sleep_for(20ms);
    s = shared.status();
    EXPECT_LT(s.fuzz_seconds, s.seconds);  // a minimisation in progress is not fuzzing
  }
  const double minimised = shared.minimise_seconds(1);
  EXPECT_GE(minimised, 0.02);
  EXPECT_EQ(shared.minimise_seconds(0), 0.0);
  s = shared.status();
  EXPECT_NEAR(s.fuzz_seconds, s.seconds - minimised / 2, 1e-3);  // the workers' mean
}

TEST(CampaignReport, RatesNeverReadZeroForARunThatRanInputs) {
  EXPECT_EQ(execs_per_second(0, 10), 0.0);
  EXPECT_EQ(execs_per_second(5, 0), 5000.0);  // too short to measure: a millisecond
  EXPECT_EQ(rate_text(0), "0");
  EXPECT_EQ(rate_text(0.25), "0.25");
  EXPECT_EQ(rate_text(12.345), "12.3");
  EXPECT_EQ(rate_text(5102.4), "5102");
  // 5 execs, then 30 s minimising: the rate is of the fuzzing (0.5 s), not 5 / 30.5.
  CampaignResult r;
  r.execs = 5;
  r.seconds = 30.5;
  r.minimise_seconds = 30;
  EXPECT_DOUBLE_EQ(r.execs_per_second(), 10.0);
}

TEST(CampaignReport, StatusAndSummaryLinesCarryTheCampaignsNumbers) {
  CampaignStatus s;
  s.seconds = 12;
  s.fuzz_seconds = 10;
  s.execs = 51020;
  s.corpus = 87;
  s.findings = 1;
  s.restarts = 3;
  s.workers = 2;
  EXPECT_EQ(printed([&](std::FILE* out) { print_status(out, "at", s); }),
            "fuzz: at 12.0s: 51020 execs (5102/s fuzzing), corpus 87, findings 1, restarts 3, "
            "workers 2\n");

  CampaignInfo info;
  info.service = "echo";
  info.seed = 7;
  CampaignResult r;
  r.execs = 3;
  r.seconds = 20;
  r.minimise_seconds = 19.5;
  r.corpus = 9;
  r.workers = 2;
  EXPECT_EQ(printed([&](std::FILE* out) { print_summary(out, info, r); }),
            "fuzz: 3 execs in 20.0 s (6 exec/s fuzzing, 19.5 s minimising), 0 findings, 0 "
            "restarts, corpus 9, 2 workers (echo persistent ipv4, seed 7)\n");
  const nlohmann::json doc = campaign_json(info, r);
  EXPECT_EQ(doc["workers"], 2);
  EXPECT_EQ(doc["minimise_seconds"], 19.5);
  EXPECT_EQ(doc["execs_per_second"], 6.0);
}

const char* const kReport =
    "==7==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6\n"
    "    #0 0x1 in serve x.cpp:40\n"
    "SUMMARY: AddressSanitizer: heap-buffer-overflow x.cpp:40 in serve\n"
    "==7==ABORTING\n";

TEST(SanitizerLog, SummaryLineAndTheReportBesideTheScenario) {
  EXPECT_EQ(sanitizer_summary(kReport),
            "SUMMARY: AddressSanitizer: heap-buffer-overflow x.cpp:40 in serve");
  EXPECT_EQ(sanitizer_suffix(kReport),
            "; SUMMARY: AddressSanitizer: heap-buffer-overflow x.cpp:40 in serve");
  EXPECT_EQ(sanitizer_summary("x.c:3: runtime error: signed overflow\nnot a SUMMARY: line\n"), "");
  EXPECT_EQ(sanitizer_suffix(""), "");
  EXPECT_EQ(sanitizer_summary("SUMMARY: UndefinedBehaviorSanitizer: x\r\n"),
            "SUMMARY: UndefinedBehaviorSanitizer: x");
  EXPECT_EQ(sanitizer_log_path("out/fuzz-echo-died-1.yaml"), "out/fuzz-echo-died-1.log");

  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  ASSERT_TRUE(write_sanitizer_log(dir.file("f.yaml"), kReport));
  std::ifstream in(dir.file("f.log"), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), kReport);

  CampaignFinding f;
  f.id = "fuzz/echo-died-1";
  f.file = dir.file("f.yaml");
  f.finding.sanitizer_report = kReport;
  CampaignResult r;
  r.findings.push_back(f);
  const nlohmann::json doc = campaign_json({}, r);
  EXPECT_EQ(doc["findings"][0]["log"], dir.file("f.log"));
  EXPECT_EQ(doc["findings"][0]["sanitizer_summary"],
            "SUMMARY: AddressSanitizer: heap-buffer-overflow x.cpp:40 in serve");
  r.findings[0].finding.sanitizer_report.clear();
  EXPECT_TRUE(campaign_json({}, r)["findings"][0]["log"].is_null());
}

}  // namespace
}  // namespace sockspec::blackbox
