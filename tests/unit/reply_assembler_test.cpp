// Every fixture, fed in every split into two pieces (and three for short
// ones), assembles to the same reply as in one piece (mcrouter's test).
#include <gtest/gtest.h>

#include "agent/poll/reply_assembler.hpp"
#include "fixtures.hpp"
#include "handlers/gearman/parse.hpp"
#include "handlers/memcached/parse.hpp"

namespace mwx {
namespace {

using memcached::is_last_reply_line;
using State = ReplyAssembler::State;

struct Fixture {
  const char* name;
  bool (*is_last_line)(std::string_view);
};

const Fixture kFixtures[] = {
    {"memcached/1.6.18/stats.txt", &is_last_reply_line},
    {"memcached/1.6.18/stats_settings.txt", &is_last_reply_line},
    {"memcached/1.6.18/stats_items.txt", &is_last_reply_line},
    {"memcached/1.6.18/stats_slabs.txt", &is_last_reply_line},
    {"memcached/1.6.18-busy/stats.txt", &is_last_reply_line},
    {"memcached/1.6.18-busy/stats_items.txt", &is_last_reply_line},
    {"flare/1.3.4/flared_stats.txt", &is_last_reply_line},
    {"flare/1.3.4/flared_unknown_command.txt", &is_last_reply_line},
    {"gearman/1.1.20/status.txt", &gearman::is_last_list_line},
    {"gearman/1.1.20/workers.txt", &gearman::is_last_list_line},
    {"gearman/1.1.20/version.txt", &gearman::is_single_line},
    {"gearman/1.1.20-empty/status.txt", &gearman::is_last_list_line},
};

std::pair<State, std::string> assemble(const std::vector<std::string_view>& pieces,
                                       bool (*is_last_line)(std::string_view) = &is_last_reply_line) {
  ReplyAssembler assembler(is_last_line, 1 << 20);
  State state = State::Incomplete;
  for (auto piece : pieces) state = assembler.feed(piece);
  return {state, assembler.take()};
}

TEST(ReplyAssembler, EverySplitIntoTwoGivesTheSameReply) {
  for (const auto& [name, is_last_line] : kFixtures) {
    const std::string reply = test::read_fixture(name);
    for (std::size_t cut = 0; cut <= reply.size(); ++cut) {
      const std::string_view all(reply);
      const auto [state, assembled] = assemble({all.substr(0, cut), all.substr(cut)}, is_last_line);
      ASSERT_EQ(state, State::Complete) << name << " cut at " << cut;
      ASSERT_EQ(assembled, reply) << name << " cut at " << cut;
    }
  }
}

TEST(ReplyAssembler, EverySplitIntoThreeOfShortReplies) {
  for (const auto& [name, is_last_line] : kFixtures) {
    const std::string reply = test::read_fixture(name);
    if (reply.size() > 1500) continue;
    const std::string_view all(reply);
    for (std::size_t a = 0; a <= reply.size(); ++a) {
      for (std::size_t b = a; b <= reply.size(); ++b) {
        const auto [state, assembled] =
            assemble({all.substr(0, a), all.substr(a, b - a), all.substr(b)}, is_last_line);
        ASSERT_EQ(state, State::Complete) << name << " cut at " << a << "," << b;
        ASSERT_EQ(assembled, reply);
      }
    }
  }
}

TEST(ReplyAssembler, ByteByByte) {
  const std::string reply = test::read_fixture("memcached/1.6.18-busy/stats_slabs.txt");
  ReplyAssembler assembler(&is_last_reply_line, 1 << 20);
  for (std::size_t i = 0; i + 1 < reply.size(); ++i) ASSERT_EQ(assembler.feed(reply.substr(i, 1)), State::Incomplete);
  EXPECT_EQ(assembler.feed(reply.substr(reply.size() - 1)), State::Complete);
}

TEST(ReplyAssembler, EndInsideAValueIsNotTheEnd) {
  EXPECT_EQ(assemble({"STAT version END\r\n"}).first, State::Incomplete);
  EXPECT_EQ(assemble({"STAT x 1\r\nENDING\r\n"}).first, State::Incomplete);
}

TEST(ReplyAssembler, BytesAfterTheLastLineAreKeptApart) {
  ReplyAssembler assembler(&is_last_reply_line, 1000);
  EXPECT_EQ(assembler.feed("STAT a 1\r\nEN"), State::Incomplete);
  EXPECT_EQ(assembler.feed("D\r\nSTAT b"), State::Complete);
  EXPECT_EQ(assembler.following(), "STAT b");
  EXPECT_EQ(assembler.take(), "STAT a 1\r\nEND\r\n");
}

TEST(ReplyAssembler, StopsGrowingPastItsBound) {
  ReplyAssembler assembler(&is_last_reply_line, 1000);
  const std::string line = "STAT filler " + std::string(100, 'x') + "\r\n";
  State state = State::Incomplete;
  for (int i = 0; i < 100 && state == State::Incomplete; ++i) state = assembler.feed(line);
  EXPECT_EQ(state, State::TooLarge);
  EXPECT_LT(assembler.size(), 1000u + line.size() + 1);
  EXPECT_EQ(assembler.feed("END\r\n"), State::TooLarge);
}

}  // namespace
}  // namespace mwx
