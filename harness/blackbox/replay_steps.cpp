// The steps of a finding's replay: its messages with the reference model's replies, then a probe.
#include "harness/blackbox/replay_steps.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "harness/blackbox/time_form.hpp"
#include "targets/proto/service.hpp"

namespace sockspec::blackbox {
namespace {

namespace step = scenario::step;
using scenario::DataKind;
using scenario::DataSpec;
using scenario::Match;
using scenario::Step;
using scenario::Transport;
using namespace std::chrono_literals;

// The peer the model sees; replaced by the {peer} placeholder in the scenario (WHOAMI).
constexpr std::string_view kPeerSentinel = "\x01peer\x01";
// A peer address as WHOAMI shows it, in a regex: "127.0.0.1:5", "[::1]:5".
constexpr std::string_view kPeerRegex = R"((?:[0-9.]+|\[[0-9A-Fa-f:.]+\]):[0-9]+)";
// The form of a TIME reply's time, without braces (they would read as placeholders).
constexpr std::string_view kTimeRegex =
    R"([0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][Tt][0-9][0-9]:[0-9][0-9]:[0-9][0-9](?:[Zz]|\+00:00))";
constexpr std::string_view kProbe = "sockspec-probe\n";
// How long a datagram that a correct server never sends (discard) is waited for.
constexpr scenario::Duration kNoDatagramWait = 100ms;

bool has_model(std::string_view service) {
  return service == "echo" || service == "discard" || service == "line";
}

Step make(scenario::StepKind kind) {
  return Step{{}, std::move(kind)};
}

// Printable ASCII with tabs and line ends reads well as escaped text; anything else is hex.
bool printable(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) {
    return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t';
  });
}

// Bytes to send, as data that renders to exactly those bytes ('{' doubled: no placeholders).
DataSpec literal(std::string_view bytes) {
  DataSpec d;
  if (!printable(bytes)) {
    d.kind = DataKind::hex;
    d.bytes = std::string(bytes);
    return d;
  }
  for (const char c : bytes) {
    d.bytes.push_back(c);
    if (c == '{') d.bytes.push_back('{');
  }
  return d;
}

// A model reply as a match: text with {peer} for the peer, a regex when it holds a TIME reply.
Match reply_match(std::string_view reply) {
  const std::vector<std::size_t> times = time_replies(reply);
  if (!times.empty()) {
    std::string re;
    for (std::size_t i = 0; i < reply.size();) {
      if (std::find(times.begin(), times.end(), i) != times.end()) {
        re += kTimeRegex;
        i += kTimeTextLength;
      } else if (reply.substr(i, kPeerSentinel.size()) == kPeerSentinel) {
        re += kPeerRegex;
        i += kPeerSentinel.size();
      } else {
        const char c = reply[i++];
        const bool plain = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                           (c >= 'A' && c <= 'Z') || c == ' ' || c == '_';
        re += plain ? std::string(1, c) : fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
      }
    }
    return scenario::Regex{re};
  }
  if (reply.find(kPeerSentinel) == std::string_view::npos) return literal(reply);
  DataSpec d;  // text: \xHH escapes carry any byte, and the placeholder is rendered at run time
  for (std::size_t i = 0; i < reply.size();) {
    if (reply.substr(i, kPeerSentinel.size()) == kPeerSentinel) {
      d.bytes += "{peer}";
      i += kPeerSentinel.size();
      continue;
    }
    d.bytes.push_back(reply[i]);
    if (reply[i++] == '{') d.bytes.push_back('{');
  }
  return d;
}

