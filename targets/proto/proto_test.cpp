// Tests for make_service(): every listed name gives its service; anything else gives nullptr.
#include <gtest/gtest.h>

#include <string>

#include "targets/proto/service.hpp"
#include "targets/proto/test_driver.hpp"

namespace sockspec::proto {
namespace {

TEST(MakeService, KnowsEveryListedName) {
  for (std::string_view name : kServiceNames) {
    SCOPED_TRACE(name);
    const std::unique_ptr<Service> service = make_service(name);
    ASSERT_NE(service, nullptr);
    EXPECT_EQ(service->name(), name);
    EXPECT_NE(service->open_session(testing::fixed_context()), nullptr);
  }
}

TEST(MakeService, RejectsUnknownNames) {
  for (const char* name : {"", "Echo", "ECHO", "time", "line ", "chargen\n", "qotd"}) {
    SCOPED_TRACE(::testing::PrintToString(std::string(name)));
    EXPECT_EQ(make_service(name), nullptr);
  }
}

TEST(MakeService, SessionsAndDatagramsBehaveAsTheirService) {
  const Context ctx = testing::fixed_context("[::1]:6000");
  struct Row {
    std::string_view service;
    std::string tcp_in;
    std::string tcp_out;                 // after on_open, on_data(tcp_in) and on_eof
    std::optional<std::string> udp_out;  // answer to the datagram "PING"
  };
  const Row rows[] = {
      {"echo", "PING\n", "PING\n", "PING"},
      {"discard", "PING\n", "", std::nullopt},
      {"daytime", "PING\n", "Monday, November 23, 2026 18:55:05-UTC\r\n",
       "Monday, November 23, 2026 18:55:05-UTC\r\n"},
      {"line", "WHOAMI\n", "+[::1]:6000\r\n", "+PONG\r\n"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.service);
    const std::unique_ptr<Service> service = make_service(row.service);
    ASSERT_NE(service, nullptr);
    const std::unique_ptr<StreamSession> session = service->open_session(ctx);
    const testing::Transcript t = testing::drive(*session, {row.tcp_in}, /*eof=*/true);
    EXPECT_EQ(t.bytes, row.tcp_out);
    EXPECT_TRUE(t.closed);
    EXPECT_EQ(service->datagrams().answer(as_bytes("PING"), ctx), row.udp_out);
  }
  const std::unique_ptr<Service> chargen = make_service("chargen");
  EXPECT_TRUE(chargen->open_session(ctx)->wants_more());
  EXPECT_EQ(chargen->datagrams().answer(as_bytes("PING"), ctx)->size(), 444u);
}

}  // namespace
}  // namespace sockspec::proto
