// The handler's lookups, without snmpd (the lldpd way): GET of every entry,
// GETNEXT from each entry to the next, nothing after the last.
#include <gtest/gtest.h>

#include <set>

#include "agent/agent_mib.hpp"
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

TEST(SnapshotMerge, PartsMergeIntoTheSameSnapshotAsOneBuild) {
  // Two "instances" whose rows interleave column by column, as tables do.
  auto rows = [](SnapshotBuilder& b, OidArc instance) {
    for (OidArc column = 1; column <= 3; ++column) {
      b.add_number({1, column, instance}, SnmpType::Gauge32, column * 100 + instance);
    }
    b.add_text({1, 4, instance}, "text" + std::to_string(instance));
  };
  SnapshotBuilder a, b, both;
  rows(a, 7);
  rows(b, 3);
  rows(both, 7);
  rows(both, 3);
  both.add_text({0, 1}, "scalar");
  SnapshotBuilder scalar;
  scalar.add_text({0, 1}, "scalar");
  const std::vector<std::shared_ptr<const Snapshot>> parts{build(std::move(a)), build(std::move(scalar)),
                                                           build(std::move(b))};
  auto merged = merge_snapshots(parts);
  ASSERT_TRUE(merged.ok()) << merged.error();
  const auto expected = build(std::move(both));
  const auto now = std::chrono::steady_clock::now();
  ASSERT_EQ(merged.value()->entries().size(), expected->entries().size());
  for (std::size_t i = 0; i < expected->entries().size(); ++i) {
    const auto& m = merged.value()->entries()[i];
    const auto& e = expected->entries()[i];
    EXPECT_EQ(compare_oids(merged.value()->oid_of(m), expected->oid_of(e)), 0) << i;
    EXPECT_EQ(merged.value()->value_of(m, now).number, expected->value_of(e, now).number);
    EXPECT_EQ(merged.value()->value_of(m, now).text, expected->value_of(e, now).text);
  }
}

TEST(SnapshotMerge, EachPartKeepsItsOwnInstanceClock) {
  const auto now = std::chrono::steady_clock::now();
  SnapshotBuilder fresh, overdue;
  const auto f = fresh.add_instance(now, 10s);
  fresh.add_number({1, 1}, SnmpType::Gauge32, 1, f, true);
  const auto o = overdue.add_instance(now - 60s, 10s);
  overdue.add_number({1, 2}, SnmpType::Gauge32, 2, o, true);
  overdue.add_status({1, 3}, InstanceStatus::up, o);
  const std::vector<std::shared_ptr<const Snapshot>> parts{build(std::move(fresh)), build(std::move(overdue))};
  auto merged = merge_snapshots(parts);
  ASSERT_TRUE(merged.ok());
  EXPECT_NE(merged.value()->find(Oid{1, 1}, now), nullptr);
  EXPECT_EQ(merged.value()->find(Oid{1, 2}, now), nullptr);
  EXPECT_EQ(merged.value()->value_of(*merged.value()->find(Oid{1, 3}, now), now).number,
            static_cast<std::uint64_t>(InstanceStatus::stale));
}

TEST(SnapshotMerge, OverlappingPartsAreRefused) {
  SnapshotBuilder a, b;
  a.add_number({1, 1}, SnmpType::Gauge32, 1);
  b.add_number({1, 1}, SnmpType::Gauge32, 2);
  const std::vector<std::shared_ptr<const Snapshot>> parts{build(std::move(a)), build(std::move(b))};
  auto merged = merge_snapshots(parts);
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.error(), "two values for the same OID .1.1");
}

}  // namespace
}  // namespace mwx

namespace mwx {
namespace {

// Each column is declared once: no two catalog objects share a name or an
// OID, and none is the prefix of another (a GET would find the wrong one).
TEST(Catalog, EveryObjectOnceWithItsOwnOid) {
  const MibCatalog catalog = full_catalog();
  std::set<std::string> names;
  std::set<Oid> oids;
  for (const auto& object : catalog.objects()) {
    EXPECT_TRUE(names.insert(object.name).second) << object.name << " declared twice";
    EXPECT_TRUE(oids.insert(object.oid).second) << format_oid(object.oid) << " declared twice";
  }
  for (const auto& a : catalog.objects()) {
    for (const auto& b : catalog.objects()) {
      if (&a == &b || a.oid.size() >= b.oid.size()) continue;
      EXPECT_FALSE(std::equal(a.oid.begin(), a.oid.end(), b.oid.begin())) << a.name << " is a prefix of " << b.name;
    }
  }
  EXPECT_GT(catalog.objects().size(), 200u);
}

}  // namespace
}  // namespace mwx

namespace mwx {
namespace {

// GET of a missing value asks the catalog which object an OID belongs to.
TEST(Catalog, ObjectForFindsTheColumnOfAnInstanceOidAndNothingElse) {
  const MibCatalog catalog = full_catalog();
  for (const auto& object : catalog.objects()) {
    Oid instance = object.oid;
    instance.insert(instance.end(), {8, 115, 101, 115, 115, 105, 111, 110, 115});
    ASSERT_EQ(catalog.object_for(instance), &object) << object.name;
    ASSERT_EQ(catalog.object_for(object.oid), &object) << object.name;
    Oid parent(object.oid.begin(), object.oid.end() - 1);
    EXPECT_EQ(catalog.object_for(parent), nullptr) << "the entry of " << object.name;
  }
  EXPECT_EQ(catalog.object_for(Oid{1, 3, 6, 1, 2, 1, 1, 1, 0}), nullptr);
  const Oid& last = catalog.objects().back().oid;
  Oid unknown_column(last.begin(), last.end() - 1);
  unknown_column.push_back(999);
  EXPECT_EQ(catalog.object_for(unknown_column), nullptr);
}

}  // namespace
}  // namespace mwx
