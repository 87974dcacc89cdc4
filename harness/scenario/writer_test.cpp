// to_yaml(): load(to_yaml(load(x))) == load(x) for every step kind and awkward data.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "harness/scenario/loader.hpp"

namespace sockspec::scenario {
namespace {

struct RoundTripCase {
  const char* name;
  const char* yaml;
};

const RoundTripCase kCases[] = {
    {"tcp steps",
     "id: t/tcp\nsummary: every tcp step\nrequirements: [STR-1, STR-3]\nneeds: [tcp, echo]\n"
     "tags: [a, b]\nseed: 18446744073709551615\ntarget: {service: line, shared: true, bind: "
     "wildcard}\nsteps:\n"
     "  - connect: {as: d, family: ipv6, local: '::1', within: 1s}\n"
     "  - connect: {}\n"
     "  - send: {on: d, pattern: {size: 16MiB, seed: 7}, segments: {size: 1..1400, gap: 1..2ms}}\n"
     "  - send: {hex: '00 ff 10', concurrent-read: true}\n"
     "  - send: {base64: 'Zm9vYg==', with-fin: true}\n"
     "  - expect: {text: '+PONG\\r\\n', within: 2.5s}\n"
     "  - expect: {regex: '^\\+\\d+\\r\\n$'}\n"
     "  - expect: {length: 1KiB}\n"
     "  - expect: {same-as-sent: true}\n"
     "  - expect-silence: {on: d, for: 250ms}\n"
     "  - shutdown: read\n  - abort: {on: d}\n  - expect-eof: {}\n  - expect-reset: {within: 1m}\n"
     "  - close: {}\n"},
    {"exchange steps",
     "id: t/x\nsummary: every exchange form\nrequirements: [STR-3, DGR-1]\n"
     "needs: [tcp, udp, exchange]\nsteps:\n"
     "  - connect: {}\n  - bind: {}\n"
     "  - exchange: {}\n"
     "  - exchange: {on: c, use: per-client, count: 20, within: 3s}\n"
     "  - exchange: {use: partial, part: request}\n"
     "  - exchange: {use: partial, part: rest, with-fin: true}\n"
     "  - exchange: {use: big, part: reply}\n"
     "  - exchange: {offer: 20s, size: 256MiB}\n"
     "  - exchange: {on: u, to: '127.0.0.2:{target.port}', from: any}\n"
     "  - expect: {length: 1KiB..2MiB}\n"},
    {"awkward text",
     "id: t/text\nsummary: 'text: with a colon'\nrequirements: [STR-2]\ntransport: tcp\nsteps:\n"
     "  - connect: {}\n"
     "  - send: {text: ''}\n"
     "  - send: {text: ' leading space'}\n"
     "  - send: {text: 'true'}\n"
     "  - send: {text: '1400'}\n"
     "  - send: {text: '- dash'}\n"
     "  - send: {text: '\"quoted\" and ''single'''}\n"
     "  - send: {text: '\\x00\\x01\\xfe\\xff\\t\\\\ {{client} {client} {seq} # not a comment'}\n"
     "  - send: {text: '{\"json\": [1, 2]}'}\n"
     "  - send: {hex: ''}\n"},
    {"udp and structure",
     "id: t/udp\nsummary: udp\nrequirements: [DGR-2, DGR-4]\nneeds: [udp]\nfamilies: [ipv6, ipv4]\n"
     "steps:\n"
     "  - parallel:\n      clients: 3\n      steps:\n"
     "        - bind: {as: v, family: ipv4, local: 127.0.0.2, port: 5000}\n"
     "        - repeat:\n            count: 2\n            steps:\n"
     "              - send-to: {on: v, to: '[::1]:{target.port}', text: 'c{client} s{seq}'}\n"
     "              - expect-datagram: {on: v, regex: 'c\\d+', from: any}\n"
     "              - expect-no-datagram: {on: v, for: 0}\n"
     "        - barrier: {within: 3s}\n"},
    {"lifecycle",
     "id: t/life\nsummary: lifecycle\nrequirements: [EPH-2, ACC-6]\nneeds: [tcp, lifecycle]\n"
     "steps:\n"
     "  - start-instance: {as: b}\n  - stop: {instance: b, signal: KILL, within: 1s}\n"
     "  - expect-exit: {instance: b, signal: KILL}\n  - restart: {same-port: false}\n"
     "  - expect-alive: {}\n  - expect-exit: {code: 3, within: 2s}\n"
     "  - expect-endpoint: {distinct-from: b}\n  - census: {as: c0, instance: b}\n"
     "  - expect-census: {baseline: c0, instance: b, fds: +2, children: 0}\n"},
    {"client role",
     "id: t/client\nsummary: client\nrequirements: [CLI-1, CLI-5]\ntransport: [udp, tcp]\n"
     "role: client\nsteps:\n"
     "  - listen: {as: m, transport: udp}\n  - listen: {}\n"
     "  - run-client: {args: ['--connect', '{listen.addr}', ''], stdin: {hex: 'ff'}}\n"
     "  - run-client: {args: []}\n"
     "  - accept: {as: d}\n  - reply: {on: d, text: hi, pieces: 2, delay: 0..10ms}\n"
     "  - reply: {on: m, base64: 'AA==', from: '127.0.0.2:{listen.port}'}\n"
     "  - expect-client: {exit: 0, stdout: {length: 2}}\n  - expect-client: {}\n"},
};

TEST(ToYaml, RoundTripsEveryStepKind) {
  for (const RoundTripCase& c : kCases) {
    SCOPED_TRACE(c.name);
    const auto first = load_scenario_text(c.yaml, "t.yaml");
    ASSERT_TRUE(first.ok()) << first.error().message;
    const std::string yaml = to_yaml(*first);
    const auto second = load_scenario_text(yaml, "again.yaml");
    ASSERT_TRUE(second.ok()) << second.error().message << "\n" << yaml;
    EXPECT_EQ(*second, *first) << yaml;
    EXPECT_EQ(to_yaml(*second), yaml);
  }
}

TEST(ToYaml, EqualityIgnoresLocationsButNotContent) {
  const auto a = load_scenario_text(kCases[0].yaml, "a.yaml");
  const auto b = load_scenario_text(fmt::format("\n\n{}", kCases[0].yaml), "b.yaml");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  Scenario c = *a;
  std::get<step::Connect>(c.steps[0].kind).as = "e";
  EXPECT_NE(c, *a);
}

}  // namespace
}  // namespace sockspec::scenario
