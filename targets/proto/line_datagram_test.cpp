// Tests for the `line` service over UDP: one request per datagram, optional final LF, limits.
#include "targets/proto/line_datagram.hpp"

#include <gtest/gtest.h>

#include <string>

#include "targets/proto/test_driver.hpp"

namespace sockspec::proto {
namespace {

using namespace std::string_literals;

struct Row {
  std::string datagram;
  std::string reply;
};

TEST(LineDatagramService, AnswersOneRequestPerDatagram) {
  const std::string arg4091(4091, 'a');  // "ECHO " + 4091 = 4096 bytes
  const std::string arg4090(4090, 'a');
  const std::string binary = testing::all_bytes_except("\n");
  const Row rows[] = {
      {"PING", "+PONG\r\n"},
      {"PING\n", "+PONG\r\n"},
      {"PING\r\n", "+PONG\r\n"},
      {"PING\r", "+PONG\r\n"},
      {"ping", "+PONG\r\n"},
      {"ECHO hi there", "+hi there\r\n"},
      {"ECHO hi there\r\n", "+hi there\r\n"},
      {"ECHO  x", "+ x\r\n"},
      {"ECHO", "+\r\n"},
      {"ECHO " + binary, "+" + binary + "\r\n"},
      {"LEN " + binary, "+255\r\n"},
      {"LEN abc\n", "+3\r\n"},
      {"WHOAMI", "+[::1]:54321\r\n"},
      {"TIME\n", "+2026-11-23T18:55:05Z\r\n"},
      {"QUIT", "+BYE\r\n"},
      {"QUIT\r\n", "+BYE\r\n"},
      {"", "-ERR empty request\r\n"},
      {"\n", "-ERR empty request\r\n"},
      {"\r\n", "-ERR empty request\r\n"},
      {"\r", "-ERR empty request\r\n"},
      {"bogus", "-ERR unknown command\r\n"},
      {"PING extra\n", "-ERR unknown command\r\n"},
      {"PING\nPING", "-ERR one request per datagram\r\n"},
      {"PING\nPING\n", "-ERR one request per datagram\r\n"},
      {"PING\r\nPING\r\n", "-ERR one request per datagram\r\n"},
      {"PING\n\n", "-ERR one request per datagram\r\n"},
      {"\n\n", "-ERR one request per datagram\r\n"},
      {"QUIT\nPING\n", "-ERR one request per datagram\r\n"},
      {"ECHO " + arg4091, "+" + arg4091 + "\r\n"},
      {"ECHO " + arg4091 + "\n", "+" + arg4091 + "\r\n"},
      {"ECHO " + arg4090 + "\r\n", "+" + arg4090 + "\r\n"},
      {"ECHO " + arg4091 + "b", "-ERR line too long\r\n"},
      {"ECHO " + arg4091 + "b\n", "-ERR line too long\r\n"},
      {"ECHO " + arg4091 + "\r\n", "-ERR line too long\r\n"},
      {std::string(65507, 'x'), "-ERR line too long\r\n"},
      {"PING\n" + std::string(5000, 'x'), "-ERR line too long\r\n"},  // length is checked first
  };
  const LineDatagramService service;
  const Context ctx = testing::fixed_context("[::1]:54321");
  for (const Row& row : rows) {
    SCOPED_TRACE(::testing::PrintToString(row.datagram.substr(0, 40)));
    SCOPED_TRACE(row.datagram.size());
    const std::optional<std::string> reply = service.answer(as_bytes(row.datagram), ctx);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(*reply, row.reply);
  }
}

TEST(LineDatagramService, KeepsNoStateBetweenDatagrams) {
  const LineDatagramService service;
  const Context ctx = testing::fixed_context();
  EXPECT_EQ(service.answer(as_bytes("QUIT"), ctx), "+BYE\r\n");
  EXPECT_EQ(service.answer(as_bytes("PI"), ctx), "-ERR unknown command\r\n");  // not buffered
  EXPECT_EQ(service.answer(as_bytes("PING"), ctx), "+PONG\r\n");
}

}  // namespace
}  // namespace sockspec::proto
