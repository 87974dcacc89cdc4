// Tests of the profile loader: a full profile, defaults, and golden error messages.
#include "harness/target/profile.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "targets/testing/net_printers.hpp"

namespace sockspec::target {
namespace {

using ::sockspec::testing::HasError;
using ::sockspec::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(LoadProfile, ReadsEveryKey) {
  net::Result<Profile> p =
      load_profile_file(std::string(SOCKSPEC_TARGET_TESTDATA) + "/reference-epoll.yaml");
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->name, "reference-epoll");
  EXPECT_EQ(p->role, scenario::Role::server);
  EXPECT_EQ(p->argv.size(), 11U);
  EXPECT_EQ(p->argv.back(), "{port}");
  EXPECT_THAT(p->env, ElementsAre(std::pair<std::string, std::string>{"SOCKSPEC_LOG", "debug"},
                                  std::pair<std::string, std::string>{"LISTEN", "{host}:{port}"}));
  EXPECT_EQ(p->ready, Readiness::ready_line);
  EXPECT_EQ(p->port, PortPolicy::ephemeral);
  EXPECT_EQ(p->start_timeout, 2s);
  EXPECT_EQ(p->stop, (StopSpec{"INT", 1500ms}));
  EXPECT_EQ(p->capabilities.size(), 8U);
  EXPECT_EQ(p->max_clients, 64U);
  ASSERT_EQ(p->expect.size(), 2U);
  EXPECT_EQ(p->expect[0].requirement, "CON-1");
  EXPECT_EQ(p->expect[0].verdict, ExpectedVerdict::xfail);
  EXPECT_EQ(p->expect[0].diagnostic, "not within");
  EXPECT_EQ(p->expect[1].diagnostic, std::nullopt);
  EXPECT_EQ(p->expect[1].scenario, "udp/big-*");
  EXPECT_EQ(p->expect[1].verdict, ExpectedVerdict::skip);
  EXPECT_EQ(p->expect[1].where.line, 16);
}

// Aliases nesting 10 x 10 x ... (see LoaderErrors.AnAliasBombIsRefusedWithItsLocation): refused
// before any key is read, in bounded time and memory.
TEST(LoadProfile, AnAliasBombIsRefused) {
  std::string text = "name: p\nargv: [x]\nenv:\n";
  for (int level = 0; level < 8; ++level) {
    const std::string item = level == 0 ? "x" : "*l" + std::to_string(level - 1);
    std::string items = item;
    for (int i = 1; i < 10; ++i) items += ", " + item;
    text += "  V" + std::to_string(level) + ": &l" + std::to_string(level) + " [" + items + "]\n";
  }
  EXPECT_THAT(load_profile_text(text, "p.yaml"),
              HasError(HasSubstr("the document expands to more than 100000 YAML nodes")));
}

TEST(LoadProfile, Defaults) {
  net::Result<Profile> p = load_profile_text("name: x\nargv: [x]\n", "p.yaml");
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->ready, Readiness::ready_line);
  EXPECT_EQ(p->port, PortPolicy::ephemeral);
  EXPECT_EQ(p->start_timeout, 5s);
  EXPECT_EQ(p->stop, StopSpec{});
  EXPECT_EQ(p->probe, "\n");
  EXPECT_FALSE(p->serial);
  EXPECT_EQ(p->where.file, "p.yaml");
}

TEST(LoadProfile, SerialWhenSaidOrWhenItsPortIsFixed) {
  net::Result<Profile> p = load_profile_text("name: x\nargv: [x]\nserial: true\n", "p.yaml");
  ASSERT_THAT(p, IsOk());
  EXPECT_TRUE(p->serial);
  p = load_profile_text("name: x\nargv: [x]\nready: tcp-probe\nport: 7000\n", "p.yaml");
  ASSERT_THAT(p, IsOk());
  EXPECT_TRUE(p->serial);  // two instances cannot both listen on 7000
}

TEST(LoadProfile, ProbesPickAPortByDefault) {
  net::Result<Profile> p = load_profile_text(
      "name: x\nargv: [x, '{port}']\nready: udp-probe\nprobe: 'ping\\r\\n'\n", "p.yaml");
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->port, PortPolicy::pick);
  EXPECT_EQ(p->probe, "ping\r\n");
  p = load_profile_text("name: x\nargv: [x]\nready: tcp-probe\nport: 7000\n", "p.yaml");
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->port, PortPolicy::fixed);
  EXPECT_EQ(p->fixed_port, 7000);
}

