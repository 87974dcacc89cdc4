// Reading of the `steps:` list and the data and match specs inside steps (loader internals).
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "harness/scenario/model.hpp"
#include "harness/scenario/yaml_reader.hpp"

namespace sockspec::scenario {

// What an address key takes: "127.0.0.2", "127.0.0.2:{target.port}", or either.
enum class AddressForm { host, host_port, either };

struct StepReader {
  YamlReader& r;
  std::string base_dir;    // `file:` data is relative to the scenario's folder, and inside it
  DataRoots data_roots{};  // or inside one of these

  // A list of one-key maps ("- send: {...}"); at least one step.
  std::vector<Step> steps(const YAML::Node& list, std::string_view what);
  // One of text/hex/base64/pattern/file in `map`; std::nullopt if none (and !required).
  std::optional<DataSpec> data(const YAML::Node& map, std::string_view what, bool required);
  // One of the data keys, regex, length or same-as-sent in `map`.
  Match match(const YAML::Node& map, std::string_view what);

  // Field helpers: each reads `key` if present and leaves `out` alone otherwise.
  void name(const YAML::Node& map, std::string_view key, std::string& out);
  void duration(const YAML::Node& map, std::string_view key, Duration& out);
  void boolean(const YAML::Node& map, std::string_view key, bool& out);
  void address(const YAML::Node& map, std::string_view key, std::string& out, AddressForm form,
               std::initializer_list<std::string_view> keywords);
  void family(const YAML::Node& map, std::optional<Family>& out);
  void signal(const YAML::Node& map, std::string_view key, std::string& out);
};

// Values for every placeholder, to check that a template (an address, a regex) still makes sense
// once rendered.
[[nodiscard]] TemplateVars sample_vars();

// Every key a step map may hold for data (text, hex, base64, pattern, file) and for a match.
inline constexpr std::string_view kDataKeys[] = {"text", "hex", "base64", "pattern", "file"};
inline constexpr std::string_view kMatchOnly[] = {"regex", "length", "same-as-sent"};
inline constexpr std::string_view kSignals[] = {"TERM", "INT",  "KILL", "HUP",  "QUIT", "USR1",
                                                "USR2", "ABRT", "SEGV", "PIPE", "BUS",  "FPE"};

// Which of the keys above a step map takes besides its own: none, the data keys, or the data
// and match keys.
enum class StepData { none, data, match };
// The keys a step map may hold: `own`, then those `with` adds.
[[nodiscard]] std::vector<std::string_view> step_keys(std::initializer_list<std::string_view> own,
                                                      StepData with);

// Each reads the body of one step kind, named `what`, into `out` (which holds the defaults); an
// error is recorded in s.r. Data and match specs: data_reader.cpp.
// TCP, UDP and exchange (step_reader_socket.cpp).
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Connect& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Send& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Expect& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::ExpectEof& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectReset& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectSilence& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Shutdown& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Abort& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Close& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Bind& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::SendTo& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectDatagram& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectNoDatagram& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Exchange& out);
// Structure (step_reader.cpp).
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Repeat& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Parallel& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Barrier& out);
// Lifecycle and observation (step_reader_lifecycle.cpp).
void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::StartInstance& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Stop& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Restart& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectAlive& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::ExpectExit& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectEndpoint& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectStartFailure& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Census& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectCensus& out);
// Client role (step_reader_client.cpp).
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Listen& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::RunClient& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Accept& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Reply& out);
void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectClient& out);

}  // namespace sockspec::scenario
