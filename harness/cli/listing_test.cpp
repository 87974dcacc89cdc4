// `list --json` and `profiles`: every field of every scenario and profile, in order.
#include "harness/cli/listing.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "harness/scenario/loader.hpp"

namespace sockspec::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

scenario::Scenario load(const std::string& text, const std::string& name) {
  net::Result<scenario::Scenario> s = scenario::load_scenario_text(text, name);
  if (!s) throw std::runtime_error(s.error().message);
  return std::move(s).value();
}

target::Profile profile(const std::string& text, const std::string& name) {
  net::Result<target::Profile> p = target::load_profile_text(text, name);
  if (!p) throw std::runtime_error(p.error().message);
  return std::move(p).value();
}

TEST(ScenariosJson, GivesEveryFieldOfEachScenarioInOrder) {
  const scenario::Scenario echo = load(
      "id: a/echo\nsummary: echoes\nrequirements: [SVC-1, STR-3]\ntags: [slow]\n"
      "needs: [tcp, echo]\nfamilies: [ipv6]\nsteps:\n  - connect: {}\n",
      "pack/a/echo.yaml");
  const scenario::Scenario client = load(
      "id: b/client\nsummary: a client\nrequirements: [CLI-1]\ntransport: tcp\nrole: client\n"
      "steps:\n  - listen: {}\n",
      "pack/b/client.yaml");
  const std::vector<const scenario::Scenario*> both{&echo, &client};
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(scenarios_json(both));
  ASSERT_EQ(j.size(), 2U);
  EXPECT_EQ(j[0]["id"], "a/echo");
  EXPECT_EQ(j[0]["file"], "pack/a/echo.yaml");
  EXPECT_EQ(j[0]["summary"], "echoes");
  EXPECT_EQ(j[0]["requirements"], nlohmann::ordered_json::parse(R"(["SVC-1", "STR-3"])"));
  EXPECT_EQ(j[0]["tags"], nlohmann::ordered_json::parse(R"(["slow"])"));
  EXPECT_EQ(j[0]["transports"], nlohmann::ordered_json::parse(R"(["tcp"])"));
  EXPECT_EQ(j[0]["families"], nlohmann::ordered_json::parse(R"(["ipv6"])"));
  EXPECT_EQ(j[0]["role"], "server");
  EXPECT_EQ(j[0]["needs"], nlohmann::ordered_json::parse(R"(["tcp", "echo"])"));
  EXPECT_EQ(j[1]["role"], "client");
  EXPECT_EQ(j[1]["transports"], nlohmann::ordered_json::parse(R"(["tcp"])"));
  EXPECT_EQ(j[1]["families"], nlohmann::ordered_json::parse(R"(["ipv4", "ipv6"])"));
  EXPECT_EQ(j[1]["tags"], nlohmann::ordered_json::array());
  std::vector<std::string> keys;
  for (const auto& item : j[1].items()) keys.push_back(item.key());
  EXPECT_THAT(keys, ElementsAre("id", "file", "summary", "requirements", "tags", "transports",
                                "families", "role", "needs"));
}

TEST(ProfilesListing, TableAndJsonGiveRoleTransportsCapabilitiesAndFile) {
  const std::vector<target::Profile> profiles{
      profile("name: srv\nargv: [x, '{port}']\ncapabilities: [udp, tcp, ipv4, echo]\n",
              "dir/srv.yaml"),
      profile("name: cli\nrole: client\nargv: [y]\ncapabilities: [tcp, ipv6]\n", "dir/cli.yaml")};
  EXPECT_EQ(transports_of(profiles[0]), "tcp,udp");
  const std::string table = profiles_table(profiles);
  EXPECT_THAT(table,
              HasSubstr("srv                          server tcp,udp  ipv4 echo  dir/srv.yaml\n"));
  EXPECT_THAT(table,
              HasSubstr("cli                          client tcp      ipv6  dir/cli.yaml\n"));
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(profiles_json(profiles));
  ASSERT_EQ(j.size(), 2U);
  EXPECT_EQ(j[0]["name"], "srv");
  EXPECT_EQ(j[0]["role"], "server");
  EXPECT_EQ(j[0]["transports"], nlohmann::ordered_json::parse(R"(["tcp", "udp"])"));
  EXPECT_EQ(j[0]["capabilities"],
            nlohmann::ordered_json::parse(R"(["udp", "tcp", "ipv4", "echo"])"));
  EXPECT_EQ(j[0]["file"], "dir/srv.yaml");
  EXPECT_EQ(j[1]["role"], "client");
}

}  // namespace
}  // namespace sockspec::cli
