// Tests for the discard service: nothing is ever sent, over either transport.
#include "targets/proto/discard.hpp"

#include <gtest/gtest.h>

#include <string>

#include "targets/proto/test_driver.hpp"

namespace sockspec::proto {
namespace {

TEST(DiscardSession, NeverSendsAByte) {
  DiscardSession session;
  const testing::Transcript t =
      testing::drive(session, {"PING\n", testing::all_bytes_except(), std::string(100000, 'x')});
  EXPECT_EQ(t.bytes, "");
  EXPECT_FALSE(t.closed);
  EXPECT_FALSE(session.wants_more());
}

TEST(DiscardSession, ClosesAfterEof) {
  DiscardSession session;
  const testing::Transcript t = testing::drive(session, {"abc"}, /*eof=*/true);
  EXPECT_EQ(t.bytes, "");
  EXPECT_TRUE(t.closed);
}

TEST(DiscardDatagramService, NeverAnswers) {
  const DiscardDatagramService service;
  const Context ctx = testing::fixed_context();
  for (const std::string d : {"", "x", "PING\n"}) {
    SCOPED_TRACE(d);
    EXPECT_EQ(service.answer(as_bytes(d), ctx), std::nullopt);
  }
}

}  // namespace
}  // namespace sockspec::proto
