// The step kinds: one table with, for each alternative of StepKind, its YAML name and its reader
// (loader internals). Its executor is the engine's Executor::exec overload for its type and its
// writer Writer::body's: both are reached through std::visit, which does not compile while one
// is missing. The static_assert below fails while an alternative has no entry here, or two.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>
#include <type_traits>
#include <variant>

#include "harness/scenario/step_reader.hpp"

namespace sockspec::scenario {

struct StepKindEntry {
  std::string_view name;  // the YAML key: "expect-eof"
  std::size_t index;      // its alternative in StepKind
  // Reads a body of this kind (see read_body in step_reader.hpp); `what` is the name.
  StepKind (*read)(StepReader& s, std::string_view what, const YAML::Node& body);
};

namespace step_kinds_detail {

// The position of Kind among the alternatives of a variant; their count when it is none of them.
template <class Kind, class... Kinds>
constexpr std::size_t index_of(const std::variant<Kinds...>* /*unused*/) {
  constexpr bool same[] = {std::is_same_v<Kind, Kinds>...};
  for (std::size_t i = 0; i < sizeof...(Kinds); ++i) {
    if (same[i]) return i;
  }
  return sizeof...(Kinds);
}

template <class Kind>
StepKind read_kind(StepReader& s, std::string_view what, const YAML::Node& body) {
  Kind out;
  read_body(s, what, body, out);
  return out;
}

template <class Kind>
constexpr StepKindEntry entry(std::string_view name) {
  return {name, index_of<Kind>(static_cast<const StepKind*>(nullptr)), read_kind<Kind>};
}

}  // namespace step_kinds_detail

// In the order `unknown step` hints consider them.
inline constexpr StepKindEntry kStepKinds[] = {
    step_kinds_detail::entry<step::Connect>("connect"),
    step_kinds_detail::entry<step::Send>("send"),
    step_kinds_detail::entry<step::Expect>("expect"),
    step_kinds_detail::entry<step::ExpectEof>("expect-eof"),
    step_kinds_detail::entry<step::ExpectReset>("expect-reset"),
    step_kinds_detail::entry<step::ExpectSilence>("expect-silence"),
    step_kinds_detail::entry<step::Shutdown>("shutdown"),
    step_kinds_detail::entry<step::Abort>("abort"),
    step_kinds_detail::entry<step::Close>("close"),
    step_kinds_detail::entry<step::Bind>("bind"),
    step_kinds_detail::entry<step::SendTo>("send-to"),
    step_kinds_detail::entry<step::ExpectDatagram>("expect-datagram"),
    step_kinds_detail::entry<step::ExpectNoDatagram>("expect-no-datagram"),
    step_kinds_detail::entry<step::Exchange>("exchange"),
    step_kinds_detail::entry<step::Repeat>("repeat"),
    step_kinds_detail::entry<step::Parallel>("parallel"),
    step_kinds_detail::entry<step::StartInstance>("start-instance"),
    step_kinds_detail::entry<step::Stop>("stop"),
    step_kinds_detail::entry<step::Restart>("restart"),
    step_kinds_detail::entry<step::ExpectAlive>("expect-alive"),
    step_kinds_detail::entry<step::ExpectExit>("expect-exit"),
    step_kinds_detail::entry<step::ExpectEndpoint>("expect-endpoint"),
    step_kinds_detail::entry<step::ExpectStartFailure>("expect-start-failure"),
    step_kinds_detail::entry<step::Census>("census"),
    step_kinds_detail::entry<step::ExpectCensus>("expect-census"),
    step_kinds_detail::entry<step::Listen>("listen"),
    step_kinds_detail::entry<step::RunClient>("run-client"),
    step_kinds_detail::entry<step::Accept>("accept"),
    step_kinds_detail::entry<step::Reply>("reply"),
    step_kinds_detail::entry<step::ExpectClient>("expect-client"),
    step_kinds_detail::entry<step::Barrier>("barrier"),
};

// How many entries of `table` stand for alternative `index` (each name counted once).
constexpr std::size_t entries_for(std::span<const StepKindEntry> table, std::size_t index) {
  std::size_t n = 0;
  for (const StepKindEntry& e : table) n += e.index == index ? 1 : 0;
  return n;
}

// True when each alternative of StepKind has exactly one entry and no name is given twice.
constexpr bool one_entry_per_kind(std::span<const StepKindEntry> table) {
  if (table.size() != std::variant_size_v<StepKind>) return false;
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (entries_for(table, i) != 1) return false;
    for (std::size_t j = i + 1; j < table.size(); ++j) {
      if (table[i].name == table[j].name) return false;
    }
  }
  return true;
}
static_assert(one_entry_per_kind(kStepKinds),
              "every StepKind alternative needs exactly one entry in kStepKinds, named once");

// The entry named `name`, or nullptr.
[[nodiscard]] const StepKindEntry* find_step_kind(std::string_view name);

}  // namespace sockspec::scenario
