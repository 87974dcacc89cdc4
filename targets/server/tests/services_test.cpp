// The services over TCP: discard, daytime, chargen and the line protocol (SVC-1..6, ACC-5).
#include <gmock/gmock.h>
#include <poll.h>

#include <cctype>

#include "targets/net/io.hpp"
#include "targets/server/tests/server_fixture.hpp"

namespace sockspec::server::tests {
namespace {

using ::testing::HasSubstr;

class Services : public ServerTest {};

TEST_P(Services, DiscardSendsNothingAndClosesAfterTheClient) {  // SVC-2
  ASSERT_TRUE(start(launch("discard")));
  auto client = connect();
  ASSERT_TRUE(client.valid());
  ASSERT_TRUE(st::send_everything(client, pattern(1u << 20, 9)));
  // Nothing comes back while we are connected...
  EXPECT_EQ(net::wait_for(client.fd(), POLLIN, -1, 200ms).outcome, net::WaitOutcome::kTimeout);
  // ...and once we close our side, the server closes too, without a byte.
  ASSERT_TRUE(client.shutdown_write());
  const auto got = st::read_until_eof(client, 5s);
  EXPECT_TRUE(got.eof);
  EXPECT_EQ(got.bytes.size(), 0u);
}

TEST_P(Services, DaytimeSendsOnePrintableLineWithTheYearThenCloses) {  // SVC-3
  ASSERT_TRUE(start(launch("daytime")));
  auto client = connect();
  ASSERT_TRUE(client.valid());
  const auto got = st::read_until_eof(client, 5s);
  ASSERT_TRUE(got.eof);
  ASSERT_THAT(got.bytes, ::testing::EndsWith("\n"));
  std::string line = got.bytes.substr(0, got.bytes.size() - 1);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  EXPECT_THAT(line, HasSubstr(current_year()));
  EXPECT_FALSE(line.empty());
  for (const char c : line) {
    EXPECT_TRUE(c >= 32 && c <= 126) << "not printable: " << static_cast<int>(c);
  }
}

TEST_P(Services, ChargenSendsTheRfcPatternContinuously) {  // SVC-4, SVC-6
  ASSERT_TRUE(start(launch("chargen")));
  auto client = connect();
  ASSERT_TRUE(client.valid());
  // The first lines exactly, then well past one 95-line cycle (7030 bytes), still exact.
  const auto first = st::read_exactly(client, 3 * 74, 5s);
  ASSERT_EQ(first.bytes.size(), 3u * 74);
  EXPECT_EQ(first.bytes.substr(0, 74),
            " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg\r\n");
  EXPECT_EQ(first.bytes.substr(74, 74),
            "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefgh\r\n");
  const auto more = st::read_exactly(client, 1u << 20, 10s);
  EXPECT_EQ(more.bytes.size(), 1u << 20);
  EXPECT_TRUE(is_chargen(more.bytes, 3 * 74));
  // Input is ignored and a half-close does not stop it (the client may still read).
  ASSERT_TRUE(st::send_everything(client, "ignored\n"));
  ASSERT_TRUE(client.shutdown_write());
  const auto after = st::read_exactly(client, 100000, 5s);
  EXPECT_EQ(after.bytes.size(), 100000u);
  EXPECT_TRUE(is_chargen(after.bytes, 3 * 74 + (1u << 20)));
}

TEST_P(Services, LinePingEchoLenAndErrors) {  // SVC-5
  ASSERT_TRUE(start(launch("line")));
  auto client = connect();
  ASSERT_TRUE(client.valid());
  const std::vector<std::pair<std::string, std::string>> table = {
      {"PING\n", "+PONG\r\n"},
      {"ping\r\n", "+PONG\r\n"},
      {"ECHO hello world\n", "+hello world\r\n"},
      {"LEN abc\n", "+3\r\n"},
      {"\n", "-ERR empty request\r\n"},
      {"FROB\n", "-ERR unknown command\r\n"},
  };
  for (const auto& [request, reply] : table) {
    SCOPED_TRACE(request);
    ASSERT_TRUE(st::send_everything(client, request));
    EXPECT_EQ(st::read_exactly(client, reply.size(), 5s).bytes, reply);
  }
}

TEST_P(Services, LineWhoamiIsTheClientsOwnAddress) {  // ACC-5
  ASSERT_TRUE(start(launch("line")));
  for (int i = 0; i < 3; ++i) {
    auto client = connect();
    ASSERT_TRUE(client.valid());
    auto me = client.local_endpoint();
    ASSERT_TRUE(me);
    ASSERT_TRUE(st::send_everything(client, "WHOAMI\n"));
    ASSERT_TRUE(client.shutdown_write());
    EXPECT_EQ(st::read_until_eof(client, 5s).bytes, "+" + me->to_string() + "\r\n");
  }
}

TEST_P(Services, LinePipelinedAndSplitRequestsAreAnsweredInOrder) {  // SVC-5
  ASSERT_TRUE(start(launch("line")));
  auto client = connect();
  ASSERT_TRUE(client.valid());
  ASSERT_TRUE(st::send_everything(client, "PING\nECHO a\nLEN xyz\nPI"));
  const std::string three = "+PONG\r\n+a\r\n+3\r\n";
  EXPECT_EQ(st::read_exactly(client, three.size(), 5s).bytes, three);
  // The split request is answered once its LF arrives, not before.
  EXPECT_EQ(net::wait_for(client.fd(), POLLIN, -1, 100ms).outcome, net::WaitOutcome::kTimeout);
  ASSERT_TRUE(st::send_everything(client, "NG\n"));
  EXPECT_EQ(st::read_exactly(client, 7, 5s).bytes, "+PONG\r\n");
}

TEST_P(Services, LineQuitSaysByeAndCloses) {  // SVC-5
  ASSERT_TRUE(start(launch("line")));
  auto client = connect();
  ASSERT_TRUE(client.valid());
  ASSERT_TRUE(st::send_everything(client, "PING\nQUIT\nPING\n"));
  const auto got = st::read_until_eof(client, 5s);
  EXPECT_TRUE(got.eof);
  EXPECT_EQ(got.bytes, "+PONG\r\n+BYE\r\n");
}

TEST_P(Services, LineOverlongRequestIsRefusedAndCloses) {  // SVC-5
  ASSERT_TRUE(start(launch("line")));
  auto client = connect();
  ASSERT_TRUE(client.valid());
  ASSERT_TRUE(st::send_everything(client, "ECHO " + std::string(5000, 'x')));
  const auto got = st::read_until_eof(client, 5s);
  EXPECT_TRUE(got.eof);
  EXPECT_EQ(got.bytes, "-ERR line too long\r\n");
}

INSTANTIATE_TEST_SUITE_P(Server, Services, ::testing::ValuesIn(all_variants()), variant_name);

}  // namespace
}  // namespace sockspec::server::tests
