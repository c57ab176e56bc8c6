// Counting qmail queues built as qmail lays them out.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "handlers/qmail/scan.hpp"
#include "qmail_queue.hpp"

namespace mwx::qmail {
namespace {

using namespace std::chrono_literals;
using test::QueueTree;

ScanClock generous_clock() { return {std::chrono::steady_clock::now() + 60s, std::time(nullptr)}; }

Sample scan(const QueueTree& tree) {
  auto sample = scan_queue(tree.queue().string(), generous_clock());
  EXPECT_TRUE(sample.ok()) << (sample ? "" : sample.error());
  return sample ? sample.value() : Sample{};
}

TEST(QmailScan, EmptyQueueIsZeroNotAbsent) {
  QueueTree tree;
  const Sample s = scan(tree);
  EXPECT_EQ(s.queue_messages, 0u);
  EXPECT_EQ(s.todo_messages, 0u);
  EXPECT_EQ(s.local_messages, 0u);
  EXPECT_EQ(s.remote_messages, 0u);
  EXPECT_EQ(s.bounce_messages, 0u);
  EXPECT_EQ(s.oldest_message_age, 0u);
  EXPECT_EQ(s.oldest_todo_age, 0u);
  EXPECT_EQ(s.split, 23u);
  EXPECT_TRUE(s.problems.empty());
}

TEST(QmailScan, CountsEachStageOfTheDefaultSplit) {
  QueueTree tree;
  for (long n = 1000; n < 1100; ++n) tree.queue_message(n);  // 100 queued
  for (long n = 1000; n < 1060; ++n) tree.preprocess(n, /*local=*/n % 3 == 0, /*remote=*/n % 2 == 0);
  tree.bounce(1001);
  tree.bounce(1003);
  const Sample s = scan(tree);
  EXPECT_EQ(s.queue_messages, 100u);
  EXPECT_EQ(s.todo_messages, 40u);
  EXPECT_EQ(s.local_messages, 20u);   // multiples of 3 in [1000, 1060)
  EXPECT_EQ(s.remote_messages, 30u);  // even numbers in [1000, 1060)
  EXPECT_EQ(s.bounce_messages, 2u);
  EXPECT_EQ(s.split, 23u);
}

TEST(QmailScan, SplitIsReadFromDiskNotAssumed) {
  QueueTree tree(/*split=*/7);
  for (long n = 1; n <= 50; ++n) tree.queue_message(n);
  const Sample s = scan(tree);
  EXPECT_EQ(s.split, 7u);
  EXPECT_EQ(s.queue_messages, 50u);
  EXPECT_EQ(s.todo_messages, 50u);
}

TEST(QmailScan, BigTodoSubdirectoriesAreCounted) {
  QueueTree tree(/*split=*/23, /*big_todo=*/true);
  for (long n = 1; n <= 70; ++n) tree.queue_message(n, /*age=*/n == 5 ? 900 : 0);
  const Sample s = scan(tree);
  EXPECT_EQ(s.todo_messages, 70u);
  EXPECT_EQ(s.queue_messages, 70u);
  ASSERT_TRUE(s.oldest_todo_age);
  EXPECT_GE(*s.oldest_todo_age, 900u);
  EXPECT_LT(*s.oldest_todo_age, 960u);
}

TEST(QmailScan, AgesAreThoseOfTheOldestFiles) {
  QueueTree tree;
  tree.queue_message(1, /*age=*/7200);
  tree.queue_message(2, /*age=*/60);
  tree.queue_message(3);
  tree.preprocess(1, false, true);  // the oldest leaves todo/
  const Sample s = scan(tree);
  ASSERT_TRUE(s.oldest_message_age && s.oldest_todo_age);
  EXPECT_GE(*s.oldest_message_age, 7200u);
  EXPECT_LT(*s.oldest_message_age, 7260u);
  EXPECT_GE(*s.oldest_todo_age, 60u);
  EXPECT_LT(*s.oldest_todo_age, 120u);
}

// qmail-qread's time, and queuelifetime's start, is when qmail-send
// preprocessed a message (its info/ file), not when it was queued.
TEST(QmailScan, PreprocessedAgeIsThatOfTheOldestInfoFile) {
  QueueTree tree;
  tree.queue_message(1, /*age=*/7200);  // waited an hour in todo/
  tree.preprocess(1, false, true, /*age=*/3600);
  tree.queue_message(2, /*age=*/60);
  const Sample s = scan(tree);
  ASSERT_TRUE(s.oldest_message_age && s.oldest_preprocessed_age);
  EXPECT_GE(*s.oldest_message_age, 7200u);
  EXPECT_GE(*s.oldest_preprocessed_age, 3600u);
  EXPECT_LT(*s.oldest_preprocessed_age, 3660u);
  EXPECT_EQ(scan(QueueTree()).oldest_preprocessed_age, 0u) << "nothing preprocessed: 0, as an empty mess/";
}

TEST(QmailScan, FilesFromTheFutureHaveAgeZero) {
  QueueTree tree;
  tree.queue_message(1, /*age=*/-3600);  // clock skew
  EXPECT_EQ(scan(tree).oldest_message_age, 0u);
}

TEST(QmailScan, MissingDirectoryIsAbsentAndNamedTheOthersServed) {
  QueueTree tree;
  tree.queue_message(1);
  std::filesystem::remove_all(tree.queue() / "bounce");
  const Sample s = scan(tree);
  EXPECT_FALSE(s.bounce_messages);
  EXPECT_EQ(s.queue_messages, 1u);
  EXPECT_EQ(s.todo_messages, 1u);
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0], "cannot read bounce in " + tree.queue().string() + ": No such file or directory");
}

