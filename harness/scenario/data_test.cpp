// Tests of data decoding (escapes, hex, base64), the pattern generator and templating.
#include "harness/scenario/data.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <bitset>
#include <filesystem>
#include <fstream>
#include <string>

#include "targets/testing/temp_dir.hpp"

namespace sockspec::scenario {
namespace {

using namespace std::string_literals;

TEST(Escapes, DecodeEveryForm) {
  const std::pair<const char*, std::string> cases[] = {
      {"a\\nb", "a\nb"},  {"\\r\\n", "\r\n"}, {"\\t", "\t"},
      {"x\\0y", "x\0y"s}, {"\\\\", "\\"},     {"\\x00\\xff\\x7F", "\0\xff\x7f"s},
      {"plain", "plain"}, {"", ""},
  };
  for (const auto& [text, bytes] : cases) {
    SCOPED_TRACE(text);
    const auto d = decode_escapes(text);
    ASSERT_TRUE(d.ok()) << d.error().message;
    EXPECT_EQ(*d, bytes);
    EXPECT_EQ(*decode_escapes(encode_escapes(bytes)), bytes);
  }
}

TEST(Escapes, RejectWithExactMessages) {
  const std::pair<const char*, const char*> cases[] = {
      {"\\q", "bad escape '\\q': expected one of \\n \\r \\t \\0 \\\\ \\xHH"},
      {"ab\\", "bad escape: text ends with a lone '\\'"},
      {"\\x4", "bad escape '\\x': expected two hex digits after it"},
      {"\\xg0", "bad escape '\\x': expected two hex digits after it"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    const auto d = decode_escapes(text);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().message, message);
  }
}

TEST(Hex, DecodesWithSpacesAndEitherCase) {
  EXPECT_EQ(*decode_hex("00 ff 7F"), "\0\xff\x7f"s);
  EXPECT_EQ(*decode_hex("DEADbeef"), "\xde\xad\xbe\xef"s);
  EXPECT_EQ(*decode_hex(""), "");
  EXPECT_EQ(decode_hex("abc").error().message, "bad hex: odd number of digits");
  EXPECT_EQ(decode_hex("zz").error().message, "bad hex: 'z' is not a hex digit");
  EXPECT_EQ(decode_hex("a b").error().message, "bad hex: a space splits a digit pair");
  EXPECT_EQ(encode_hex("\x01\xab"s), "01 ab");
}

TEST(Base64, DecodesRfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},
      {"Zg==", "f"},
      {"Zm8=", "fo"},
      {"Zm9v", "foo"},
      {"Zm9vYg==", "foob"},
      {"Zm9vYmE=", "fooba"},
      {"Zm9vYmFy", "foobar"},
      {"Zm9v\nYmFy", "foobar"},
  };
  for (const auto& [text, bytes] : cases) {
    SCOPED_TRACE(text);
    const auto d = decode_base64(text);
    ASSERT_TRUE(d.ok()) << d.error().message;
    EXPECT_EQ(*d, bytes);
    if (std::string(text).find('\n') == std::string::npos) {
      EXPECT_EQ(encode_base64(bytes), text);
    }
  }
  EXPECT_EQ(decode_base64("Zm9").error().message, "bad base64: length is not a multiple of 4");
  EXPECT_EQ(decode_base64("Zm9*").error().message, "bad base64: '*' is not in the alphabet");
  EXPECT_EQ(decode_base64("Z===").error().message, "bad base64: '=' is not in the alphabet");
  EXPECT_EQ(decode_base64("Zg==Zg==").error().message, "bad base64: '=' is not in the alphabet");
}

TEST(Pattern, IsDeterministicSizedAndCoversAllBytes) {
  const std::string a = generate_pattern({1 << 20, 7});
  EXPECT_EQ(a.size(), 1U << 20);
  EXPECT_EQ(a, generate_pattern({1 << 20, 7}));
  EXPECT_NE(a, generate_pattern({1 << 20, 8}));
  // A shorter pattern is a prefix of a longer one with the same seed.
  EXPECT_EQ(generate_pattern({1000, 7}), a.substr(0, 1000));
  for (const std::uint64_t seed : {0ULL, 1ULL, 7ULL, 0xffffffffffffffffULL}) {
    SCOPED_TRACE(seed);
    const std::string p = generate_pattern({256, seed});
    std::bitset<256> seen;
    for (const char c : p) seen.set(static_cast<unsigned char>(c));
    EXPECT_TRUE(seen.all());
  }
  EXPECT_EQ(generate_pattern({0, 7}), "");
  EXPECT_EQ(generate_pattern({3, 7}).size(), 3U);
}

