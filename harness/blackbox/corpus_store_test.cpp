// The corpus folder: its file format (raw single messages, the multi-message form, bad files),
// atomic content-named writes, bounded reads, the writer thread, and CorpusSync's save and
// read-back.
#include "harness/blackbox/corpus_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "harness/blackbox/corpus_sync.hpp"
#include "harness/blackbox/corpus_writer.hpp"
#include "targets/testing/temp_dir.hpp"

namespace sockspec::blackbox {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

void write(const std::string& path, std::string_view content) {
  std::ofstream(path, std::ios::binary) << content;
}

std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) out.push_back(entry.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(CorpusFormat, OneMessageIsItsRawBytes) {
  const Messages one{std::string("ab\0\xff\n", 5)};
  EXPECT_EQ(encode_messages(one), one[0]);
  auto back = decode_messages(encode_messages(one), 4096);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, one);
  // Any file without the magic line is one message: a libFuzzer or AFL corpus works as it is.
  auto any = decode_messages("hello sockspec-messages 1\n", 4096);
  ASSERT_TRUE(any);
  EXPECT_THAT(*any, ElementsAre("hello sockspec-messages 1\n"));
  auto empty = decode_messages("", 4096);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(CorpusFormat, SeveralMessagesRoundTripAndReadAsWrittenByHand) {
  const Messages three{"USER a\r\n", std::string("\0\n", 2), std::string(300, 'x')};
  const std::string text = encode_messages(three);
  EXPECT_THAT(text, StartsWith("sockspec-messages 1\n8\nUSER a\r\n\n2\n"));
  auto back = decode_messages(text, 4096);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, three);
  // A message that itself starts with the magic line is written in the multi-message form.
  const Messages tricky{"sockspec-messages 1\n5\nhello\n"};
  EXPECT_NE(encode_messages(tricky), tricky[0]);
  EXPECT_EQ(*decode_messages(encode_messages(tricky), 4096), tricky);
  // By hand: the last line end may be missing; messages are cut to max_len, empty ones dropped.
  auto hand = decode_messages("sockspec-messages 1\n5\nHELLO\n0\n\n3\nabc", 2);
  ASSERT_TRUE(hand) << hand.error().message;
  EXPECT_THAT(*hand, ElementsAre("HE", "ab"));
}

TEST(CorpusFormat, BadFilesSayWhereAndWhat) {
  const std::pair<std::string, std::string> cases[] = {
      {"sockspec-messages 1\nfive\nhello\n",
       "byte 20: expected a message length (digits, then a line end)"},
      {"sockspec-messages 1\n5", "byte 20: expected a message length"},
      {"sockspec-messages 1\n12\nhello\n", "byte 20: message 1 says 12 bytes, only 6 left"},
      {"sockspec-messages 1\n2\nab\n3\nabcd\n", "byte 30: expected a line end after message 2"},
  };
  for (const auto& [content, message] : cases) {
    SCOPED_TRACE(content);
    auto r = decode_messages(content, 4096);
    ASSERT_FALSE(r);
    EXPECT_THAT(r.error().message, HasSubstr(message));
  }
  std::string many(kMessagesMagic);
  for (std::size_t i = 0; i <= kMaxFileMessages; ++i) many += "1\na\n";
  auto r = decode_messages(many, 4096);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "more than 256 messages");
}

TEST(CorpusFolder, SavesByContentOnceAndAtomically) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const Messages one{"hello"};
  const Messages two{"a", "b"};
  auto first = save_messages(dir.path(), one);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, content_name(one));
  EXPECT_EQ(first->size(), 16U);
  EXPECT_EQ(*save_messages(dir.path(), one), *first);  // the same content: the same file
  auto second = save_messages(dir.path(), two);
  ASSERT_TRUE(second);
  EXPECT_NE(*second, *first);
  std::vector<std::string> expected{*first, *second};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(names_in(dir.path()), expected);  // no temporary file left

  auto read = read_corpus_folder(dir.path(), 4096);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->names, expected);
  EXPECT_TRUE(read->bad.empty());
  EXPECT_EQ(read->inputs.size(), 2U);
  EXPECT_THAT(read->inputs, ::testing::UnorderedElementsAre(one, two));
}

