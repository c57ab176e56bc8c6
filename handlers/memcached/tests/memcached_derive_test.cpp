#include <gtest/gtest.h>

#include "handlers/memcached/collector.hpp"
#include "handlers/memcached/derive.hpp"

namespace mwx::memcached {
namespace {

GeneralStats stats(std::uint64_t pid, std::uint64_t uptime, std::uint64_t hits, std::uint64_t misses) {
  GeneralStats s;
  s.set(Stat::pid, pid);
  s.set(Stat::uptime, uptime);
  s.set(Stat::get_hits, hits);
  s.set(Stat::get_misses, misses);
  s.set(Stat::curr_connections, 10);
  return s;
}

SlabClass slab(std::uint32_t id, std::uint64_t items, std::uint64_t age) {
  SlabClass s;
  s.id = id;
  s.set(SlabStat::items, items);
  s.set(SlabStat::age, age);
  return s;
}

GeneralStats filled(std::uint64_t uptime, std::uint64_t bytes) {
  GeneralStats s = stats(1, uptime, 0, 0);
  s.set(Stat::bytes, bytes);
  s.set(Stat::limit_maxbytes, 1000000);
  return s;
}

TEST(MemcachedDerive, TimeUntilFullAtTheFillRateOfTheInterval) {
  const auto before = filled(100, 400000);
  const auto growing = derive(filled(110, 500000), {}, {}, &before);
  EXPECT_EQ(growing.fill_rate, 10000);           // 100,000 bytes in 10 s
  EXPECT_EQ(growing.time_until_full, 50u);       // 500,000 left
  const auto shrinking = derive(filled(110, 300000), {}, {}, &before);
  EXPECT_EQ(shrinking.fill_rate, -10000);
  EXPECT_EQ(shrinking.time_until_full, kNeverFull);  // never, at this rate
  EXPECT_EQ(derive(filled(110, 1000000), {}, {}, &before).time_until_full, 0u);
  EXPECT_EQ(derive(filled(110, 400000), {}, {}, &before).time_until_full, kNeverFull);
  // Within memcached's one-second clock: nothing to divide by.
  EXPECT_FALSE(derive(filled(100, 500000), {}, {}, &before).fill_rate);
  EXPECT_FALSE(derive(filled(110, 500000), {}, {}, nullptr).fill_rate);
}

TEST(MemcachedDerive, HitRatioComesFromTheDeltasOfTheInterval) {
  const auto before = stats(1, 100, 1000, 1000);  // 50% over the server's life
  const auto after = stats(1, 110, 1990, 1010);   // 990 hits, 10 misses since
  EXPECT_EQ(derive(after, {}, {}, &before).hit_ratio, 9900u);
}

TEST(MemcachedDerive, HitRatioRoundsToHundredthsOfAPercent) {
  const auto before = stats(1, 100, 0, 0);
  EXPECT_EQ(derive(stats(1, 110, 2, 1), {}, {}, &before).hit_ratio, 6667u);
}

TEST(MemcachedDerive, NoGetsInTheIntervalMeansNothingMissed) {
  const auto before = stats(1, 100, 5, 5);
  EXPECT_EQ(derive(stats(1, 110, 5, 5), {}, {}, &before).hit_ratio, 10000u);
}

TEST(MemcachedDerive, NoPreviousPollMeansNoHitRatio) {
  EXPECT_FALSE(derive(stats(1, 100, 5, 5), {}, {}, nullptr).hit_ratio.has_value());
}

TEST(MemcachedDerive, HugeCountersDoNotOverflow) {
  const auto before = stats(1, 100, 0, 0);
  const std::uint64_t big = std::uint64_t{1} << 62;
  EXPECT_EQ(derive(stats(1, 110, big, big), {}, {}, &before).hit_ratio, 5000u);
}

TEST(MemcachedDerive, DiscontinuityOnRestartOrReset) {
  const auto before = stats(1, 100, 50, 50);
  EXPECT_FALSE(is_discontinuity(before, stats(1, 110, 60, 50)));
  EXPECT_TRUE(is_discontinuity(before, stats(2, 110, 60, 50)));  // new pid
  EXPECT_TRUE(is_discontinuity(before, stats(1, 5, 60, 50)));    // uptime went back
  EXPECT_TRUE(is_discontinuity(before, stats(1, 110, 0, 0)));    // 'stats reset'
}

TEST(MemcachedDerive, ConnectionUsageIsCappedShareOfMaxconns) {
  Settings settings;
  settings.maxconns = 1024;
  EXPECT_EQ(derive(stats(1, 1, 0, 0), settings, {}, nullptr).connection_usage, 98u);  // 10/1024
  settings.maxconns = 5;
  EXPECT_EQ(derive(stats(1, 1, 0, 0), settings, {}, nullptr).connection_usage, 10000u);
  settings.maxconns = 0;
  EXPECT_FALSE(derive(stats(1, 1, 0, 0), settings, {}, nullptr).connection_usage.has_value());
  EXPECT_FALSE(derive(stats(1, 1, 0, 0), {}, {}, nullptr).connection_usage.has_value());
}

TEST(MemcachedDerive, OldestItemAgeIsOverEveryClassWithItems) {
  const std::vector<SlabClass> slabs{slab(1, 500, 86400), slab(5, 1, 10), slab(9, 20, 3600), slab(12, 0, 5)};
  EXPECT_EQ(derive(stats(1, 1, 0, 0), {}, slabs, nullptr).oldest_item_age, 10u);
  EXPECT_EQ(derive(stats(1, 1, 0, 0), {}, {slab(5, 1, 10)}, nullptr).oldest_item_age, 10u);
  EXPECT_FALSE(derive(stats(1, 1, 0, 0), {}, {slab(12, 0, 5)}, nullptr).oldest_item_age.has_value());
}

// A class of one young item that has evicted `evicted` items so far.
SlabClass evicting(std::uint32_t id, std::uint64_t evicted, std::uint64_t evicted_time) {
  SlabClass s = slab(id, 1, 0);
  s.set(SlabStat::evicted, evicted);
  s.set(SlabStat::evicted_time, evicted_time);
  return s;
}

TEST(MemcachedDerive, EvictedItemAgeOnlyWhereAClassEvictedInTheInterval) {
  const std::vector<SlabClass> before{evicting(1, 0, 0), evicting(5, 7, 40), evicting(9, 3, 10)};
  const std::vector<SlabClass> after{evicting(1, 0, 0), evicting(5, 9, 60), evicting(9, 3, 10), evicting(12, 2, 5)};
  const auto readings = evictions_since(before, after);
  ASSERT_EQ(readings.size(), 3u) << "class 12 was not listed at the last poll: its evictions may be old";
  EXPECT_EQ(readings[0].slab_class, 1u);
  EXPECT_FALSE(readings[0].evicted_item_age) << "evicted nothing: no reading, however young its items";
  EXPECT_EQ(readings[1].evicted_item_age, 60u);
  EXPECT_FALSE(readings[2].evicted_item_age) << "evicted_time is of an eviction before the interval";
}

TEST(MemcachedSample, DiscontinuityTimeStaysUntilTheCountersStartOver) {
  const std::vector<std::string> replies{"STAT pid 7\r\nSTAT uptime 10\r\nSTAT get_hits 1\r\nSTAT get_misses 1\r\nEND\r\n",
                                         "END\r\n", "END\r\n", "END\r\n"};
  const auto t0 = std::chrono::system_clock::time_point(std::chrono::seconds(1000));
  auto first = build_sample(replies, nullptr, t0);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.value().discontinuity_time, t0);
  auto second = build_sample(replies, &first.value(), t0 + std::chrono::seconds(10));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second.value().discontinuity_time, t0);
  EXPECT_EQ(second.value().derived.hit_ratio, 10000u);
  auto restarted = replies;
  restarted[0] = "STAT pid 8\r\nSTAT uptime 1\r\nEND\r\n";
  auto third = build_sample(restarted, &second.value(), t0 + std::chrono::seconds(20));
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third.value().discontinuity_time, t0 + std::chrono::seconds(20));
  EXPECT_FALSE(third.value().derived.hit_ratio.has_value());
}

}  // namespace
}  // namespace mwx::memcached
