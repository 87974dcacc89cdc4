// make_service(): the factory from a service name to its TCP sessions and UDP answers.
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>

#include "targets/proto/chargen.hpp"
#include "targets/proto/daytime.hpp"
#include "targets/proto/discard.hpp"
#include "targets/proto/echo.hpp"
#include "targets/proto/line_datagram.hpp"
#include "targets/proto/line_session.hpp"
#include "targets/proto/service.hpp"

namespace sockspec::proto {
namespace {

// A Service made of a session type (built from the Context when it takes one) and a stateless
// datagram service shared by every caller.
template <class Session, class Datagrams>
class ServiceOf final : public Service {
 public:
  explicit ServiceOf(std::string_view name) : name_(name) {}

  [[nodiscard]] std::string_view name() const override { return name_; }

  [[nodiscard]] std::unique_ptr<StreamSession> open_session(Context ctx) const override {
    if constexpr (std::is_constructible_v<Session, Context>) {
      return std::make_unique<Session>(std::move(ctx));
    } else {
      (void)ctx;
      return std::make_unique<Session>();
    }
  }

  [[nodiscard]] const DatagramService& datagrams() const override { return datagrams_; }

 private:
  std::string_view name_;  // a string literal
  Datagrams datagrams_;
};

// `name` must outlive the service: callers pass string literals.
template <class Session, class Datagrams>
[[nodiscard]] std::unique_ptr<Service> make(std::string_view name) {
  return std::make_unique<ServiceOf<Session, Datagrams>>(name);
}

}  // namespace

std::unique_ptr<Service> make_service(std::string_view name) {
  if (name == "echo") return make<EchoSession, EchoDatagramService>("echo");
  if (name == "discard") return make<DiscardSession, DiscardDatagramService>("discard");
  if (name == "daytime") return make<DaytimeSession, DaytimeDatagramService>("daytime");
  if (name == "chargen") return make<ChargenSession, ChargenDatagramService>("chargen");
  if (name == "line") return make<LineSession, LineDatagramService>("line");
  return nullptr;
}

}  // namespace sockspec::proto
