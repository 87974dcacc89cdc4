// Tests of Endpoint: parsing, printing, from_host, from_sockaddr, with_port, is_wildcard, ==.
#include "targets/net/endpoint.hpp"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstdint>
#include <ostream>
#include <string>

#include "targets/testing/net_printers.hpp"

namespace sockspec::net {

namespace {

using sockspec::testing::HasError;
using sockspec::testing::IsOk;
using ::testing::HasSubstr;

// Parses `text` that the test knows to be valid.
Endpoint must_parse(const std::string& text) {
  auto e = Endpoint::parse(text);
  EXPECT_TRUE(e.ok()) << text << ": " << (e.ok() ? "" : e.error().message);
  return e.ok() ? *e : Endpoint();
}

TEST(EndpointParse, RoundTripsThePrintedForm) {
  struct Case {
    const char* text;
    int family;
    const char* host;
    std::uint16_t port;
  };
  const Case cases[] = {
      {"127.0.0.1:80", AF_INET, "127.0.0.1", 80},
      {"0.0.0.0:0", AF_INET, "0.0.0.0", 0},
      {"255.255.255.255:65535", AF_INET, "255.255.255.255", 65535},
      {"192.0.2.1:1", AF_INET, "192.0.2.1", 1},
      {"[::1]:80", AF_INET6, "::1", 80},
      {"[::]:0", AF_INET6, "::", 0},
      {"[2001:db8::1]:65535", AF_INET6, "2001:db8::1", 65535},
      {"[fe80::1:2]:443", AF_INET6, "fe80::1:2", 443},
      {"[::ffff:127.0.0.1]:8080", AF_INET6, "::ffff:127.0.0.1", 8080},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto e = Endpoint::parse(c.text);
    ASSERT_THAT(e, IsOk());
    EXPECT_EQ(e->family(), c.family);
    EXPECT_EQ(e->is_ipv6(), c.family == AF_INET6);
    EXPECT_EQ(e->host(), c.host);
    EXPECT_EQ(e->port(), c.port);
    EXPECT_EQ(e->to_string(), c.text);
    EXPECT_EQ(e->size(), c.family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in));
    auto again = Endpoint::parse(e->to_string());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *e);
  }
}

TEST(EndpointParse, PrintsIpv6InCanonicalForm) {
  EXPECT_EQ(must_parse("[2001:DB8:0:0:0:0:0:1]:9").to_string(), "[2001:db8::1]:9");
  EXPECT_EQ(must_parse("[0:0:0:0:0:0:0:1]:9").to_string(), "[::1]:9");
}

TEST(EndpointParse, FillsTheSockaddr) {
  const Endpoint v4 = must_parse("127.0.0.1:258");
  const auto* sin = reinterpret_cast<const sockaddr_in*>(v4.sockaddr_ptr());
  EXPECT_EQ(sin->sin_family, AF_INET);
  EXPECT_EQ(sin->sin_port, htons(258));
  EXPECT_EQ(sin->sin_addr.s_addr, htonl(INADDR_LOOPBACK));

  const Endpoint v6 = must_parse("[::1]:258");
  const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(v6.sockaddr_ptr());
  EXPECT_EQ(sin6->sin6_family, AF_INET6);
  EXPECT_EQ(sin6->sin6_port, htons(258));
  EXPECT_TRUE(IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr));
}

TEST(EndpointParse, RejectsMalformedText) {
  struct Case {
    const char* text;
    const char* why;
  };
  const Case cases[] = {
      {"127.0.0.1:65536", "port must be a number from 0 to 65535"},
      {"127.0.0.1:99999999999", "port must be a number from 0 to 65535"},
      {"127.0.0.1:-1", "port must be a number from 0 to 65535"},
      {"127.0.0.1:+80", "port must be a number from 0 to 65535"},
      {"127.0.0.1:80x", "port must be a number from 0 to 65535"},
      {"127.0.0.1: 80", "port must be a number from 0 to 65535"},
      {"127.0.0.1:", "port must be a number from 0 to 65535"},
      {"[::1]:", "port must be a number from 0 to 65535"},
      {"[::1]:65536", "port must be a number from 0 to 65535"},
      {"127.0.0.1", "expected HOST:PORT"},
      {"", "expected HOST:PORT"},
      {"[::1]", "expected [IPV6]:PORT"},
      {"[::1]80", "expected [IPV6]:PORT"},
      {"[::1:80", "expected [IPV6]:PORT"},
      {"::1:80", "an IPv6 address needs brackets"},
      {"2001:db8::1:80", "an IPv6 address needs brackets"},
      {"localhost:80", "not a numeric"},
      {"example.com:80", "not a numeric"},
      {"[localhost]:80", "not a numeric"},
      {"[::g]:80", "not a numeric"},
      {"256.0.0.1:80", "not a numeric"},
      {"1.2.3:80", "not a numeric"},
      {":80", "not a numeric"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto e = Endpoint::parse(c.text);
    ASSERT_FALSE(e.ok()) << "parsed as " << e->to_string();
    EXPECT_THAT(e.error().message, HasSubstr("invalid address '"));
    EXPECT_THAT(e.error().message, HasSubstr(c.why));
    EXPECT_EQ(e.error().code, 0);
  }
}

TEST(EndpointParse, ErrorNamesTheWholeText) {
  auto e = Endpoint::parse("127.0.0.1:65536");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message,
            "invalid address '127.0.0.1:65536': port must be a number from 0 to 65535");
}

