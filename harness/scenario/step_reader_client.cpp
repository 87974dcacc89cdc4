// Reading of the client-role steps: listen, run-client, accept, reply, expect-client.
#include "harness/scenario/step_reader.hpp"

namespace sockspec::scenario {

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Listen& out) {
  if (!s.r.check_map(body, what, {"as", "transport"})) return;
  s.name(body, "as", out.as);
  if (const YAML::Node v = body["transport"]; v.IsDefined()) {
    out.transport =
        s.r.choice(v, "transport", {"tcp", "udp"}) == "udp" ? Transport::udp : Transport::tcp;
  }
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::RunClient& out) {
  YamlReader& r = s.r;
  if (!r.check_map(body, what, {"args", "stdin"})) return;
  out.args = r.string_list(r.required(body, "args", what), "args");
  for (const std::string& a : out.args) {
    if (net::Status st = check_template(a); !st && r.ok()) r.fail(body["args"], st.error().message);
  }
  if (const YAML::Node v = body["stdin"]; v.IsDefined() && r.check_map(v, "stdin", kDataKeys)) {
    out.stdin_ = s.data(v, "stdin", true);
  }
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Accept& out) {
  if (!s.r.check_map(body, what, {"on", "as"})) return;
  s.name(body, "on", out.on);
  s.name(body, "as", out.as);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Reply& out) {
  YamlReader& r = s.r;
  if (!r.check_map(body, what, step_keys({"on", "pieces", "delay", "from"}, StepData::data))) {
    return;
  }
  s.name(body, "on", out.on);
  out.data = s.data(body, what, true).value_or(DataSpec{});
  if (const YAML::Node v = body["pieces"]; v.IsDefined()) {
    out.pieces = static_cast<std::uint32_t>(r.unsigned_int(v, "pieces", 1'000'000));
    if (r.ok() && out.pieces == 0) r.fail(v, "'pieces': expected at least 1");
  }
  if (const YAML::Node v = body["delay"]; v.IsDefined())
    out.delay = r.parsed<DurationRange>(v, "delay", parse_duration_range);
  if (body["from"].IsDefined())
    s.address(body, "from", out.from.emplace(), AddressForm::either, {});
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectClient& out) {
  YamlReader& r = s.r;
  if (!r.check_map(body, what, {"exit", "stdout", "within"})) return;
  if (const YAML::Node v = body["exit"]; v.IsDefined()) out.exit = r.signed_int(v, "exit", 0, 255);
  // Nothing was sent to the client's stdout: same-as-sent means nothing there.
  if (const YAML::Node v = body["stdout"];
      v.IsDefined() && r.check_map(v, "stdout", step_keys({"regex", "length"}, StepData::data))) {
    out.stdout_ = s.match(v, "stdout");
  }
  s.duration(body, "within", out.within);
}

}  // namespace sockspec::scenario
