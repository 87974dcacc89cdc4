// A profile's exchanges made ready for fuzzing: rendered greeting and probe, seeds, dictionary.
#include "harness/blackbox/protocol.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "harness/scenario/data.hpp"

namespace sockspec::blackbox {
namespace {

using scenario::DataSpec;
using scenario::Transport;

// {client} and {seq} as outside `parallel` and `repeat` (the exchange step's values there).
const scenario::TemplateVars& fixed_vars() {
  static const scenario::TemplateVars vars = {{"client", "0"}, {"seq", "0"}};
  return vars;
}

net::Result<std::string> bytes_of(const DataSpec& d) {
  return scenario::materialise(d, fixed_vars());
}

// A match as the engine's matcher takes it (as Executor::expected_of, without same-as-sent,
// which an exchange never has).
net::Result<engine::Expected> expected_of(const scenario::Match& match) {
  engine::Expected e;
  if (const auto* d = std::get_if<DataSpec>(&match)) {
    net::Result<std::string> bytes = bytes_of(*d);
    if (!bytes) return bytes.error();
    e.bytes = std::move(bytes).value();
  } else if (const auto* r = std::get_if<scenario::Regex>(&match)) {
    net::Result<std::string> text = scenario::render(r->regex, fixed_vars());
    if (!text) return text.error();
    e.kind = engine::Expected::Kind::regex;
    e.regex = std::move(text).value();
  } else if (const auto* l = std::get_if<scenario::Length>(&match)) {
    e.kind = engine::Expected::Kind::length;
    e.length = l->length;
    e.length_max = l->max.value_or(0);
  } else {
    return net::Error{"a reply cannot be same-as-sent"};
  }
  return e;
}

// Raw bytes as data a scenario writes back exactly (hex: no placeholders, no escapes).
DataSpec raw(std::string bytes) {
  DataSpec d;
  d.kind = scenario::DataKind::hex;
  d.bytes = std::move(bytes);
  return d;
}

// The match as a scenario step writes it: data rendered to raw bytes, a regex rendered.
scenario::Match step_match(const engine::Expected& e) {
  switch (e.kind) {
    case engine::Expected::Kind::data:
      return raw(e.bytes);
    case engine::Expected::Kind::regex:
      return scenario::Regex{e.regex};
    case engine::Expected::Kind::length:
      break;
  }
  scenario::Length l;
  l.length = e.length;
  if (e.length_max != 0) l.max = e.length_max;
  return l;
}

bool word_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool printable(char c) {
  return c >= 0x20 && c < 0x7f;
}

bool binary(std::string_view bytes) {
  return std::any_of(bytes.begin(), bytes.end(),
                     [](char c) { return !printable(c) && c != '\r' && c != '\n' && c != '\t'; });
}

struct Tokens {
  Dictionary dict;
  std::set<std::string, std::less<>> seen;
  void add(std::string_view token) {
    if (token.empty() || token.size() > kMaxToken || dict.entries.size() >= kMaxTokens) return;
    if (seen.emplace(token).second) dict.entries.emplace_back(token);
  }
};

// Words (two bytes or more), "\r\n" and every printable separator of `bytes`.
void split_text(std::string_view bytes, Tokens& out) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (word_byte(bytes[i])) {
      std::size_t end = i;
      while (end < bytes.size() && word_byte(bytes[end])) ++end;
      if (end - i >= 2) out.add(bytes.substr(i, end - i));
      i = end;
    } else if (bytes.substr(i, 2) == "\r\n") {
      out.add("\r\n");
      i += 2;
    } else {
      if (printable(bytes[i]) || bytes[i] == '\n' || bytes[i] == '\r') out.add(bytes.substr(i, 1));
      ++i;
    }
  }
}

bool all_printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), printable);
}

// Fields behind a length prefix: a byte or a big-endian 16-bit number L >= 2 followed by L bytes
// that end the message (a remaining-length header) or are text (a string field).
void split_lengths(std::string_view bytes, Tokens& out) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (const std::size_t width : {std::size_t{1}, std::size_t{2}}) {
      if (i + width > bytes.size()) continue;
      std::size_t length = static_cast<unsigned char>(bytes[i]);
      if (width == 2) length = length << 8 | static_cast<unsigned char>(bytes[i + 1]);
      const std::size_t from = i + width;
      if (length < 2 || from + length > bytes.size()) continue;
      const std::string_view field = bytes.substr(from, length);
      if (from + length != bytes.size() && !all_printable(field)) continue;
      out.add(field);
      out.add(bytes.substr(i, width + length));
    }
  }
}

}  // namespace

