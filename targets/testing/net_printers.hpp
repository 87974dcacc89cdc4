// gtest support for targets/net types: readable failure messages for Endpoint and the I/O
// outcomes, and matchers for Result and Status:
//
//   EXPECT_THAT(socket.bind(where), IsOk());
//   EXPECT_THAT(Endpoint::parse("x"), HasError(HasSubstr("invalid address")));
#pragma once

#include <gmock/gmock.h>

#include <ostream>
#include <string>

#include "targets/net/endpoint.hpp"
#include "targets/net/io.hpp"
#include "targets/net/result.hpp"

namespace sockspec::net {

// gtest finds these by argument-dependent lookup.
inline void PrintTo(const Endpoint& e, std::ostream* os) {
  *os << e.to_string();
}
inline void PrintTo(IoOutcome o, std::ostream* os) {
  constexpr const char* kNames[] = {"kData", "kWouldBlock", "kEof", "kReset", "kError"};
  *os << kNames[static_cast<int>(o)];
}
inline void PrintTo(WaitOutcome o, std::ostream* os) {
  constexpr const char* kNames[] = {"kReady", "kStopped", "kTimeout", "kError"};
  *os << kNames[static_cast<int>(o)];
}

inline void PrintTo(const Status& s, std::ostream* os) {
  *os << (s.ok() ? std::string("OK") : "error: " + s.error().message);
}
template <class T>
void PrintTo(const Result<T>& r, std::ostream* os) {
  *os << (r.ok() ? std::string("OK") : "error: " + r.error().message);
}

}  // namespace sockspec::net

namespace sockspec::testing {

// A net::Result<T> or net::Status that holds no error; on failure, shows the error's message.
MATCHER(IsOk, negation ? "holds an error" : "is OK") {
  if (arg.ok()) return true;
  *result_listener << "error: " << arg.error().message;
  return false;
}

// A net::Result<T> or net::Status that holds an error whose message matches `message_matcher`.
MATCHER_P(HasError, message_matcher,
          "holds an error whose message " +
              ::testing::DescribeMatcher<std::string>(message_matcher, negation)) {
  if (arg.ok()) {
    *result_listener << "is OK";
    return false;
  }
  *result_listener << "error: " << arg.error().message;
  return ::testing::Matches(message_matcher)(arg.error().message);
}

}  // namespace sockspec::testing
