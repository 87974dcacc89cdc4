// to_yaml(): a Scenario back to scenario YAML, every field written out (defaults included).
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "harness/scenario/loader.hpp"

namespace sockspec::scenario {
namespace {

constexpr const char* kFamilies[] = {"ipv4", "ipv6"};
constexpr const char* kTransports[] = {"tcp", "udp"};
constexpr const char* kHows[] = {"write", "read", "both"};

template <class E>
const char* name_of(const char* const* names, E e) {
  return names[static_cast<std::size_t>(e)];
}

struct Writer {
  YAML::Emitter& out;

  template <class T>
  void kv(const char* key, const T& value) {
    out << YAML::Key << key << YAML::Value << value;
  }
  void kv(const char* key, bool value) { kv(key, value ? "true" : "false"); }
  void kv(const char* key, Duration d) { kv(key, format_duration(d)); }
  void kv(const char* key, std::uint64_t v) { kv(key, std::to_string(v)); }
  void kv(const char* key, std::uint32_t v) { kv(key, std::to_string(v)); }
  void kv(const char* key, int v) { kv(key, std::to_string(v)); }
  template <class T>
  void kv(const char* key, const std::optional<T>& v) {
    if (v) kv(key, *v);
  }
  void kv(const char* key, std::optional<Family> f) {
    if (f) kv(key, name_of(kFamilies, *f));
  }