// The directories qmails owns fail alike for a user in group qmail: one
// line names them all, so LastError (255 characters) holds every one.
TEST(QmailScan, SubdirectoriesFailingAlikeAreNamedInOneLine) {
  QueueTree tree;
  for (const char* dir : {"info", "local", "remote", "bounce"}) std::filesystem::remove_all(tree.queue() / dir);
  const Sample s = scan(tree);
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0],
            "cannot read info, local, remote, bounce in " + tree.queue().string() + ": No such file or directory");
}

TEST(QmailScan, NoQueueDirectoryFailsThePoll) {
  QueueTree tree;
  auto sample = scan_queue((tree.root() / "nonexistent" / "queue").string(), generous_clock());
  ASSERT_FALSE(sample.ok());
  EXPECT_NE(sample.error().find("nonexistent/queue: No such file or directory"), std::string::npos);
}

TEST(QmailScan, NothingReadableFailsThePoll) {
  QueueTree tree;
  for (const char* dir : {"mess", "todo", "info", "local", "remote", "bounce"}) {
    std::filesystem::remove_all(tree.queue() / dir);
  }
  auto sample = scan_queue(tree.queue().string(), generous_clock());
  ASSERT_FALSE(sample.ok());
  EXPECT_EQ(sample.error(), "cannot read mess, todo, info, local, remote, bounce in " + tree.queue().string() +
                                ": No such file or directory");
}

TEST(QmailScan, AHundredThousandMessagesAreCountedExactly) {
  QueueTree tree;
  constexpr long kMessages = 100'000;
  for (long n = 1; n <= kMessages; ++n) {
    QueueTree::touch(tree.queue() / "mess" / std::to_string(n % 23) / std::to_string(n));
  }
  const Sample s = scan(tree);
  EXPECT_EQ(s.queue_messages, static_cast<std::uint64_t>(kMessages));
}

TEST(QmailScan, PassedDeadlineFailsInsteadOfServingAPartialCount) {
  QueueTree tree;
  for (long n = 1; n <= 1000; ++n) tree.queue_message(n);  // more entries than one clock check
  auto sample = scan_queue(tree.queue().string(), {std::chrono::steady_clock::now() - 1s, std::time(nullptr)});
  ASSERT_FALSE(sample.ok());
  EXPECT_NE(sample.error().find("did not finish within the timeout"), std::string::npos);
}

// qmail moves files all the time: files vanishing between readdir and
// stat give a count between the before and after sizes, never an error.
TEST(QmailScan, FilesVanishingDuringTheScanAreNotAnError) {
  QueueTree tree;
  constexpr long kMessages = 10'000;
  for (long n = 1; n <= kMessages; ++n) {
    QueueTree::touch(tree.queue() / "mess" / std::to_string(n % 23) / std::to_string(n));
  }
  std::atomic<bool> go{false};
  std::thread remover([&] {
    while (!go) std::this_thread::yield();
    for (long n = 1; n <= kMessages / 2; ++n) {
      std::filesystem::remove(tree.queue() / "mess" / std::to_string(n % 23) / std::to_string(n));
    }
  });
  go = true;
  const Sample s = scan(tree);
  remover.join();
  EXPECT_TRUE(s.problems.empty());
  ASSERT_TRUE(s.queue_messages && s.oldest_message_age);
  EXPECT_GE(*s.queue_messages, static_cast<std::uint64_t>(kMessages / 2));
  EXPECT_LE(*s.queue_messages, static_cast<std::uint64_t>(kMessages));
}

}  // namespace
}  // namespace mwx::qmail

