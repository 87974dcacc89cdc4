// Every step kind loads into its struct, with defaults and with every field given; top-level keys.
#include <gtest/gtest.h>

#include <string>

#include "harness/scenario/loader.hpp"

namespace sockspec::scenario {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;

// Scenario heads; each opens the default endpoint(s) so that a case's step may use them.
constexpr const char* kTcp =
    "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n";
constexpr const char* kUdp =
    "id: t/x\nsummary: s\nrequirements: [DGR-1]\nneeds: [udp]\nsteps:\n  - bind: {}\n";
constexpr const char* kClient =
    "id: t/x\nsummary: s\nrequirements: [CLI-1]\nneeds: [tcp]\nrole: client\nsteps:\n"
    "  - listen: {}\n  - accept: {}\n";

DataSpec text(std::string bytes) {
  return DataSpec{DataKind::text, std::move(bytes), {}, {}};
}

struct StepCase {
  const char* head;
  const char* step;  // one list item, appended to `head`
  StepKind expected;
};

const StepCase kCases[] = {
    {kTcp, "  - connect: {as: d, family: ipv6, local: '::1'}\n",
     step::Connect{.as = "d", .family = Family::ipv6, .local = "::1"}},
    {kTcp, "  - connect:\n", step::Connect{}},
    {kTcp, "  - connect: {local: '127.0.0.2:0', within: 1s}\n",
     step::Connect{.local = "127.0.0.2:0", .within = std::chrono::seconds(1)}},
    {kTcp, "  - send: {text: 'hi\\n'}\n", step::Send{.data = text("hi\n")}},
    {kTcp,
     "  - send: {on: c, hex: '00 ff', segments: {size: 1..1400, gap: 0..2ms}, concurrent-read: "
     "true}\n",
     step::Send{.data = DataSpec{DataKind::hex, "\0\xff"s, {}, {}},
                .segments = step::Segments{{1, 1400}, {0ms, 2ms}},
                .concurrent_read = true}},
    {kTcp, "  - send: {pattern: {size: 16MiB, seed: 7}}\n",
     step::Send{.data = DataSpec{DataKind::pattern, "", {16 << 20, 7}, {}}}},
    {kTcp, "  - send: {base64: Zm9v}\n",
     step::Send{.data = DataSpec{DataKind::base64, "foo", {}, {}}}},
    {kTcp, "  - expect: {text: '+PONG\\r\\n', within: 500ms}\n",
     step::Expect{.match = text("+PONG\r\n"), .within = 500ms}},
    {kTcp, "  - expect: {regex: '^\\+\\d+'}\n", step::Expect{.match = Regex{"^\\+\\d+"}}},
    {kTcp, "  - expect: {length: 1MiB}\n", step::Expect{.match = Length{1 << 20}}},
    {kTcp, "  - expect: {same-as-sent: true, within: 5s}\n",
     step::Expect{.match = SameAsSent{}, .within = 5s}},
    {kTcp, "  - expect-eof: {within: 1s}\n", step::ExpectEof{.within = 1s}},
    {kTcp, "  - expect-reset: {}\n", step::ExpectReset{}},
    {kTcp, "  - expect-silence: {for: 1.5s}\n", step::ExpectSilence{.for_ = 1500ms}},
    {kTcp, "  - shutdown: write\n", step::Shutdown{}},
    {kTcp, "  - shutdown: {how: both}\n", step::Shutdown{.how = ShutdownHow::both}},
    {kTcp, "  - abort: {}\n", step::Abort{}},
    {kTcp, "  - close: {on: c}\n", step::Close{}},
    {kUdp, "  - bind: {as: v, family: ipv4, local: 127.0.0.2, port: 0}\n",
     step::Bind{.as = "v", .family = Family::ipv4, .local = "127.0.0.2", .port = 0}},
    {kUdp, "  - send-to: {text: PING}\n", step::SendTo{.data = text("PING")}},
    {kUdp, "  - send-to: {to: '127.0.0.2:{target.port}', text: '{client}'}\n",
     step::SendTo{.to = "127.0.0.2:{target.port}", .data = text("{client}")}},
    {kUdp, "  - expect-datagram: {text: x, from: any, within: 1s}\n",
     step::ExpectDatagram{.match = text("x"), .from = "any", .within = 1s}},
    {kUdp, "  - expect-datagram: {length: 0, from: '127.0.0.2:{target.port}'}\n",
     step::ExpectDatagram{.match = Length{0}, .from = "127.0.0.2:{target.port}"}},
    {kUdp, "  - expect-no-datagram: {for: 1s}\n", step::ExpectNoDatagram{.for_ = 1s}},
    {kTcp, "  - repeat: {count: 3, steps: [close: {}]}\n",
     step::Repeat{3, {Step{{}, step::Close{}}}}},
    {kTcp,
     "  - parallel:\n      clients: 50\n      steps:\n        - connect: {}\n        - close: {}\n",
     step::Parallel{50, {Step{{}, step::Connect{}}, Step{{}, step::Close{}}}}},
    {kTcp, "  - parallel:\n      clients: 2\n      steps:\n        - barrier: {within: 1s}\n",
     step::Parallel{2, {Step{{}, step::Barrier{1s}}}}},
    {kTcp, "  - parallel:\n      clients: 2\n      steps:\n        - barrier:\n",
     step::Parallel{2, {Step{{}, step::Barrier{}}}}},
    {kTcp, "  - start-instance: {as: second}\n", step::StartInstance{"second"}},
    {kTcp, "  - stop: {signal: INT, within: 2s}\n", step::Stop{.signal = "INT"}},
    {kTcp, "  - restart: {}\n", step::Restart{}},
    {kTcp, "  - expect-alive: {}\n", step::ExpectAlive{}},
    {kTcp, "  - expect-exit: {code: 0, within: 3s}\n", step::ExpectExit{.code = 0, .within = 3s}},
    {kTcp, "  - expect-exit: {signal: KILL}\n", step::ExpectExit{.signal = "KILL"}},
    {kTcp, "  - expect-endpoint: {non-zero: true, in-ephemeral-range: true}\n",
     step::ExpectEndpoint{.non_zero = true, .in_ephemeral_range = true}},
    {kTcp, "  - census: {as: base}\n", step::Census{.as = "base"}},
    {kClient, "  - run-client: {args: [--connect, '{listen.addr}'], stdin: {text: hello}}\n",
     step::RunClient{{"--connect", "{listen.addr}"}, text("hello")}},
    {kClient, "  - accept: {as: d}\n", step::Accept{.as = "d"}},
    {kClient, "  - reply: {text: hi, pieces: 3, delay: 10..50ms}\n",
     step::Reply{.data = text("hi"), .pieces = 3, .delay = {10ms, 50ms}}},
    {kClient, "  - expect-client: {exit: 4, stdout: {regex: '.*'}, within: 3s}\n",
     step::ExpectClient{.exit = 4, .stdout_ = Match{Regex{".*"}}, .within = 3s}},
    {kClient, "  - send: {text: x}\n", step::Send{.data = text("x")}},
};

TEST(LoaderSteps, EveryKindLoadsIntoItsStruct) {
  for (const StepCase& c : kCases) {
    SCOPED_TRACE(c.step);
    const auto r = load_scenario_text(std::string(c.head) + c.step, "t.yaml");
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_FALSE(r->steps.empty());
    EXPECT_EQ(step_name(r->steps.back().kind), step_name(c.expected));
    EXPECT_TRUE(r->steps.back().kind == c.expected) << to_yaml(*r);
  }
}

TEST(LoaderSteps, CensusPairAndListenUdp) {
  const auto r =
      load_scenario_text(std::string(kTcp) +
                             "  - census: {as: b}\n  - expect-census: {baseline: b, fds: +2, "
                             "threads: 0, within: 1s}\n",
                         "t.yaml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->steps.back().kind ==
              StepKind(step::ExpectCensus{.baseline = "b", .fds = 2, .threads = 0, .within = 1s}));
  const auto u = load_scenario_text(
      "id: c/u\nsummary: s\nrequirements: [CLI-5]\ntransport: udp\nrole: client\nsteps:\n"
      "  - listen: {transport: udp}\n  - run-client: {args: []}\n  - reply: {on: l, text: x, from: "
      "'127.0.0.2:{listen.port}'}\n",
      "u.yaml");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_TRUE(u->steps.front().kind == StepKind(step::Listen{.transport = Transport::udp}));
}

TEST(LoaderSteps, StepsKeepTheirSourceLocation) {
  const auto r = load_scenario_text(std::string(kTcp) +
                                        "  - repeat:\n      count: 2\n      steps:\n"
                                        "        - close: {}\n",
                                    "dir/t.yaml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->steps[0].where.file, "dir/t.yaml");
  EXPECT_EQ(r->steps[0].where.line, 6);
  EXPECT_EQ(r->steps[0].where.column, 5);
  const auto& inner = std::get<step::Repeat>(r->steps[1].kind).steps[0].where;
  EXPECT_EQ(inner.line, 10);
  EXPECT_EQ(inner.column, 11);
}

TEST(LoaderTop, DefaultsAndEveryKey) {
  const auto d = load_scenario_text(kTcp, "t.yaml");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->id, "t/x");
  EXPECT_EQ(d->transport, std::vector<Transport>{Transport::tcp});
  EXPECT_EQ(d->families, (std::vector<Family>{Family::ipv4, Family::ipv6}));
  EXPECT_EQ(d->role, Role::server);
  EXPECT_EQ(d->seed, 1U);
  EXPECT_FALSE(d->target.has_value());
  EXPECT_EQ(d->where.line, 1);

  const auto f = load_scenario_text(
      "id: eph/two\nsummary: two at once\nrequirements: [EPH-2, EPH-6]\ntags: [lifecycle, slow]\n"
      "needs: [dual-transport, lifecycle]\ntransport: [tcp, udp]\nfamilies: [ipv6]\n"
      "target: {service: echo, shared: true, bind: wildcard}\nseed: 42\nsteps:\n  - connect: {}\n",
      "t.yaml");
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->requirements, (std::vector<std::string>{"EPH-2", "EPH-6"}));
  EXPECT_EQ(f->tags, (std::vector<std::string>{"lifecycle", "slow"}));
  EXPECT_EQ(f->transport, (std::vector<Transport>{Transport::tcp, Transport::udp}));
  EXPECT_EQ(f->families, std::vector<Family>{Family::ipv6});
  EXPECT_EQ(f->target, (TargetSpec{"echo", true, BindTo::wildcard}));
  EXPECT_EQ(f->seed, 42U);
}

}  // namespace
}  // namespace sockspec::scenario