TEST(CorpusFolder, ReadingIsBoundedAndListsBadFiles) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  write(dir.file("a"), "first");
  write(dir.file("b"), "sockspec-messages 1\n9\nshort\n");
  write(dir.file("c"), std::string(100, 'c'));
  write(dir.file(".in-progress.tmp"), "never read");
  write(dir.file("d"), "fourth");
  auto read = read_corpus_folder(dir.path(), 10, {"a"}, 2);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_THAT(read->names, ElementsAre("b", "c"));  // "a" skipped, "d" past the cap
  EXPECT_EQ(read->left, 1U);
  ASSERT_EQ(read->bad.size(), 1U);
  EXPECT_EQ(read->bad[0], dir.file("b") + ": byte 20: message 1 says 9 bytes, only 6 left");
  ASSERT_EQ(read->inputs.size(), 1U);
  EXPECT_EQ(read->inputs[0], Messages{std::string(10, 'c')});  // cut to max_len

  auto missing = read_corpus_folder(dir.file("nope"), 10);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, dir.file("nope") + ": no such folder");
}

TEST(CorpusSync, SavesKeptInputsAndReadsBackOnlyOthersFilesOnce) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  write(dir.file("seed"), "read at start");
  const auto t0 = CorpusSync::Clock::now();
  CorpusSync mine({dir.path(), {"seed"}, 1000ms}, 4096, t0);
  CorpusSync theirs({dir.path(), {"seed"}, 1000ms}, 4096, t0);
  ASSERT_TRUE(mine.kept({"mine"}));
  ASSERT_TRUE(theirs.kept({"x", "y"}));
  ASSERT_TRUE(mine.finish());
  ASSERT_TRUE(theirs.finish());
  EXPECT_EQ(names_in(dir.path()).size(), 3U);

  ASSERT_TRUE(mine.poll(t0 + 500ms, nullptr));  // too early: nothing read
  EXPECT_EQ(mine.next(), std::nullopt);
  ASSERT_TRUE(mine.poll(t0 + 1000ms, nullptr));
  EXPECT_EQ(mine.next(), (Messages{"x", "y"}));  // not its own, not the seed
  EXPECT_EQ(mine.next(), std::nullopt);
  EXPECT_EQ(mine.imported(), 1U);
  ASSERT_TRUE(mine.poll(t0 + 3000ms, nullptr));  // never the same file twice
  EXPECT_EQ(mine.next(), std::nullopt);

  write(dir.file("bad"), "sockspec-messages 1\nx\n");
  char* text = nullptr;
  std::size_t size = 0;
  std::FILE* log = ::open_memstream(&text, &size);
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(mine.poll(t0 + 5000ms, log));
  std::fclose(log);
  const std::string warnings(text, size);
  std::free(text);
  EXPECT_EQ(warnings, "fuzz: warning: --corpus " + dir.file("bad") +
                          ": byte 20: expected a message length (digits, then a line end) "
                          "(skipped)\n");
  EXPECT_EQ(mine.next(), std::nullopt);

  CorpusSync none({}, 4096, t0);  // no folder: nothing saved, nothing read
  ASSERT_TRUE(none.kept({"z"}));
  ASSERT_TRUE(none.finish());
  EXPECT_EQ(names_in(dir.path()).size(), 4U);
  EXPECT_EQ(joined({"ab", "c"}), "abc");
}

TEST(CorpusSync, AFullFolderTakesNoMoreAndSaysSoOnce) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const auto t0 = CorpusSync::Clock::now();
  CorpusSync sync({dir.path(), {}, 10ms, 2}, 4096, t0);
  for (const char* input : {"one", "two", "three"}) ASSERT_TRUE(sync.kept({input}));
  ASSERT_TRUE(sync.finish());
  EXPECT_EQ(names_in(dir.path()).size(), 2U);
  char* text = nullptr;
  std::size_t size = 0;
  std::FILE* log = ::open_memstream(&text, &size);
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(sync.poll(t0 + 10ms, log));
  ASSERT_TRUE(sync.poll(t0 + 20ms, log));
  std::fclose(log);
  const std::string warnings(text, size);
  std::free(text);
  EXPECT_EQ(warnings,
            "fuzz: warning: --corpus " + dir.path() + " holds 2 files: new inputs are not saved\n");
}

TEST(CorpusWriter, WritesEverythingQueuedAndReportsTheFirstError) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  {
    CorpusWriter writer(dir.path());
    for (int i = 0; i < 2000; ++i) ASSERT_TRUE(writer.save({std::to_string(i)}));
  }  // the destructor writes what is still queued
  EXPECT_EQ(names_in(dir.path()).size(), 2000U);

  CorpusWriter lost(dir.file("gone"));
  ASSERT_TRUE(lost.save({"a"}));  // queued: its error comes later
  const net::Status flushed = lost.flush();
  ASSERT_FALSE(flushed);
  EXPECT_THAT(flushed.error().message, StartsWith("writing " + dir.file("gone") + "/"));
  EXPECT_FALSE(lost.save({"b"}));
}

}  // namespace
}  // namespace sockspec::blackbox
