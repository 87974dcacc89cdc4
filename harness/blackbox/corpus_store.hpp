// A fuzz corpus folder on disk (`--corpus DIR`): inputs (message sequences) as files named by
// their content's hash, written atomically, read back bounded. The file format (README: fuzz):
//   - a file that does not start with the magic line is one message, its raw bytes (libFuzzer and
//     AFL corpora, hand-written files);
//   - otherwise the magic line "sockspec-messages 1\n", then per message its length in decimal
//     digits, '\n', that many bytes and a '\n' (the last one may be missing at the end).
// Names starting with '.' (the temporary files of a write in progress) are never read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "harness/blackbox/minimise.hpp"
#include "targets/net/result.hpp"

namespace sockspec::blackbox {

inline constexpr std::string_view kMessagesMagic = "sockspec-messages 1\n";
// Bounds of reading a folder: files taken per folder (sorted by name), messages per file.
inline constexpr std::size_t kMaxCorpusFiles = 10'000;
inline constexpr std::size_t kMaxFileMessages = 256;

// The file content of `messages`: raw bytes for one message that does not itself start with the
// magic line, else the magic line and length-prefixed messages.
[[nodiscard]] std::string encode_messages(const Messages& messages);

// The messages of a file's content, each cut to `max_len` bytes, empty ones dropped. Errors name
// the byte offset: "byte 21: expected a message length (digits, then a line end)", "byte 30:
// message 2 says 12 bytes, only 5 left", "byte 40: expected a line end after message 3",
// "more than 256 messages". An empty file is no messages.
[[nodiscard]] net::Result<Messages> decode_messages(std::string_view content, std::size_t max_len);

// The file name of `messages`: 16 hex digits of a 64-bit FNV-1a hash of encode_messages().
[[nodiscard]] std::string content_name(const Messages& messages);

// The inputs read from a folder: each file's messages (files that hold none are left out).
struct FolderRead {
  std::vector<Messages> inputs;
  std::vector<std::string> names;  // the files read, sorted (bad ones too, not those past the cap)
  std::vector<std::string> bad;    // one line per bad file: "DIR/x: byte 3: ..."
  std::size_t left = 0;            // files past max_files, not read
};

// Reads the regular files of `dir` not named in `skip` and not starting with '.', sorted by name,
// at most `max_files` of them (`left` says how many more there were), each message cut to
// `max_len` bytes. A bad file is listed in `bad`, not an error. Error: the folder cannot be listed.
[[nodiscard]] net::Result<FolderRead> read_corpus_folder(
    const std::string& dir, std::size_t max_len, const std::unordered_set<std::string>& skip = {},
    std::size_t max_files = kMaxCorpusFiles);

// Writes encode_messages(`messages`) to `dir`/content_name(messages) unless that file exists:
// through a temporary '.'-file in `dir` and a rename, so a reader never sees half a file and a
// killed run leaves no partial input. Returns the name. Error: "writing DIR/x: No space left...".
[[nodiscard]] net::Result<std::string> save_messages(const std::string& dir,
                                                     const Messages& messages);

}  // namespace sockspec::blackbox