net::Result<Protocol> make_protocol(const target::Profile& profile, Transport transport) {
  const std::string_view tname = transport == Transport::tcp ? "tcp" : "udp";
  const target::TransportExchanges* t = profile.exchanges.of(transport);
  if (t == nullptr) {
    return net::Error{fmt::format("profile '{}' declares no exchanges over {} (exchanges.{})",
                                  profile.name, tname, tname)};
  }
  const auto failed = [&](std::string_view what, const net::Error& e) {
    return net::Error{
        fmt::format("profile '{}': exchanges.{}: {}: {}", profile.name, tname, what, e.message)};
  };
  Protocol p;
  p.name = profile.name;
  p.transport = transport;
  p.keep_alive = transport == Transport::tcp && t->keep_alive;
  if (t->banner) {
    net::Result<engine::Expected> banner = expected_of(*t->banner);
    if (!banner) return failed("banner", banner.error());
    p.banner = *banner;
    p.steps.banner = step_match(*banner);
  }
  if (t->hello) {
    net::Result<std::string> hello = bytes_of(t->hello->request);
    if (!hello) return failed("hello", hello.error());
    net::Result<engine::Expected> reply = expected_of(t->hello->reply);
    if (!reply) return failed("hello's reply", reply.error());
    p.hello = *hello;
    p.hello_reply = *reply;
    p.steps.hello = raw(*hello);
    p.steps.hello_reply = step_match(*reply);
  }
  for (const target::ExchangeSpec& e : t->requests) {
    net::Result<std::string> request = bytes_of(e.request);
    if (!request) return failed(fmt::format("exchange '{}'", e.name), request.error());
    if (t->closing && e.name == *t->closing) p.closing = p.requests.size();
    p.requests.push_back(std::move(request).value());
  }
  const target::ExchangeSpec& probe = t->requests.front();
  net::Result<engine::Expected> reply = expected_of(probe.reply);
  if (!reply) return failed(fmt::format("the reply of exchange '{}'", probe.name), reply.error());
  p.probe_name = probe.name;
  for (std::uint32_t i = 0; i < probe.repeat; ++i) p.probe_request += p.requests.front();
  p.probe_reply = std::move(reply).value();
  if (probe.repeat > 1) {  // as the exchange step: the reply repeated too
    std::string bytes;
    for (std::uint32_t i = 0; i < probe.repeat; ++i) bytes += p.probe_reply.bytes;
    p.probe_reply.bytes = std::move(bytes);
    p.probe_reply.length *= probe.repeat;
    p.probe_reply.length_max *= probe.repeat;
  }
  return p;
}

std::vector<std::string> protocol_seeds(const Protocol& protocol, std::size_t max_len) {
  std::vector<std::string> seeds;
  if (max_len == 0) return seeds;
  std::set<std::string, std::less<>> seen;
  const auto add = [&](std::string s) {
    if (s.size() > max_len) s.resize(max_len);
    if (!s.empty() && seen.insert(s).second) seeds.push_back(std::move(s));
  };
  for (const std::string& r : protocol.requests) add(r);
  if (!protocol.keep_alive || protocol.requests.size() < 2) return seeds;
  // The closing request, if any, is the one whose reply ends the connection: it goes last. A
  // request that does not fit in what is left is left out.
  std::string sequence;
  const auto append = [&](const std::string& r) {
    if (sequence.size() + r.size() <= max_len) sequence += r;
  };
  for (std::size_t i = 0; i < protocol.requests.size(); ++i) {
    if (i != protocol.closing) append(protocol.requests[i]);
  }
  if (protocol.closing) append(protocol.requests[*protocol.closing]);
  add(std::move(sequence));
  return seeds;
}

Dictionary protocol_dictionary(const std::vector<std::string>& requests) {
  Tokens tokens;
  for (const std::string& r : requests) {
    if (r.size() <= kMaxToken) tokens.add(r);
  }
  for (const std::string& r : requests) {
    if (binary(r)) split_lengths(r, tokens);
    split_text(r, tokens);
  }
  return std::move(tokens.dict);
}

}  // namespace sockspec::blackbox
