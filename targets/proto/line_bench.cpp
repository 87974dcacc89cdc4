// Benchmarks of the `line` service's TCP path: parse and answer requests fed in 4 KiB chunks.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "targets/proto/line_datagram.hpp"
#include "targets/proto/line_request.hpp"
#include "targets/proto/line_session.hpp"

namespace sockspec::proto {
namespace {

constexpr std::size_t kChunk = 4096;

Context bench_context() {
  Context ctx;
  ctx.peer = "127.0.0.1:54321";
  return ctx;
}

// Feeds `input` to one session in kChunk-byte chunks per iteration; counts `requests` items.
void feed_in_chunks(benchmark::State& state, const std::string& input, std::size_t requests) {
  Output out;
  out.bytes.reserve(input.size() * 2);
  for (auto _ : state) {
    LineSession session(bench_context());
    out.bytes.clear();
    for (std::size_t at = 0; at < input.size(); at += kChunk) {
      const std::size_t n = std::min(kChunk, input.size() - at);
      session.on_data(as_bytes(std::string_view(input).substr(at, n)), out);
    }
    benchmark::DoNotOptimize(out.bytes.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(requests));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(input.size()));
}

constexpr std::size_t kShortCount = 1000;

// 1000 short pipelined requests of mixed kinds.
std::string short_requests() {
  constexpr std::string_view kRequests[] = {"PING\n",   "ECHO hello\n", "LEN abcdef\r\n",
                                            "WHOAMI\n", "ping\r\n",     "NOPE\n"};
  std::string input;
  for (std::size_t i = 0; i < kShortCount; ++i) input += kRequests[i % std::size(kRequests)];
  return input;
}

void BM_LineShortPipelined(benchmark::State& state) {
  feed_in_chunks(state, short_requests(), kShortCount);
}
BENCHMARK(BM_LineShortPipelined);

// The floor of BM_LineShortPipelined: the same chunks split at each LF and every line answered
// with itself (an echo of lines: no parsing, no state beyond the partial line).
void BM_FloorEchoLines(benchmark::State& state) {
  const std::string input = short_requests();
  std::string out;
  out.reserve(input.size() * 2);
  std::string partial;
  for (auto _ : state) {
    out.clear();
    for (std::size_t at = 0; at < input.size(); at += kChunk) {
      std::string_view chunk = std::string_view(input).substr(at, kChunk);
      for (std::size_t end = chunk.find('\n'); end != std::string_view::npos;
           end = chunk.find('\n')) {
        out.append(partial).append(chunk.substr(0, end + 1));
        partial.clear();
        chunk.remove_prefix(end + 1);
      }
      partial.append(chunk);
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kShortCount));
}
BENCHMARK(BM_FloorEchoLines);

// 100 lines of 4 KiB each ("ECHO " + 4090 bytes + LF), so lines straddle chunk boundaries.
void BM_LineLongEcho(benchmark::State& state) {
  const std::string line = "ECHO " + std::string(4090, 'x') + "\n";
  std::string input;
  constexpr std::size_t kCount = 100;
  for (std::size_t i = 0; i < kCount; ++i) input += line;
  feed_in_chunks(state, input, kCount);
}
BENCHMARK(BM_LineLongEcho);

// The parser alone, on one short line.
void BM_ParseRequest(benchmark::State& state) {
  const std::string line = "ECHO hello world";
  for (auto _ : state) {
    ParsedRequest parsed = parse_request(line);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseRequest);

// One UDP request per iteration.
void BM_LineDatagram(benchmark::State& state) {
  const LineDatagramService service;
  const Context ctx = bench_context();
  const std::string datagram = "ECHO hello\n";
  for (auto _ : state) {
    auto reply = service.answer(as_bytes(datagram), ctx);
    benchmark::DoNotOptimize(reply);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LineDatagram);

}  // namespace
}  // namespace sockspec::proto

BENCHMARK_MAIN();
