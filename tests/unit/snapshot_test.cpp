// The handler's lookups, without snmpd (the lldpd way): GET of every entry,
// GETNEXT from each entry to the next, nothing after the last.
#include <gtest/gtest.h>

#include "agent/snapshot.hpp"

namespace mwx {
namespace {

using namespace std::chrono_literals;

std::shared_ptr<const Snapshot> build(SnapshotBuilder builder) {
  auto result = std::move(builder).build();
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
  return result.value();
}

TEST(Oid, LexicographicOrderWithPrefixesFirst) {
  EXPECT_LT(compare_oids(Oid{1, 3}, Oid{1, 3, 0}), 0);
  EXPECT_LT(compare_oids(Oid{1, 3, 9}, Oid{1, 4}), 0);
  EXPECT_GT(compare_oids(Oid{1, 10}, Oid{1, 9, 99}), 0);
  EXPECT_EQ(compare_oids(Oid{1, 2}, Oid{1, 2}), 0);
}

TEST(Oid, StringIndexIsLengthThenBytes) {
  Oid oid{9};
  append_string_index(oid, "ab");
  EXPECT_EQ(oid, (Oid{9, 2, 'a', 'b'}));
}

TEST(Snapshot, GetAndGetNextWalkEveryEntryInOrder) {
  SnapshotBuilder builder;
  // Added out of order on purpose.
  builder.add_number({1, 3, 2, 1}, SnmpType::Counter64, 21);
  builder.add_text({1, 3, 1, 0}, "scalar");
  builder.add_number({1, 3, 2, 2}, SnmpType::Gauge32, 22);
  builder.add_number({1, 3, 10}, SnmpType::Unsigned32, 10);
  const auto snapshot = build(std::move(builder));
  const auto now = std::chrono::steady_clock::now();
  const auto entries = snapshot->entries();
  ASSERT_EQ(entries.size(), 4u);
  for (std::size_t i = 0; i + 1 < entries.size(); ++i) {
    EXPECT_LT(compare_oids(snapshot->oid_of(entries[i]), snapshot->oid_of(entries[i + 1])), 0);
    EXPECT_EQ(snapshot->find(snapshot->oid_of(entries[i]), now), &entries[i]);
    EXPECT_EQ(snapshot->next(snapshot->oid_of(entries[i]), now), &entries[i + 1]);
  }
  EXPECT_EQ(snapshot->next(snapshot->oid_of(entries.back()), now), nullptr);
  EXPECT_EQ(snapshot->value_of(*snapshot->find(Oid{1, 3, 1, 0}, now), now).text, "scalar");
  EXPECT_EQ(snapshot->value_of(*snapshot->find(Oid{1, 3, 2, 1}, now), now).number, 21u);
  // From a prefix or between entries, GETNEXT finds the next one.
  EXPECT_EQ(snapshot->next(Oid{1}, now), &entries[0]);
  EXPECT_EQ(snapshot->next(Oid{1, 3, 2, 1, 5}, now), &entries[2]);
  EXPECT_EQ(snapshot->next(Oid{1, 3, 9, 9, 9}, now), &entries[3]);
  // GET needs an exact match.
  EXPECT_EQ(snapshot->find(Oid{1, 3, 2}, now), nullptr);
  EXPECT_EQ(snapshot->find(Oid{1, 3, 2, 1, 0}, now), nullptr);
  EXPECT_EQ(snapshot->find(Oid{}, now), nullptr);
}

TEST(Snapshot, EmptySnapshotAnswersNothing) {
  const Snapshot empty;
  EXPECT_EQ(empty.find(Oid{1}, std::chrono::steady_clock::now()), nullptr);
  EXPECT_EQ(empty.next(Oid{}, std::chrono::steady_clock::now()), nullptr);
}

TEST(Snapshot, DuplicateOidIsRefused) {
  SnapshotBuilder builder;
  builder.add_number({1, 2}, SnmpType::Gauge32, 1);
  builder.add_number({1, 2}, SnmpType::Gauge32, 2);
  auto result = std::move(builder).build();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "two values for the same OID .1.2");
}

TEST(Snapshot, StaleInstanceKeepsStatusButHidesData) {
  const auto polled = std::chrono::steady_clock::now();
  SnapshotBuilder builder;
  const auto slot = builder.add_instance(polled, 10s);
  builder.add_status({1, 3}, InstanceStatus::up, slot);
  builder.add_seconds_since({1, 4}, polled, slot);
  builder.add_number({1, 7}, SnmpType::Counter64, 7, slot, true);
  builder.add_number({1, 8}, SnmpType::Counter64, 8, slot, true);
  builder.add_number({2, 1}, SnmpType::Counter64, 9);
  const auto snapshot = build(std::move(builder));

  const auto fresh = polled + 3s;
  EXPECT_EQ(snapshot->value_of(*snapshot->find(Oid{1, 3}, fresh), fresh).number, 1u);
  EXPECT_EQ(snapshot->value_of(*snapshot->find(Oid{1, 4}, fresh), fresh).number, 3u);
  ASSERT_NE(snapshot->find(Oid{1, 7}, fresh), nullptr);

  const auto late = polled + 11s;
  EXPECT_EQ(snapshot->value_of(*snapshot->find(Oid{1, 3}, late), late).number,
            static_cast<std::uint64_t>(InstanceStatus::stale));
  EXPECT_EQ(snapshot->value_of(*snapshot->find(Oid{1, 4}, late), late).number, 11u);
  EXPECT_EQ(snapshot->find(Oid{1, 7}, late), nullptr);
  // GETNEXT skips the hidden data and continues after it.
  const auto* next = snapshot->next(Oid{1, 4}, late);
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(compare_oids(snapshot->oid_of(*next), Oid{2, 1}), 0);
}

TEST(Snapshot, LargeTableWalksInOrder) {
  SnapshotBuilder builder;
  for (OidArc row = 10000; row > 0; --row) builder.add_number({1, 1, row}, SnmpType::Gauge32, row);
  const auto snapshot = build(std::move(builder));
  const auto now = std::chrono::steady_clock::now();
  Oid at{1, 1};
  std::uint64_t expected = 1;
  for (const auto* e = snapshot->next(at, now); e != nullptr; e = snapshot->next(snapshot->oid_of(*e), now)) {
    ASSERT_EQ(snapshot->value_of(*e, now).number, expected++);
  }
  EXPECT_EQ(expected, 10001u);
}

}  // namespace
}  // namespace mwx
