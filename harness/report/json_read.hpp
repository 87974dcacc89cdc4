// The JSON report read back (`sockspec report merge`): the document json.hpp writes, turned into
// the engine::RunResult it was written from.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "harness/engine/result.hpp"
#include "targets/net/result.hpp"

namespace sockspec::report {

// The run of a to_json() document, such that to_json(from_json(doc)) == doc. Counts are counted
// again from the cases; RunInfo::requirements is the document's "requirements"; transcript
// bytes are c_escape()d text unescaped. Error, one line naming what is wrong and where:
// "cases[3].verdict: unknown verdict "maybe"", "run.targets: expected an array",
// "not a sockspec JSON report (no "sockspec" key)", "layout version 7, this sockspec reads 1".
[[nodiscard]] net::Result<engine::RunResult> from_json(const nlohmann::json& doc);

// Reads and parses the file at `path`, then from_json(). Errors start with the path:
// "shard-1.json: No such file or directory (ENOENT)", "shard-1.json:3:14: invalid JSON: syntax
// error while parsing object key", "shard-1.json: cases[0].family: unknown family "ipv5"".
[[nodiscard]] net::Result<engine::RunResult> read_json_report(const std::string& path);

}  // namespace sockspec::report
