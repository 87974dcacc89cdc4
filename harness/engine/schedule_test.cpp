// Case costs read from scenarios, the slot each case takes, the start order, the timings record.
#include "harness/engine/schedule.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/scenario/loader.hpp"

namespace sockspec::engine {
namespace {

using std::chrono::milliseconds;

scenario::Scenario load(const std::string& steps, const std::string& id = "t/x") {
  auto s = scenario::load_scenario_text("id: " + id +
                                            "\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, "
                                            "udp, echo]\nsteps:\n" +
                                            steps,
                                        "t.yaml");
  EXPECT_TRUE(s) << s.error().message;
  return s ? std::move(s).value() : scenario::Scenario{};
}

TEST(EstimateCost, SilencesAddUpRepeatsMultiplyParallelClientsWaitTogether) {
  const CaseCost c = estimate_cost(load(R"(  - repeat:
      count: 3
      steps:
        - parallel:
            clients: 10
            steps:
              - connect: {}
              - send: {pattern: {size: 1KiB, seed: 1}}
              - expect-silence: {for: 200ms}
  - bind: {}
  - expect-no-datagram: {for: 1s}
)"));
  EXPECT_EQ(c.wait, milliseconds(3 * 200 + 1000));
  EXPECT_EQ(c.connections, 30U);
  EXPECT_EQ(c.bytes, 30U * 1024);
}

TEST(EstimateCost, OffersAndPacedSendsWaitTheirBytesAreNotHeavy) {
  const CaseCost offer = estimate_cost(
      load("  - connect: {}\n  - send: {pattern: {size: 256MiB, seed: 1}, offer: 20s}\n"));
  EXPECT_EQ(offer.wait, milliseconds(1000));  // until the peer stops taking
  EXPECT_EQ(offer.bytes, 0U);
  const CaseCost paced = estimate_cost(load(
      "  - connect: {}\n  - send: {pattern: {size: 1000, seed: 1}, segments: {size: 9..11, gap: "
      "10ms}}\n"));
  EXPECT_EQ(paced.wait, milliseconds(90 * 10));  // 1000 / (10 + 1) pieces
  EXPECT_EQ(paced.bytes, 0U);
  const CaseCost unpaced = estimate_cost(load(
      "  - connect: {}\n  - send: {pattern: {size: 16MiB, seed: 1}, segments: {size: 1..4096}}\n"));
  EXPECT_EQ(unpaced.wait, milliseconds(0));
  EXPECT_EQ(unpaced.bytes, 16U << 20);
}

TEST(SlotOf, HeavyCasesWorkLightLongOnesWaitSleepersIdleTheRestAreBrief) {
  const milliseconds two_s(2000);
  EXPECT_EQ(slot_of({two_s, 100, 1, 0}, two_s), Slot::idle);               // sleeps all its time
  EXPECT_EQ(slot_of({two_s, 100, 1, 0}, milliseconds(2222)), Slot::idle);  // 90%
  EXPECT_EQ(slot_of({two_s, 100, 1, 0}, milliseconds(2300)), Slot::wait);  // works a while too
  EXPECT_EQ(slot_of({milliseconds(1999), 100, 1, 0}, two_s), Slot::wait);  // too short to idle
  EXPECT_EQ(slot_of({milliseconds(0), 100, 1, 0}, milliseconds(150)), Slot::wait);  // measured
  EXPECT_EQ(slot_of({milliseconds(100), 100, 1, 0}, milliseconds(149)), Slot::brief);
  EXPECT_EQ(slot_of({two_s, 2U << 20, 1, 0}, two_s), Slot::heavy);  // 2 MiB
  EXPECT_EQ(slot_of({two_s, 100, 32, 0}, two_s), Slot::heavy);      // a burst of 32 clients
  EXPECT_EQ(slot_of({two_s, 100, 1, 2000}, two_s), Slot::heavy);    // 2000 messages
  EXPECT_EQ(slot_of({milliseconds(0), 2U << 20, 1, 0}, milliseconds(0)), Slot::heavy);
}

TEST(WaitSlots, NoneAtOneJobEightWaitingAndSixteenIdlePerJobAbove) {
  EXPECT_EQ(wait_slots(1), 0U);
  EXPECT_EQ(idle_slots(1), 0U);
  EXPECT_EQ(wait_slots(2), 16U);
  EXPECT_EQ(idle_slots(2), 32U);
}

TEST(Schedule, LongestFirstThenTheShortOnesInPlanOrder) {
  const std::vector<scenario::Scenario> s = {
      load("  - connect: {}\n", "t/short-a"),
      load("  - connect: {}\n  - expect-silence: {for: 1s}\n", "t/one-second"),
      load("  - connect: {}\n", "t/short-b"),
      load("  - connect: {}\n  - expect-silence: {for: 3s}\n", "t/three-seconds"),
      load("  - connect: {}\n", "t/measured")};
  target::Profile p;
  p.name = "p";
  std::vector<PlannedCase> cases;
  for (const auto& sc : s) cases.push_back({CaseSpec{&sc, &p, {}, scenario::Family::ipv4, ""}});
  Timings timings;
  timings.record(Timings::key(cases[4].spec), milliseconds(2000));  // measured beats estimated

  std::vector<std::string> ids;
  for (const ScheduledCase& c : schedule(cases, timings)) ids.push_back(s[c.index].id);
  EXPECT_EQ(ids, (std::vector<std::string>{"t/three-seconds", "t/measured", "t/one-second",
                                           "t/short-a", "t/short-b"}));
  EXPECT_EQ(schedule(cases, timings)[0].slot, Slot::idle);
  EXPECT_EQ(schedule(cases, timings)[1].slot, Slot::wait);  // measured 2 s, moves nothing
  EXPECT_EQ(schedule(cases, timings)[3].slot, Slot::brief);
}

class TimingsFile : public ::testing::Test {
 protected:
  std::string path_ = (std::filesystem::temp_directory_path() /
                       ("sockspec-timings-test-" + std::to_string(::getpid())) / "t.tsv")
                          .string();
  void TearDown() override {
    std::filesystem::remove_all(std::filesystem::path(path_).parent_path());
  }
};

TEST_F(TimingsFile, SavedAndLoadedBackWithItsFolderCreated) {
  Timings t;
  t.record("a/b\tp\tipv4", milliseconds(1234));
  t.record("c/d\tp\tipv6", milliseconds(5));
  t.save(path_);
  const Timings back = Timings::load(path_);
  ASSERT_EQ(back.size(), 2U);
  ASSERT_NE(back.find("a/b\tp\tipv4"), nullptr);
  EXPECT_EQ(*back.find("a/b\tp\tipv4"), milliseconds(1234));
  EXPECT_FALSE(std::filesystem::exists(path_ + ".tmp." + std::to_string(::getpid())));
}

TEST_F(TimingsFile, MissingOrDamagedLinesAreAnEmptyRecordNotAnError) {
  EXPECT_EQ(Timings::load(path_).size(), 0U);
  EXPECT_EQ(Timings::load("").size(), 0U);
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path());
  std::ofstream(path_)
      << "12\tgood\n-5\tnegative\nx\tnot a number\n7\n\t\n99999999999999999999\tbig\n";
  const Timings t = Timings::load(path_);
  EXPECT_EQ(t.size(), 1U);
  EXPECT_NE(t.find("good"), nullptr);
}

TEST_F(TimingsFile, AFifoOrAFolderIsAnEmptyRecordNotAHang) {
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path());
  ASSERT_EQ(::mkfifo(path_.c_str(), 0600), 0);  // opening it to read would wait for a writer
  EXPECT_EQ(Timings::load(path_).size(), 0U);
  std::filesystem::remove(path_);
  std::filesystem::create_directories(path_);  // a folder where the file should be
  EXPECT_EQ(Timings::load(path_).size(), 0U);
}

TEST(Timings, KeepTheShortestTimeSeen) {
  Timings t;
  t.record("k", milliseconds(300));
  t.record("k", milliseconds(900));  // a loaded run
  ASSERT_NE(t.find("k"), nullptr);
  EXPECT_EQ(*t.find("k"), milliseconds(300));
  t.record("k", milliseconds(120));
  EXPECT_EQ(*t.find("k"), milliseconds(120));
}

TEST(Schedule, TheScenariosOwnWaitsAreAFloorUnderAShorterRecord) {
  const scenario::Scenario s = load("  - connect: {}\n  - expect-silence: {for: 3s}\n");
  target::Profile p;
  const std::vector<PlannedCase> cases = {{CaseSpec{&s, &p, {}, scenario::Family::ipv4, ""}}};
  Timings timings;
  timings.record(Timings::key(cases[0].spec), milliseconds(40));  // when it waited less
  EXPECT_EQ(schedule(cases, timings)[0].expected, milliseconds(3000));
  EXPECT_EQ(schedule(cases, timings)[0].slot, Slot::idle);
}

TEST(TimingsPath, UnderTheCacheFolder) {
  const std::string path = default_timings_path();
  if (std::getenv("XDG_CACHE_HOME") != nullptr || std::getenv("HOME") != nullptr) {
    EXPECT_NE(path.find("/sockspec/timings.tsv"), std::string::npos) << path;
  }
}

}  // namespace
}  // namespace sockspec::engine
