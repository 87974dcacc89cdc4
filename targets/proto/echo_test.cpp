// Tests for the echo service: every byte back, in order, whatever the segmentation.
#include "targets/proto/echo.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "targets/proto/test_driver.hpp"

namespace sockspec::proto {
namespace {

TEST(EchoSession, EchoesEveryByteInOrder) {
  const std::string all = testing::all_bytes_except();
  const std::vector<std::vector<std::string>> inputs = {
      {},
      {"hello"},
      {"a", "", "bc", "\0\n\r"},
      {all, all, "tail"},
  };
  for (const auto& chunks : inputs) {
    SCOPED_TRACE(::testing::PrintToString(chunks));
    EchoSession session;
    std::string expected;
    for (const std::string& c : chunks) expected += c;
    const testing::Transcript t = testing::drive(session, chunks);
    EXPECT_EQ(t.bytes, expected);
    EXPECT_FALSE(t.closed);
  }
}

TEST(EchoSession, ClosesAfterEofWithoutSendingMore) {
  EchoSession session;
  const testing::Transcript t = testing::drive(session, {"abc"}, /*eof=*/true);
  EXPECT_EQ(t.bytes, "abc");
  EXPECT_TRUE(t.closed);
  EXPECT_FALSE(session.wants_more());
}

TEST(EchoDatagramService, ReturnsTheDatagramUnchanged) {
  const EchoDatagramService service;
  const Context ctx = testing::fixed_context();
  const std::vector<std::string> datagrams = {"",
                                              "x",
                                              testing::all_bytes_except(),
                                              std::string(1472, 'm'),
                                              std::string(65507, '\0'),
                                              std::string(65527, '\xff')};
  for (const std::string& d : datagrams) {
    SCOPED_TRACE(d.size());
    const std::optional<std::string> reply = service.answer(as_bytes(d), ctx);
    ASSERT_TRUE(reply.has_value());  // a 0-byte datagram is answered too (DGR-7)
    EXPECT_EQ(*reply, d);
  }
}

}  // namespace
}  // namespace sockspec::proto
