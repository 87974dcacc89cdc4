// Golden error messages of the loader: one bad input per kind of mistake, exact file:line:col text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "harness/scenario/loader.hpp"
#include "targets/testing/temp_dir.hpp"

namespace sockspec::scenario {
namespace {

struct BadCase {
  const char* name;
  const char* yaml;
  const char* message;  // the first error, "t.yaml:line:col: ..." (the file's other independent
                        // errors follow on lines of their own: loader_all_errors_test.cpp)
};

// Case inputs spell out a valid TCP scenario up to its first step (line 6) where they need one.
const BadCase kBadCases[] = {
    {"unknown_top", "id: t/x\nsumary: s\n",
     "t.yaml:2:1: unknown key 'sumary' in scenario (did you mean 'summary'?)"},
    {"unknown_top_far", "id: t/x\nzzzzzz: s\n",
     "t.yaml:2:1: unknown key 'zzzzzz' in scenario (expected one of: id, summary, requirements, "
     "tags, needs, transport, families, target, role, seed, steps)"},
    {"missing_id", "summary: s\nrequirements: [STR-1]\nsteps: []\n",
     "t.yaml:1:1: missing field 'id' in scenario"},
    {"missing_steps", "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp]\n",
     "t.yaml:1:1: missing field 'steps' in scenario"},
    {"wrong_type_req", "id: t/x\nsummary: s\nrequirements: STR-1\n",
     "t.yaml:3:15: 'requirements': expected a list, got a string"},
    {"unknown_req", "id: t/x\nsummary: s\nrequirements: [STR-1, STR-99]\n",
     "t.yaml:3:23: unknown requirement 'STR-99' (did you mean 'STR-1'?)"},
    {"unknown_req_typo", "id: t/x\nsummary: s\nrequirements: [SRT-1]\n",
     "t.yaml:3:16: unknown requirement 'SRT-1' (did you mean 'STR-1'?)"},
    {"unknown_cap", "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tpc]\n",
     "t.yaml:4:9: unknown capability 'tpc' (did you mean 'tcp'?)"},
    {"unknown_cap_port_zero", "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [port-zro]\n",
     "t.yaml:4:9: unknown capability 'port-zro' (did you mean 'port-zero'?)"},
    {"syntax", "id: t/x\nsummary: [s\n",
     "t.yaml:3:1: YAML syntax error: end of sequence flow not found"},
    {"syntax2", "id: t/x\n  summary: s\n bad", "t.yaml:2:10: YAML syntax error: illegal map value"},
    {"dup_key", "id: t/x\nid: t/y\n", "t.yaml:2:1: duplicate key 'id' in scenario (first at 1:1)"},
    {"bad_id", "id: T X\n",
     "t.yaml:1:5: bad id 'T X': expected lower-case letters, digits, '/', '-', '_', '.'"},
    {"empty", "", "t.yaml:1:1: empty scenario file"},
    {"bad_bind",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp]\ntarget: {bind: everywhere}\n",
     "t.yaml:5:16: bad value 'everywhere' for 'bind': expected one of loopback, wildcard"},
    {"no_transport",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [echo]\nsteps:\n  - connect: {}\n",
     "t.yaml:1:1: missing field 'transport' in scenario (or name tcp or udp in 'needs')"},
    {"unknown_step",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "sned: {text: a}\n",
     "t.yaml:7:5: unknown step 'sned' (did you mean 'send'?)"},
    {"unknown_step_key",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "send: {txt: a}\n",
     "t.yaml:7:12: unknown key 'txt' in send (did you mean 'text'?)"},
    {"step_two_keys",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "send: {text: a}\n    expect: {text: a}\n",
     "t.yaml:7:5: a step is a map with one key, the step's kind; got 2 keys"},
    {"barrier_outside_parallel",
     "id: t/x\nsummary: s\nrequirements: [CON-2]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "barrier: {}\n",
     "t.yaml:7:5: step 'barrier' waits for the clients of a parallel block: put it in one"},
    {"run_client_in_parallel",
     "id: t/x\nsummary: s\nrequirements: [CLI-6]\nrole: client\nneeds: [tcp]\nsteps:\n"
     "  - listen: {}\n  - parallel:\n      clients: 2\n      steps:\n        - run-client: {args: "
     "[x]}\n",
     "t.yaml:11:11: step 'run-client' is about the case's one client program: it cannot be in a "
     "parallel block"},
    {"barrier_bad_key",
     "id: t/x\nsummary: s\nrequirements: [CON-2]\nneeds: [tcp, echo]\nsteps:\n  - parallel:\n"
     "      clients: 2\n      steps:\n        - barrier: {for: 1s}\n",
     "t.yaml:9:21: unknown key 'for' in barrier (expected one of: within)"},
    {"send_no_data",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "send: {}\n",
     "t.yaml:7:11: send needs one of text, hex, base64, pattern, file"},
    {"send_two_data",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "send: {text: a, hex: '00'}\n",
     "t.yaml:7:26: send takes one of text, hex, base64, pattern, file; got text and hex"},
    {"bad_duration",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "expect: {text: a, within: 5x}\n",
     "t.yaml:7:31: bad duration '5x': expected a number and a unit (us, ms, s, m, h), e.g. 500ms"},
    {"bad_escape",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "send: {text: 'a\\q'}\n",
     "t.yaml:7:18: bad escape '\\q': expected one of \\n \\r \\t \\0 \\\\ \\xHH"},
    {"bad_placeholder",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "send: {text: 'a {clinet}'}\n",
     "t.yaml:7:18: unknown placeholder '{clinet}': expected one of {client}, {seq}, {seed}, "
     "{peer}, {target.host}, {target.port}, {target.addr}, {listen.host}, {listen.port}, "
     "{listen.addr}"},
    {"bad_bool",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "send: {text: a, concurrent-read: yes}\n",
     "t.yaml:7:38: 'concurrent-read': expected true or false, got 'yes'"},
    {"with_fin_on_reply",
     "id: t/x\nsummary: s\nrequirements: [STR-3]\nneeds: [tcp, exchange]\nsteps:\n  - connect: {}\n"
     "  - exchange: {part: reply, with-fin: true}\n",
     "t.yaml:7:39: exchange: 'with-fin' goes with a request sent whole (not offer, not part: "
     "reply)"},
    {"with_fin_in_segments",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "send: {text: a, segments: {size: 1}, with-fin: true}\n",
     "t.yaml:7:52: send: 'with-fin' goes with neither offer nor segments"},
    {"undefined_endpoint",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "send: {on: d, text: a}\n",
     "t.yaml:7:5: endpoint 'd' is not open here (create it with connect, bind, listen or accept "
     "first)"},
    {"udp_step_in_tcp",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "bind: {}\n",
     "t.yaml:7:5: step 'bind' is UDP, but the scenario's transport has no udp"},
    {"client_step_in_server",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "listen: {}\n",
     "t.yaml:7:5: step 'listen' needs role: client"},
    {"req_wrong_side",
     "id: t/x\nsummary: s\nrequirements: [CLI-1]\nneeds: [tcp]\nsteps:\n  - connect: {}\n",
     "t.yaml:3:16: requirement 'CLI-1' is about clients, but the scenario's role is server"},
    {"bad_regex",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "expect: {regex: 'a(('}\n",
     "t.yaml:7:21: bad regex 'a((': Mismatched '(' and ')' in regular expression"},
    {"two_matches",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "expect: {regex: 'a', length: 3}\n",
     "t.yaml:7:34: expect takes one expectation; got regex and length"},
    {"bad_size",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "send: {pattern: {size: 2GiB}}\n",
     "t.yaml:7:28: bad size '2GiB': more than 1GiB"},
    {"bad_addr",
     "id: t/x\nsummary: s\nrequirements: [DGR-2]\nneeds: [udp]\nsteps:\n  - bind: {}\n  - send-to: "
     "{to: 'nowhere', text: a}\n",
     "t.yaml:7:19: bad address 'nowhere' for 'to': expected an address HOST:PORT ([V6]:PORT) or "
     "'target'"},
    {"bad_signal",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "stop: {signal: SIGTERM}\n",
     "t.yaml:7:20: bad value 'SIGTERM' for 'signal': expected one of TERM, INT, KILL, HUP, QUIT, "
     "USR1, USR2, ABRT, SEGV, PIPE, BUS, FPE"},
    {"bad_count",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "repeat: {count: -1, steps: [close: {}]}\n",
     "t.yaml:7:21: 'count': expected a whole number from 0 to 100000, got '-1'"},
    {"census",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "expect-census: {baseline: b, fds: +2}\n",
     "t.yaml:7:5: no census named 'b' before this step"},
    {"two_docs",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: "
     "{}\n---\nid: y\n",
     "t.yaml:7:1: a scenario file holds one YAML document"},
    {"step_not_map",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "connect\n",
     "t.yaml:7:5: a step is a map with one key, the step's kind; got a string"},
    {"empty_steps", "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp]\nsteps: []\n",
     "t.yaml:5:8: 'steps': expected a non-empty list of steps, got an empty list"},
    {"family",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "connect: {family: ipv5}\n",
     "t.yaml:7:23: bad value 'ipv5' for 'family': expected one of ipv4, ipv6 (did you mean "
     "'ipv4'?)"},
    {"shutdown_bad",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "shutdown: sideways\n",
     "t.yaml:7:15: bad value 'sideways' for 'shutdown': expected one of write, read, both"},
    {"dup_instance",
     "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp, echo]\nsteps:\n  - connect: {}\n  - "
     "start-instance: {as: target}\n",
     "t.yaml:7:5: instance 'target' exists already"},
    {"families_empty", "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp]\nfamilies: []\n",
     "t.yaml:5:11: 'families': expected a non-empty list, got an empty list"},
    {"summary_multiline", "id: t/x\nsummary: |\n  a\n  b\nrequirements: [STR-1]\n",
     "t.yaml:2:10: 'summary': expected one non-empty line"},
    {"not_utf8", "id: t/x\nsummary: \"caf\xe9\"\n",
     "t.yaml:2:10: 'summary': not valid UTF-8 (write other bytes as \\xHH in text, or use hex)"},
};

TEST(LoaderErrors, GoldenMessages) {
  for (const BadCase& c : kBadCases) {
    SCOPED_TRACE(c.name);
    const auto r = load_scenario_text(c.yaml, "t.yaml");
    ASSERT_FALSE(r.ok()) << to_yaml(*r);
    EXPECT_EQ(r.error().message.substr(0, r.error().message.find('\n')), c.message);
  }
}

TEST(LoaderErrors, MissingDataFileNamesTheResolvedPath) {
  const auto r = load_scenario_text(
      "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp]\nsteps:\n  - connect: {}\n"
      "  - send: {file: nope.bin}\n",
      "/nonexistent/dir/t.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.error().message,
      "/nonexistent/dir/t.yaml:7:18: cannot read '/nonexistent/dir/nope.bin': No such file or "
      "directory (ENOENT)");
}

// A device would fill memory (/dev/zero) or block (/dev/stdin): only regular files are data,
// even from a folder --data-root allows.
TEST(LoaderErrors, DataFileThatIsNotARegularFile) {
  const auto r = load_scenario_text(
      "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp]\nsteps:\n  - connect: {}\n"
      "  - send: {file: /dev/zero}\n",
      "/nonexistent/dir/t.yaml", {"/dev"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "/nonexistent/dir/t.yaml:7:18: '/dev/zero' is not a regular file");
}

std::string scenario_sending(const std::string& file) {
  return "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp]\nsteps:\n  - connect: {}\n"
         "  - send: {file: '" +
         file + "'}\n";
}

// yaml-cpp stops at 2000 levels with "bad file"; the message says what is wrong.
TEST(LoaderErrors, NestingTooDeepIsSaidAsSuch) {
  const std::string deep =
      "id: t/x\nsteps:\n  - connect: " + std::string(2100, '[') + std::string(2100, ']') + "\n";
  const auto r = load_scenario_text(deep, "t.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message,
              ::testing::MatchesRegex(
                  "t\\.yaml:3:[0-9]+: YAML nested too deeply \\(yaml-cpp's parser stops here\\)"));
}

// A pack from elsewhere must not send the harness's files to the target.
TEST(LoaderErrors, DataOutsideTheScenariosFolderIsRefused) {
  const sockspec::testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string root = std::filesystem::weakly_canonical(dir.path()).string();
  const std::string pack = root + "/pack";
  const std::string secret = root + "/secret";
  std::filesystem::create_directories(pack + "/data");
  std::ofstream(secret) << "secret";
  std::ofstream(pack + "/data/ok.bin") << "ok";
  std::filesystem::create_symlink(secret, pack + "/data/link.bin");
  const std::string scenario = pack + "/t.yaml";

  const auto inside = load_scenario_text(scenario_sending("data/ok.bin"), scenario);
  ASSERT_TRUE(inside.ok()) << inside.error().message;

  const auto up = load_scenario_text(scenario_sending("../secret"), scenario);
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.error().message, scenario + ":7:18: '" + secret +
                                    "' is outside the scenario's folder '" + pack +
                                    "'; --data-root DIR allows data from DIR too");

  const auto absolute = load_scenario_text(scenario_sending("/etc/hostname"), scenario);
  ASSERT_FALSE(absolute.ok());
  EXPECT_NE(absolute.error().message.find("'/etc/hostname' is outside"), std::string::npos)
      << absolute.error().message;

  const auto link = load_scenario_text(scenario_sending("data/link.bin"), scenario);
  ASSERT_FALSE(link.ok());
  EXPECT_NE(link.error().message.find("(it leads to '" + secret + "')"), std::string::npos)
      << link.error().message;

  const auto allowed = load_scenario_text(scenario_sending("../secret"), scenario, {dir.path()});
  ASSERT_TRUE(allowed.ok()) << allowed.error().message;
}

// A folder whose name merely starts like the scenario's is not inside it.
TEST(LoaderErrors, ASiblingFolderWithTheSamePrefixIsOutside) {
  const sockspec::testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::filesystem::create_directories(dir.file("pack"));
  std::filesystem::create_directories(dir.file("pack2"));
  std::ofstream(dir.file("pack2/x.bin")) << "x";
  const auto r = load_scenario_text(scenario_sending("../pack2/x.bin"), dir.file("pack/t.yaml"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("is outside the scenario's folder"), std::string::npos);
}

// "Billion laughs": 3 KB of steps whose aliases nest 10 x 10 x ... = 10^8 steps. Before the
// check it took gigabytes and did not end; now it is refused where the count passes
// kMaxYamlNodes.
TEST(LoaderErrors, AnAliasBombIsRefusedWithItsLocation) {
  std::string text = "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp]\nsteps:\n";
  for (int level = 0; level < 8; ++level) {
    const std::string item =
        level == 0 ? "{connect: {}}"
                   : "{repeat: {count: 1, steps: *l" + std::to_string(level - 1) + "}}";
    std::string items = item;
    for (int i = 1; i < 10; ++i) items += ", " + item;
    text += "  - repeat: {count: 1, steps: &l" + std::to_string(level) + " [" + items + "]}\n";
  }
  const auto r = load_scenario_text(text, "t.yaml");
  ASSERT_FALSE(r.ok());
  const std::string& message = r.error().message;
  EXPECT_EQ(message.rfind("t.yaml:", 0), 0U) << message;
  EXPECT_NE(message.find(": the document expands to more than 100000 YAML nodes (its aliases "
                         "repeat what they name): refused"),
            std::string::npos)
      << message;
}

TEST(LoaderErrors, MissingScenarioFile) {
  const auto r = load_scenario_file("/nonexistent/s.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "cannot read '/nonexistent/s.yaml': No such file or directory (ENOENT)");
}

TEST(ValidatePack, RejectsDuplicateIdsAcrossFiles) {
  const char* text =
      "id: a/b\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp]\nsteps:\n  - connect: {}\n";
  const auto one = load_scenario_text(text, "one.yaml");
  const auto two = load_scenario_text(text, "two.yaml");
  ASSERT_TRUE(one.ok() && two.ok());
  const std::vector<Scenario> pack = {*one, *two};
  const net::Status s = validate_pack(pack);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "two.yaml:1:5: duplicate id 'a/b' (also in one.yaml:1:5)");
  EXPECT_TRUE(validate_pack(std::vector<Scenario>{*one}).ok());
}

}  // namespace
}  // namespace sockspec::scenario