// The steps that check the target still serves: a short exchange on a fresh connection (TCP)
// or the same socket (UDP), then that its process lives.
void add_probe(std::vector<Step>& steps, Transport transport, std::string_view service) {
  const std::string on = "probe";
  if (transport == Transport::tcp) {
    steps.push_back(make(step::Connect{.as = on}));
    if (service == "echo" || service == "line") {
      const std::string_view text = service == "echo" ? kProbe : "PING\n";
      steps.push_back(make(step::Send{.on = on, .data = literal(text)}));
      steps.push_back(make(step::Expect{.on = on,
                                        .match = service == "echo" ? Match{scenario::SameAsSent{}}
                                                                   : Match{literal("+PONG\r\n")}}));
    } else if (service == "discard") {
      steps.push_back(make(step::Send{.on = on, .data = literal(kProbe)}));
      steps.push_back(make(step::Shutdown{.on = on}));
      steps.push_back(make(step::ExpectEof{.on = on}));
    } else if (service == "daytime") {
      steps.push_back(make(step::Expect{.on = on, .match = scenario::Regex{"[ -~]+\\r?\\n"}}));
    } else if (service == "chargen") {
      steps.push_back(make(step::Expect{.on = on, .match = scenario::Length{1}}));
    }
    steps.push_back(make(step::Close{.on = on}));
  } else {
    const std::string_view text = service == "line" ? "PING\n" : kProbe;
    steps.push_back(make(step::SendTo{.data = literal(text)}));
    if (service == "echo") {
      steps.push_back(make(step::ExpectDatagram{.match = scenario::SameAsSent{}}));
    } else if (service == "line") {
      steps.push_back(make(step::ExpectDatagram{.match = literal("+PONG\r\n")}));
    } else if (service == "discard") {
      steps.push_back(make(step::ExpectNoDatagram{.for_ = kNoDatagramWait}));
    } else if (service == "daytime") {
      steps.push_back(make(step::ExpectDatagram{.match = scenario::Regex{"[ -~]+\\r?\\n"}}));
    } else if (service == "chargen") {
      steps.push_back(make(step::ExpectDatagram{.match = scenario::Regex{"[ -~\\r\\n]*"}}));
    }
  }
  steps.push_back(make(step::ExpectAlive{}));
}

// What a correct server sends for what a connection sent: the expect step, if anything is owed.
void expect_reply(std::vector<Step>& steps, const std::string& on, std::string_view service,
                  const std::string& reply) {
  if (reply.empty()) return;
  // Echo's reply is what was sent: same-as-sent says so and keeps the file short.
  const Match m = service == "echo" ? Match{scenario::SameAsSent{}} : reply_match(reply);
  steps.push_back(make(step::Expect{.on = on, .match = m}));
}

std::vector<Step> persistent_steps(const Finding& f) {
  const std::string on = scenario::kTcpEndpoint;
  const bool model = has_model(f.service);
  std::vector<Step> steps;
  std::unique_ptr<proto::StreamSession> session;
  const std::unique_ptr<proto::Service> service = model ? proto::make_service(f.service) : nullptr;
  bool open = false;
  for (const std::string& message : f.messages) {
    if (!open) {
      steps.push_back(make(step::Connect{.as = on}));
      if (service) {
        session = service->open_session(proto::Context{.peer = std::string(kPeerSentinel),
                                                       .now = [] { return kTimeSentinel; }});
      }
      open = true;
    }
    steps.push_back(make(step::Send{.on = on, .data = literal(message)}));
    if (!session) continue;
    proto::Output out;
    session->on_data(proto::as_bytes(message), out);
    expect_reply(steps, on, f.service, out.bytes);
    if (out.close_after) {
      // The server closes here; later messages go on a new connection.
      steps.push_back(make(step::ExpectEof{.on = on}));
      steps.push_back(make(step::Close{.on = on}));
      open = false;
    }
  }
  // Closed before the probe: a server serving one connection at a time must get to it.
  if (open) steps.push_back(make(step::Close{.on = on}));
  return steps;
}

std::vector<Step> per_connection_steps(const Finding& f) {
  const std::string on = scenario::kTcpEndpoint;
  const std::unique_ptr<proto::Service> service =
      has_model(f.service) ? proto::make_service(f.service) : nullptr;
  std::vector<Step> steps;
  for (const std::string& message : f.messages) {
    steps.push_back(make(step::Connect{.as = on}));
    steps.push_back(make(step::Send{.on = on, .data = literal(message)}));
    steps.push_back(make(step::Shutdown{.on = on}));
    if (service) {
      const std::unique_ptr<proto::StreamSession> session = service->open_session(
          proto::Context{.peer = std::string(kPeerSentinel), .now = [] { return kTimeSentinel; }});
      proto::Output out;
      session->on_data(proto::as_bytes(message), out);
      if (!out.close_after) session->on_eof(out);
      expect_reply(steps, on, f.service, out.bytes);
      steps.push_back(make(step::ExpectEof{.on = on}));
    }
    steps.push_back(make(step::Close{.on = on}));
  }
  return steps;
}

