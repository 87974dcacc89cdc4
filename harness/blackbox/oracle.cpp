// Oracles over the reference protocol code: the model session is fed what the live server is fed.
#include "harness/blackbox/oracle.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

#include "harness/blackbox/time_form.hpp"
#include "targets/proto/service.hpp"

namespace sockspec::blackbox {
namespace {

std::string show_byte(char c) {
  const auto b = static_cast<unsigned char>(c);
  if (b >= 0x20 && b < 0x7f) return fmt::format("0x{:02x} '{}'", b, c);
  return fmt::format("0x{:02x}", b);
}

// Compares `received` with `owed`, where owed's TIME replies (at `times`, offsets of the time
// text in `owed`, ascending) match any time of the RFC 3339 form; `received` may hold a longer
// form there ("+00:00"), so positions in it are tracked apart.
std::optional<std::string> compare(std::string_view owed, std::string_view received,
                                   const std::vector<std::size_t>& times) {
  std::size_t o = 0;  // next byte of owed
  std::size_t r = 0;  // next byte of received
  auto literal = [&](std::size_t until) -> std::optional<std::string> {
    const std::string_view want = owed.substr(o, until - o);
    const std::string_view got = received.substr(r, want.size());
    if (got == want) {  // the common case, by memcmp (std::mismatch goes byte by byte)
      r += want.size();
      o = until;
      return std::nullopt;
    }
    const auto [w, g] = std::mismatch(want.begin(), want.end(), got.begin(), got.end());
    if (g != got.end()) {
      const std::size_t at = r + static_cast<std::size_t>(g - got.begin());
      return fmt::format("byte {}: expected {}, got {}", at, show_byte(*w), show_byte(*g));
    }
    if (got.size() < want.size()) {
      return fmt::format("expected {} bytes, got {}", owed.size() + r - o, received.size());
    }
    r += want.size();
    o = until;
    return std::nullopt;
  };
  for (const std::size_t at : times) {
    if (auto d = literal(at)) return d;
    const std::size_t n = time_form_length(received.substr(r));
    if (n == 0) {
      if (received.size() - r < kTimeTextLength) {
        return fmt::format("expected {} bytes, got {}", owed.size() + r - o, received.size());
      }
      return fmt::format("byte {}: expected a UTC time YYYY-MM-DDThh:mm:ssZ (TIME), got \"{}\"", r,
                         received.substr(r, kTimeTextLength));
    }
    r += n;
    o += kTimeTextLength;
  }
  if (auto d = literal(owed.size())) return d;
  if (r < received.size()) {
    return fmt::format("expected {} bytes, got {}", owed.size() + r - o, received.size());
  }
  return std::nullopt;
}

class ModelStream final : public StreamOracle {
 public:
  ModelStream(std::unique_ptr<proto::Service> service, std::string peer, bool has_time)
      : service_(std::move(service)), has_time_(has_time) {
    proto::Context ctx;
    ctx.peer = std::move(peer);
    ctx.now = [] { return kTimeSentinel; };
    session_ = service_->open_session(std::move(ctx));
    proto::Output out;
    session_->on_open(out);
    opened_ = take(out);
  }

  Owed on_send(std::string_view input) override {
    Owed owed = std::exchange(opened_, Owed{});
    if (closes_) {
      owed.closes = true;
      return owed;
    }
    proto::Output out;
    session_->on_data(proto::as_bytes(input), out);
    append(owed, take(out));
    return owed;
  }

  Owed on_eof() override {
    Owed owed = std::exchange(opened_, Owed{});
    if (closes_) {
      owed.closes = true;
      return owed;
    }
    proto::Output out;
    session_->on_eof(out);
    append(owed, take(out));
    return owed;
  }

  std::optional<std::string> check(const Owed& owed, std::string_view received) const override {
    return compare(owed.bytes, received,
                   has_time_ ? time_replies(owed.bytes) : std::vector<std::size_t>{});
  }

 private:
  Owed take(const proto::Output& out) {
    closes_ = closes_ || out.close_after;
    return Owed{out.bytes, closes_};
  }
  static void append(Owed& to, Owed more) {
    to.bytes += more.bytes;
    to.closes = to.closes || more.closes;
  }

  std::unique_ptr<proto::Service> service_;
  std::unique_ptr<proto::StreamSession> session_;
  bool has_time_;
  bool closes_ = false;  // the model closed: nothing more is owed, ever
  Owed opened_;          // what on_open produced, owed with the first event
};

class ModelDatagrams final : public DatagramOracle {
 public:
  ModelDatagrams(std::unique_ptr<proto::Service> service, bool has_time)
      : service_(std::move(service)), has_time_(has_time) {}

  std::optional<std::string> expected(std::string_view request,
                                      const std::string& peer) const override {
    proto::Context ctx;
    ctx.peer = peer;
    ctx.now = [] { return kTimeSentinel; };
    return service_->datagrams().answer(proto::as_bytes(request), ctx);
  }

  std::optional<std::string> check(const std::string& expected,
                                   std::string_view received) const override {
    return compare(expected, received,
                   has_time_ ? time_replies(expected) : std::vector<std::size_t>{});
  }

 private:
  std::unique_ptr<proto::Service> service_;
  bool has_time_;
};

bool has_model(std::string_view service) {
  return service == "echo" || service == "discard" || service == "line";
}

}  // namespace

std::unique_ptr<StreamOracle> StreamOracle::make(std::string_view service, std::string peer) {
  if (!has_model(service)) return nullptr;
  return std::make_unique<ModelStream>(proto::make_service(service), std::move(peer),
                                       service == "line");
}

bool StreamOracle::uses_peer(std::string_view service) {
  return service == "line";
}

std::unique_ptr<DatagramOracle> DatagramOracle::make(std::string_view service) {
  if (!has_model(service)) return nullptr;
  return std::make_unique<ModelDatagrams>(proto::make_service(service), service == "line");
}

std::optional<std::string> describe_difference(std::string_view expected,
                                               std::string_view received) {
  return compare(expected, received, {});
}

}  // namespace sockspec::blackbox