TEST(ClientSeed, DistinctPerClientAndStable) {
  EXPECT_EQ(client_seed(7, 3), client_seed(7, 3));
  EXPECT_NE(client_seed(7, 0), client_seed(7, 1));
  EXPECT_NE(client_seed(7, 0), client_seed(8, 0));
}

TEST(Template, NumbersTakeAWidthZeroPadded) {
  const TemplateVars vars{{"client", "7"}, {"seq", "123"}, {"peer", "1.2.3.4:5"}};
  EXPECT_EQ(*render("c{client:3}.{seq:3}", vars), "c007.123");
  EXPECT_EQ(render("{seq:2}", vars).error().message,
            "placeholder '{seq:2}': 123 has more than 2 digits");
  EXPECT_TRUE(check_template("{client:12}"));
  EXPECT_EQ(check_template("{peer:3}").error().message,
            "placeholder '{peer:3}': only {client}, {seq} and {seed} take a width");
  EXPECT_EQ(*render("{client:}", vars), "{client:}");  // not a placeholder: literal
}

TEST(Template, ChecksNamesAndRenders) {
  EXPECT_TRUE(check_template("client {client} seq {seq} at {target.host}:{target.port}").ok());
  EXPECT_TRUE(check_template("{\"json\": 1} {{client} { x}").ok());
  EXPECT_EQ(
      check_template("hello {clinet}").error().message,
      "unknown placeholder '{clinet}': expected one of {client}, {seq}, {seed}, {peer}, "
      "{target.host}, {target.port}, {target.addr}, {listen.host}, {listen.port}, {listen.addr}");
  EXPECT_TRUE(has_placeholders("a{client}"));
  EXPECT_FALSE(has_placeholders("a{{client}"));
  const TemplateVars vars = {{"client", "3"}, {"seq", "12"}};
  EXPECT_EQ(*render("c{client}-{seq} {{client}", vars), "c3-12 {client}");
  EXPECT_EQ(render("{peer}", vars).error().message, "placeholder '{peer}' has no value here");
}

TEST(Materialise, RendersTextAndGeneratesPatterns) {
  DataSpec text{DataKind::text, "id={client}\n", {}, {}};
  EXPECT_EQ(*materialise(text, {{"client", "5"}}), "id=5\n");
  DataSpec pattern{DataKind::pattern, {}, {300, 9}, {}};
  EXPECT_EQ(*materialise(pattern, {}), generate_pattern({300, 9}));
  DataSpec hex{DataKind::hex, "{client}", {}, {}};  // decoded bytes are not templates
  EXPECT_EQ(*materialise(hex, {}), "{client}");
}

TEST(ReadFileBytes, ReadsARegularFileWithinTheLimit) {
  const sockspec::testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string file = dir.path() + "/a.bin";
  std::ofstream(file, std::ios::binary) << std::string(100, 'x');
  EXPECT_EQ(read_file_bytes(file, 100).value(), std::string(100, 'x'));
  const auto large = read_file_bytes(file, 99);
  ASSERT_FALSE(large.ok());
  EXPECT_EQ(large.error().message, "'" + file + "' is larger than 99 bytes");
}

TEST(ReadFileBytes, RefusesAFifoAtOnceInsteadOfWaitingForAWriter) {
  const sockspec::testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string fifo = dir.path() + "/pipe.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto r = read_file_bytes(fifo, 100);  // before the fix: blocked in open() forever
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "cannot read '" + fifo + "': not a regular file (a FIFO)");
}

TEST(ReadFileBytes, RefusesDevicesAndFolders) {
  const auto zero = read_file_bytes("/dev/zero", 1U << 20);  // before: read to the limit
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().message,
            "cannot read '/dev/zero': not a regular file (a device or socket)");
  const sockspec::testing::TempDir dir;
  const auto folder = read_file_bytes(dir.path(), 100);
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().message,
            "cannot read '" + dir.path() + "': not a regular file (a folder)");
}

TEST(ReadFileBytes, NamesThePathOnError) {
  const auto r = read_file_bytes("/nonexistent/x.bin", 100);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "cannot read '/nonexistent/x.bin': No such file or directory (ENOENT)");
}

}  // namespace
}  // namespace sockspec::scenario