std::vector<Step> datagram_steps(const Finding& f) {
  const std::unique_ptr<proto::Service> service =
      has_model(f.service) ? proto::make_service(f.service) : nullptr;
  const proto::Context ctx{.peer = std::string(kPeerSentinel), .now = [] { return kTimeSentinel; }};
  std::vector<Step> steps;
  steps.push_back(make(step::Bind{}));
  for (const std::string& message : f.messages) {
    steps.push_back(make(step::SendTo{.data = literal(message)}));
    if (!service) continue;
    const std::optional<std::string> reply =
        service->datagrams().answer(proto::as_bytes(message), ctx);
    if (!reply) {
      steps.push_back(make(step::ExpectNoDatagram{.for_ = kNoDatagramWait}));
    } else {
      const Match m = f.service == "echo" ? Match{scenario::SameAsSent{}} : reply_match(*reply);
      steps.push_back(make(step::ExpectDatagram{.match = m}));
    }
  }
  return steps;
}

// Protocol mode: a match with its data as literal() writes it (readable where it can be).
Match readable(const Match& m) {
  if (const auto* d = std::get_if<DataSpec>(&m)) return literal(d->bytes);
  return m;
}

// Protocol mode: what a fuzz connection said first (the banner read, the hello and its reply).
void add_greeting(std::vector<Step>& steps, const std::string& on, const ProtocolSteps& p) {
  if (p.banner) steps.push_back(make(step::Expect{.on = on, .match = readable(*p.banner)}));
  if (!p.hello) return;
  steps.push_back(make(step::Send{.on = on, .data = literal(p.hello->bytes)}));
  if (p.hello_reply)
    steps.push_back(make(step::Expect{.on = on, .match = readable(*p.hello_reply)}));
}

// Protocol mode: the messages as the fuzzer sent them (no reply is known: none is expected),
// then the profile's default exchange on a fresh connection (or the same socket), and
// expect-alive.
std::vector<Step> protocol_steps(const Finding& f, const ProtocolSteps& p) {
  const std::string on = scenario::kTcpEndpoint;
  std::vector<Step> steps;
  switch (f.mode) {
    case Mode::persistent: {
      steps.push_back(make(step::Connect{.as = on}));
      add_greeting(steps, on, p);
      // One send: the replies are not read (none is known), and a close with a reply unread
      // sends RST, which drops what the server had not read yet. Sent at once, the messages are
      // all in the server's hands before it can answer any of them.
      std::string all;
      for (const std::string& m : f.messages) all += m;
      steps.push_back(make(step::Send{.on = on, .data = literal(all)}));
      steps.push_back(make(step::Close{.on = on}));
      break;
    }
    case Mode::per_connection:
      for (const std::string& m : f.messages) {
        steps.push_back(make(step::Connect{.as = on}));
        add_greeting(steps, on, p);
        steps.push_back(make(step::Send{.on = on, .data = literal(m)}));
        steps.push_back(make(step::Shutdown{.on = on}));
        steps.push_back(make(step::Close{.on = on}));
      }
      break;
    case Mode::datagram:
      steps.push_back(make(step::Bind{}));
      for (const std::string& m : f.messages)
        steps.push_back(make(step::SendTo{.data = literal(m)}));
      steps.push_back(make(step::Exchange{.on = std::string(scenario::kUdpEndpoint)}));
      steps.push_back(make(step::ExpectAlive{}));
      return steps;
  }
  const std::string probe = "probe";
  steps.push_back(make(step::Connect{.as = probe}));
  steps.push_back(make(step::Exchange{.on = probe}));
  steps.push_back(make(step::Close{.on = probe}));
  steps.push_back(make(step::ExpectAlive{}));
  return steps;
}

}  // namespace

std::vector<scenario::Step> replay_steps(const Finding& f) {
  if (f.protocol) return protocol_steps(f, *f.protocol);
  std::vector<Step> steps;
  switch (f.mode) {
    case Mode::persistent:
      steps = persistent_steps(f);
      break;
    case Mode::per_connection:
      steps = per_connection_steps(f);
      break;
    case Mode::datagram:
      steps = datagram_steps(f);
      break;
  }
  add_probe(steps, f.mode == Mode::datagram ? Transport::udp : Transport::tcp, f.service);
  return steps;
}

}  // namespace sockspec::blackbox