  void data(const DataSpec& d) {
    switch (d.kind) {
      case DataKind::text:
        return kv("text", encode_escapes(d.bytes));
      case DataKind::hex:
        return kv("hex", encode_hex(d.bytes));
      case DataKind::base64:
        return kv("base64", encode_base64(d.bytes));
      case DataKind::file:
        return kv("file", d.path);
      case DataKind::pattern:
        out << YAML::Key << "pattern" << YAML::Value << YAML::BeginMap;
        kv("size", format_size(d.pattern.size));
        kv("seed", d.pattern.seed);
        out << YAML::EndMap;
        return;
    }
  }
  void match(const Match& m) {
    if (const auto* d = std::get_if<DataSpec>(&m)) data(*d);
    if (const auto* x = std::get_if<Regex>(&m)) kv("regex", x->regex);
    if (const auto* x = std::get_if<Length>(&m)) {
      if (x->max) {
        kv("length", format_size_range(SizeRange{x->length, *x->max}));
      } else {
        kv("length", x->length);
      }
    }
    if (std::holds_alternative<SameAsSent>(m)) kv("same-as-sent", true);
  }
  void steps(const std::vector<Step>& list) {
    out << YAML::BeginSeq;
    for (const Step& st : list) {
      out << YAML::BeginMap << YAML::Key << std::string(step_name(st.kind)) << YAML::Value
          << YAML::BeginMap;
      std::visit([&](const auto& k) { body(k); }, st.kind);
      out << YAML::EndMap << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }

  void body(const step::Connect& k) {
    kv("as", k.as);
    kv("family", k.family);
    kv("local", k.local);
    kv("within", k.within);
  }
  void body(const step::Send& k) {
    kv("on", k.on);
    data(k.data);
    if (k.segments) {
      out << YAML::Key << "segments" << YAML::Value << YAML::BeginMap;
      kv("size", format_size_range(k.segments->size));
      kv("gap", format_duration_range(k.segments->gap));
      out << YAML::EndMap;
    }
    kv("concurrent-read", k.concurrent_read);
    kv("offer", k.offer);
    if (k.with_fin) kv("with-fin", true);
  }
  void body(const step::Expect& k) {
    kv("on", k.on);
    match(k.match);
    kv("within", k.within);
  }
  void body(const step::ExpectEof& k) {
    kv("on", k.on);
    kv("within", k.within);
  }
  void body(const step::ExpectReset& k) {
    kv("on", k.on);
    kv("within", k.within);
  }
  void body(const step::ExpectSilence& k) {
    kv("on", k.on);
    kv("for", k.for_);
  }
  void body(const step::Shutdown& k) {
    kv("on", k.on);
    kv("how", name_of(kHows, k.how));
  }
  void body(const step::Exchange& k) {
    kv("on", k.on);
    kv("use", k.use == ExchangeUse::named
                  ? k.name
                  : std::string(kExchangeUses[static_cast<std::size_t>(k.use)]));
    kv("part", std::string(kExchangeParts[static_cast<std::size_t>(k.part)]));
    if (k.count != 1) kv("count", k.count);
    kv("within", k.within);
    kv("offer", k.offer);
    if (k.offer) kv("size", k.size);
    kv("to", k.to);
    kv("from", k.from);
    if (k.with_fin) kv("with-fin", true);
  }
  void body(const step::Abort& k) { kv("on", k.on); }
  void body(const step::Close& k) { kv("on", k.on); }
  void body(const step::Bind& k) {
    kv("as", k.as);
    kv("family", k.family);
    kv("local", k.local);
    if (k.port) kv("port", std::uint32_t{*k.port});
  }
  void body(const step::SendTo& k) {
    kv("on", k.on);
    kv("to", k.to);
    data(k.data);
  }
  void body(const step::ExpectDatagram& k) {
    kv("on", k.on);
    match(k.match);
    kv("from", k.from);
    kv("within", k.within);
  }
  void body(const step::ExpectNoDatagram& k) {
    kv("on", k.on);
    kv("for", k.for_);
  }
  void body(const step::Repeat& k) {
    kv("count", k.count);
    out << YAML::Key << "steps" << YAML::Value;
    steps(k.steps);
  }
  void body(const step::Parallel& k) {
    kv("clients", k.clients);
    out << YAML::Key << "steps" << YAML::Value;
    steps(k.steps);
  }
  void body(const step::Barrier& k) { kv("within", k.within); }
  void body(const step::StartInstance& k) { kv("as", k.as); }
  void body(const step::Stop& k) {
    kv("instance", k.instance);
    kv("signal", k.signal);
    kv("within", k.within);
  }
  void body(const step::Restart& k) {
    kv("instance", k.instance);
    kv("same-port", k.same_port);
  }
  void body(const step::ExpectAlive& k) { kv("instance", k.instance); }
  void body(const step::ExpectExit& k) {
    kv("instance", k.instance);
    kv("code", k.code);
    kv("signal", k.signal);
    kv("within", k.within);
  }
  void body(const step::ExpectEndpoint& k) {
    kv("instance", k.instance);
    kv("non-zero", k.non_zero);
    kv("distinct-from", k.distinct_from);
    kv("in-ephemeral-range", k.in_ephemeral_range);
    kv("on-asked-address", k.on_asked_address);
  }
  void body(const step::ExpectStartFailure& k) {
    kv("port", k.port == step::TakenPort::target ? "target" : "held");
    kv("within", k.within);
  }
  void body(const step::Census& k) {
    kv("as", k.as);
    kv("instance", k.instance);
  }
  void body(const step::ExpectCensus& k) {
    kv("baseline", k.baseline);
    kv("instance", k.instance);
    for (const auto& [key, v] : {std::pair{"fds", k.fds}, std::pair{"threads", k.threads},
                                 std::pair{"children", k.children}}) {
      if (v) kv(key, fmt::format("+{}", *v));
    }
    // fmt rather than "+" + string: GCC 12 at -O3 reports a false -Wrestrict in that operator+.
    if (k.cpu) kv("cpu", fmt::format("+{}", format_duration(*k.cpu)));
    if (k.rss) kv("rss", fmt::format("+{}", format_size(*k.rss)));
    kv("within", k.within);
  }
  void body(const step::Listen& k) {
    kv("as", k.as);
    kv("transport", name_of(kTransports, k.transport));
  }
  void body(const step::RunClient& k) {
    out << YAML::Key << "args" << YAML::Value << YAML::Flow << k.args;
    if (k.stdin_) {
      out << YAML::Key << "stdin" << YAML::Value << YAML::BeginMap;
      data(*k.stdin_);
      out << YAML::EndMap;
    }
  }
  void body(const step::Accept& k) {
    kv("on", k.on);
    kv("as", k.as);
  }
  void body(const step::Reply& k) {
    kv("on", k.on);
    data(k.data);
    kv("pieces", k.pieces);
    kv("delay", format_duration_range(k.delay));
    kv("from", k.from);
  }
  void body(const step::ExpectClient& k) {
    kv("exit", k.exit);
    if (k.stdout_) {
      out << YAML::Key << "stdout" << YAML::Value << YAML::BeginMap;
      match(*k.stdout_);
      out << YAML::EndMap;
    }
    kv("within", k.within);
  }
};

}  // namespace

std::string to_yaml(const Scenario& s) {
  YAML::Emitter out;
  Writer w{out};
  out << YAML::BeginMap;
  w.kv("id", s.id);
  w.kv("summary", s.summary);
  out << YAML::Key << "requirements" << YAML::Value << YAML::Flow << s.requirements;
  out << YAML::Key << "tags" << YAML::Value << YAML::Flow << s.tags;
  out << YAML::Key << "needs" << YAML::Value << YAML::Flow << s.needs;
  out << YAML::Key << "transport" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const Transport t : s.transport) out << name_of(kTransports, t);
  out << YAML::EndSeq << YAML::Key << "families" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const Family f : s.families) out << name_of(kFamilies, f);
  out << YAML::EndSeq;
  if (s.target) {
    out << YAML::Key << "target" << YAML::Value << YAML::BeginMap;
    w.kv("service", s.target->service);
    w.kv("shared", s.target->shared);
    w.kv("bind", s.target->bind == BindTo::wildcard ? "wildcard" : "loopback");
    out << YAML::EndMap;
  }
  w.kv("role", s.role == Role::client ? "client" : "server");
  w.kv("seed", s.seed);
  out << YAML::Key << "steps" << YAML::Value;
  w.steps(s.steps);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace sockspec::scenario