namespace mwx::qmail {
namespace {

Sample scan_with(const QueueTree& tree, ScanMemory& memory) {
  auto sample = scan_queue(tree.queue().string(), generous_clock(), memory);
  EXPECT_TRUE(sample.ok()) << (sample ? "" : sample.error());
  return sample ? sample.value() : Sample{};
}

TEST(QmailScanMemory, ASecondScanGivesTheSameAnswer) {
  QueueTree tree;
  for (long n = 1; n <= 200; ++n) tree.queue_message(n, /*age=*/n == 77 ? 5000 : 10);
  ScanMemory memory;
  const Sample first = scan_with(tree, memory);
  const Sample second = scan_with(tree, memory);
  EXPECT_EQ(second.queue_messages, first.queue_messages);
  EXPECT_EQ(second.todo_messages, 200u);
  ASSERT_TRUE(second.oldest_message_age && second.oldest_todo_age);
  EXPECT_GE(*second.oldest_message_age, 5000u);
  EXPECT_GE(*second.oldest_todo_age, 5000u);
}

// A delivered message's inode is reused by a new message: same name, new
// mtime. The remembered (older) mtime must not be reported.
TEST(QmailScanMemory, AReusedNameIsCheckedBeforeItIsReportedAsOldest) {
  QueueTree tree;
  tree.queue_message(1, /*age=*/7200);
  tree.queue_message(2, /*age=*/300);
  ScanMemory memory;
  ASSERT_GE(scan_with(tree, memory).oldest_message_age.value_or(0), 7200u);
  std::filesystem::remove(tree.queue() / "mess" / "1" / "1");
  QueueTree::touch(tree.queue() / "mess" / "1" / "1");  // the new message, now
  const Sample s = scan_with(tree, memory);
  ASSERT_TRUE(s.oldest_message_age);
  EXPECT_GE(*s.oldest_message_age, 300u);
  EXPECT_LT(*s.oldest_message_age, 360u);
}

TEST(QmailScanMemory, TheOldestLeavingHandsOverToTheNext) {
  QueueTree tree;
  tree.queue_message(1, /*age=*/7200);
  tree.queue_message(2, /*age=*/300);
  ScanMemory memory;
  scan_with(tree, memory);
  std::filesystem::remove(tree.queue() / "mess" / "1" / "1");
  const Sample s = scan_with(tree, memory);
  EXPECT_EQ(s.queue_messages, 1u);
  EXPECT_GE(s.oldest_message_age.value_or(0), 300u);
  EXPECT_LT(s.oldest_message_age.value_or(0), 360u);
}

TEST(QmailScanMemory, OnlyNewFilesAndTheOldestAreStatted) {
  QueueTree tree;
  for (long n = 1; n <= 1000; ++n) QueueTree::touch(tree.queue() / "todo" / std::to_string(n), 100 + n % 50);
  const int fd = ::open((tree.queue() / "todo").c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  const auto walk = [&](OldestFile& oldest) {
    for (const auto& entry : std::filesystem::directory_iterator(tree.queue() / "todo")) {
      EXPECT_EQ(oldest.see(fd, entry.path().filename().c_str(), -1, std::nullopt), OldestFile::Seen::ok);
    }
    return oldest.find(fd, {});
  };
  OldestFile first(nullptr, false);
  const auto full = walk(first);
  EXPECT_EQ(first.stat_calls(), 1000u);
  const AgeMemory memory = std::move(first).memory(std::time(nullptr));

  for (long n = 1001; n <= 1010; ++n) QueueTree::touch(tree.queue() / "todo" / std::to_string(n));
  OldestFile second(&memory, false);
  const auto incremental = walk(second);
  EXPECT_EQ(second.stat_calls(), 11u);  // the 10 new files, and the remembered oldest
  EXPECT_TRUE(full.ok && incremental.ok);
  EXPECT_EQ(incremental.mtime, full.mtime);
  ::close(fd);
}

}  // namespace
}  // namespace mwx::qmail