TEST(EndpointFromHost, AcceptsNumericHostsWithAndWithoutBrackets) {
  struct Case {
    const char* host;
    std::uint16_t port;
    const char* expected;
  };
  const Case cases[] = {
      {"127.0.0.1", 80, "127.0.0.1:80"},
      {"0.0.0.0", 0, "0.0.0.0:0"},
      {"::1", 65535, "[::1]:65535"},
      {"[::1]", 7, "[::1]:7"},
      {"::", 0, "[::]:0"},
      {"[2001:db8::5]", 53, "[2001:db8::5]:53"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.host);
    auto e = Endpoint::from_host(c.host, c.port);
    ASSERT_THAT(e, IsOk());
    EXPECT_EQ(e->to_string(), c.expected);
    EXPECT_EQ(e->port(), c.port);
  }
}

TEST(EndpointFromHost, RejectsNamesAndBrokenBrackets) {
  for (const char* host : {"localhost", "", "[]", "[::1", "::1]", "1.2.3.4.5", "[::1]:80"}) {
    SCOPED_TRACE(host);
    auto e = Endpoint::from_host(host, 80);
    EXPECT_THAT(e, HasError(HasSubstr("not a numeric")));
  }
}

TEST(EndpointFromSockaddr, CopiesIpv4AndIpv6) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(4242);
  sin.sin_addr.s_addr = htonl(0x7f000002);
  auto v4 = Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&sin), sizeof sin);
  ASSERT_THAT(v4, IsOk());
  EXPECT_EQ(v4->to_string(), "127.0.0.2:4242");
  EXPECT_EQ(*v4, must_parse("127.0.0.2:4242"));

  sockaddr_in6 sin6{};
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(4243);
  sin6.sin6_addr = in6addr_loopback;
  // A sockaddr_storage-sized length is what getsockname/accept hand over.
  auto v6 = Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&sin6), sizeof sin6);
  ASSERT_THAT(v6, IsOk());
  EXPECT_EQ(v6->to_string(), "[::1]:4243");
  EXPECT_EQ(v6->size(), sizeof sin6);
}

TEST(EndpointFromSockaddr, RejectsOtherFamiliesAndShortLengths) {
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  auto unix_addr = Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&sun), sizeof sun);
  ASSERT_FALSE(unix_addr.ok());
  EXPECT_EQ(unix_addr.error().message, "unsupported address family 1");

  sockaddr_in6 sin6{};
  sin6.sin6_family = AF_INET6;
  auto short_v6 =
      Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&sin6), sizeof(sockaddr_in));
  EXPECT_FALSE(short_v6.ok());
}

TEST(Endpoint, IsWildcardOnlyForTheUnspecifiedAddress) {
  struct Case {
    const char* text;
    bool wildcard;
  };
  const Case cases[] = {
      {"0.0.0.0:0", true},
      {"0.0.0.0:80", true},
      {"[::]:0", true},
      {"[::]:443", true},
      {"127.0.0.1:0", false},
      {"[::1]:0", false},
      {"[::ffff:0.0.0.0]:0", false},
      {"0.0.0.1:0", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(must_parse(c.text).is_wildcard(), c.wildcard);
  }
}

TEST(Endpoint, WithPortChangesOnlyThePort) {
  for (const char* text : {"127.0.0.1:0", "[2001:db8::7]:0"}) {
    SCOPED_TRACE(text);
    const Endpoint original = must_parse(text);
    const Endpoint moved = original.with_port(65535);
    EXPECT_EQ(moved.port(), 65535);
    EXPECT_EQ(moved.host(), original.host());
    EXPECT_EQ(moved.family(), original.family());
    EXPECT_EQ(original.port(), 0) << "with_port must not change the original";
    EXPECT_EQ(moved.with_port(0), original);
  }
}

TEST(Endpoint, EqualityComparesFamilyAddressAndPort) {
  struct Case {
    const char* a;
    const char* b;
    bool equal;
  };
  const Case cases[] = {
      {"127.0.0.1:80", "127.0.0.1:80", true},  {"[::1]:80", "[0:0::1]:80", true},
      {"127.0.0.1:80", "127.0.0.1:81", false}, {"127.0.0.1:80", "127.0.0.2:80", false},
      {"[::1]:80", "[::2]:80", false},         {"127.0.0.1:80", "[::ffff:127.0.0.1]:80", false},
      {"0.0.0.0:0", "[::]:0", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.a) + " vs " + c.b);
    EXPECT_EQ(must_parse(c.a) == must_parse(c.b), c.equal);
    EXPECT_EQ(must_parse(c.b) == must_parse(c.a), c.equal);
  }
}

TEST(Endpoint, DefaultPrintsNone) {
  const Endpoint none;
  EXPECT_EQ(none.to_string(), "(none)");
  EXPECT_EQ(none.size(), 0u);
  EXPECT_FALSE(none == must_parse("0.0.0.0:0"));
}

}  // namespace
}  // namespace sockspec::net