TEST(LoadProfile, GoldenErrors) {
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {"name: x\nargv: [x]\nreddy: proc\n",
       "p.yaml:3:1: unknown key 'reddy' in profile (did you mean 'ready'?)"},
      {"name: x\nargv: [x]\nready: tcp-prob\n",
       "p.yaml:3:8: bad value 'tcp-prob' for 'ready': expected one of ready-line, tcp-probe, "
       "udp-probe, proc (did you mean 'tcp-probe'?)"},
      {"name: x\nargv: [x]\ncapabilities: [tcp, ehco]\n",
       "p.yaml:3:21: unknown capability 'ehco' (did you mean 'echo'?)"},
      {"name: x\nargv: [x]\ncapabilities: [tcp, port-zero]\n",
       "p.yaml:3:21: 'port-zero' is not declared: it follows from the profile's 'port' "
       "(harness/README.md)"},
      {"name: x\nargv: [x]\nexpect:\n  - {requirement: XYZ-99, reason: r}\n",
       "p.yaml:4:19: unknown requirement 'XYZ-99'"},
      {"name: x\nargv: [x]\nexpect:\n  - {requirement: STR-1, verdict: skip}\n",
       "p.yaml:4:5: missing field 'reason' in expect"},
      {"name: x\nargv: [x, '--port={prot}']\n",
       "p.yaml:2:11: unknown placeholder '{prot}' (did you mean '{port}'?)"},
      {"name: x\nargv: [x]\nenv: {A: '{hots}'}\n",
       "p.yaml:3:10: unknown placeholder '{hots}' (did you mean '{host}'?)"},
      {"name: x\nargv: [x, '{port}']\nready: tcp-probe\nport: ephemeral\n",
       "p.yaml:4:7: tcp-probe needs a known port: use port: pick or a number"},
      {"name: x\nargv: [x]\nready: udp-probe\n",
       "p.yaml:2:7: port: pick needs {port} in argv or env, or the program never learns the port "
       "the harness picked"},
      {"name: x\nargv: [x]\nport: 70000\n",
       "p.yaml:3:7: bad value '70000' for 'port': expected ephemeral, pick or a port number from 1 "
       "to 65535"},
      {"name: x\nargv: []\n", "p.yaml:2:7: 'argv': expected at least the program to run"},
      {"argv: [x]\n", "p.yaml:1:1: missing field 'name' in profile"},
      {"name: x\nargv: [x]\nstop: {signal: TREM}\n",
       "p.yaml:3:16: bad value 'TREM' for 'signal': expected one of TERM, INT, KILL, HUP, QUIT, "
       "USR1, USR2 (did you mean 'TERM'?)"},
      {"name: x\nargv: [x]\nstart-timeout: 5\n",
       "p.yaml:3:16: bad duration '5': expected a number and a unit (us, ms, s, m, h), e.g. 500ms"},
      {"name: x\nargv: [x]\nexpect:\n  - {scenario: a, requirement: STR-1, reason: r}\n",
       "p.yaml:4:5: expect: name exactly one of 'scenario' (an id glob) or 'requirement'"},
      {"name: x\nargv: [x]\nprobe: x\n", "p.yaml:3:8: 'probe' is only used with ready: udp-probe"},
      {"name: x\nargv: [x]\nexpect:\n  - {requirement: STR-1, verdict: skip, diagnostic: d, "
       "reason: r}\n",
       "p.yaml:4:53: 'diagnostic' goes with verdict xfail only"},
      {"name: x\nargv: [x]\nexpect:\n  - {requirement: STR-1, diagnostic: '', reason: r}\n",
       "p.yaml:4:38: 'diagnostic': expected the text the failure must contain"},
      {"name: x\nargv: [x]\nmax-clients: 0\n", "p.yaml:3:14: 'max-clients': expected at least 1"},
      {"name: x\nargv: [x]\nserial: yes\n",
       "p.yaml:3:9: 'serial': expected true or false, got 'yes'"},
      {"name: x\nargv: [x\n", "p.yaml:3:1: YAML syntax error: end of sequence flow not found"},
      {"", "p.yaml:1:1: empty profile file"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_THAT(load_profile_text(c.text, "p.yaml"), HasError(c.error));
  }
}

TEST(ProfileFromCommand, SplitsAndDeclaresEveryCapability) {
  net::Result<Profile> p =
      profile_from_command("./srv --bind {host} --port '{port}'", Readiness::tcp_probe);
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->name, "cmd");
  EXPECT_THAT(p->argv, ElementsAre("./srv", "--bind", "{host}", "--port", "{port}"));
  EXPECT_EQ(p->port, PortPolicy::pick);
  EXPECT_GT(p->capabilities.size(), 10U);
  p = profile_from_command("./srv", Readiness::proc);
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->port, PortPolicy::ephemeral);
}

TEST(ProfileFromCommand, Errors) {
  EXPECT_THAT(profile_from_command("./srv 'x", Readiness::ready_line),
              HasError(HasSubstr("--cmd: unterminated ' quote")));
  EXPECT_THAT(profile_from_command("  ", Readiness::ready_line),
              HasError("--cmd: the command is empty"));
  EXPECT_THAT(profile_from_command("./srv {prot}", Readiness::ready_line),
              HasError(HasSubstr("--cmd: unknown placeholder '{prot}'")));
  EXPECT_THAT(profile_from_command("./srv", Readiness::udp_probe),
              HasError(HasSubstr("--cmd: udp-probe needs {port} in the command")));
}

TEST(ReadinessName, IsTheYamlSpelling) {
  EXPECT_EQ(readiness_name(Readiness::ready_line), "ready-line");
  EXPECT_EQ(readiness_name(Readiness::proc), "proc");
}

TEST(ReadinessName, EveryNameMapsBackToItsMethod) {
  ASSERT_EQ(readiness_names().size(), 4U);
  for (const std::string_view name : readiness_names()) {
    SCOPED_TRACE(name);
    const std::optional<Readiness> r = readiness_from_name(name);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(readiness_name(*r), name);
  }
  EXPECT_FALSE(readiness_from_name("tcp_probe").has_value());
}

}  // namespace
}  // namespace sockspec::target
