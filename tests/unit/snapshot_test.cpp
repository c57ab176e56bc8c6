// The handler's lookups, without snmpd (the lldpd way): GET of every entry,
// GETNEXT from each entry to the next, nothing after the last.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "agent/mib/agent_group.hpp"
#include "agent/snapshot/snapshot_builder.hpp"
#include "agent/subsystem.hpp"

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

// Where an entry is, in a snapshot built from rows (it stores them all).
std::optional<Snapshot::Index> position(std::optional<Snapshot::Entry> entry) {
  if (!entry) return std::nullopt;
  return entry->index;
}

// Every entry's OID, decoded, in order.
std::vector<Oid> oids_of(const Snapshot& snapshot) {
  std::vector<Oid> oids;
  for (Snapshot::Cursor at(snapshot); !at.done(); at.advance()) oids.emplace_back(at.oid().begin(), at.oid().end());
  return oids;
}

TEST(Snapshot, GetAndGetNextWalkEveryEntryInOrder) {
  SnapshotBuilder builder;
  // Added out of order on purpose.
  builder.add_number(Oid{1, 3, 2, 1}, SnmpType::Counter64, 21);
  builder.add_text(Oid{1, 3, 1, 0}, "scalar");
  builder.add_number(Oid{1, 3, 2, 2}, SnmpType::Gauge32, 22);
  builder.add_number(Oid{1, 3, 10}, SnmpType::Unsigned32, 10);
  const auto snapshot = build(std::move(builder));
  const auto now = std::chrono::steady_clock::now();
  const auto oids = oids_of(*snapshot);
  ASSERT_EQ(oids, (std::vector<Oid>{{1, 3, 1, 0}, {1, 3, 2, 1}, {1, 3, 2, 2}, {1, 3, 10}}));
  Snapshot::Cursor found;
  for (std::size_t i = 0; i + 1 < oids.size(); ++i) {
    EXPECT_EQ(position(snapshot->find(oids[i], now)), i);
    EXPECT_EQ(position(snapshot->next(oids[i], now, found)), i + 1);
    EXPECT_EQ(compare_oids(found.oid(), oids[i + 1]), 0);
  }
  EXPECT_FALSE(snapshot->next(oids.back(), now, found));
  EXPECT_EQ(Snapshot::value_of(*snapshot->find(Oid{1, 3, 1, 0}, now), now).text, "scalar");
  EXPECT_EQ(Snapshot::value_of(*snapshot->find(Oid{1, 3, 2, 1}, now), now).number, 21u);
  EXPECT_EQ(Snapshot::value_of(*snapshot->find(Oid{1, 3, 10}, now), now).number, 10u);
  // From a prefix or between entries, GETNEXT finds the next one.
  EXPECT_EQ(position(snapshot->next(Oid{1}, now, found)), 0u);
  EXPECT_EQ(position(snapshot->next(Oid{}, now, found)), 0u);
  EXPECT_EQ(position(snapshot->next(Oid{1, 3, 2, 1, 5}, now, found)), 2u);
  EXPECT_EQ(position(snapshot->next(Oid{1, 3, 9, 9, 9}, now, found)), 3u);
  EXPECT_EQ(compare_oids(found.oid(), Oid{1, 3, 10}), 0);
  // GET needs an exact match.
  EXPECT_FALSE(snapshot->find(Oid{1, 3, 2}, now));
  EXPECT_FALSE(snapshot->find(Oid{1, 3, 2, 1, 0}, now));
  EXPECT_FALSE(snapshot->find(Oid{}, now));
  EXPECT_FALSE(snapshot->find(Oid{1, 3, 11}, now));
}

// Keys are front-coded in blocks: arcs of every size (one to ten bytes
// coded), OIDs that are prefixes of others, and lookups at, between and
// around block boundaries all decode to what was added.
TEST(Snapshot, EveryKeyDecodesAndIsFoundAcrossBlocks) {
  std::vector<Oid> added;
  for (OidArc row = 0; row < 300; ++row) {
    const OidArc wide = row % 3 == 0 ? row : row % 3 == 1 ? row << 20 : (OidArc{1} << 63) - row;
    added.push_back(Oid{1, 3, 6, 1, 4, 1, 8072, row / 50, 8, static_cast<OidArc>('a' + row % 7), wide});
    if (row % 10 == 0) added.push_back(Oid{1, 3, 6, 1, 4, 1, 8072, row / 50, 8, static_cast<OidArc>('a' + row % 7)});
  }
  std::sort(added.begin(), added.end(), [](const Oid& a, const Oid& b) { return compare_oids(a, b) < 0; });
  added.erase(std::unique(added.begin(), added.end()), added.end());
  SnapshotBuilder builder;
  for (std::size_t i = 0; i < added.size(); ++i) builder.add_number(added[i], SnmpType::Counter64, i);
  const auto snapshot = build(std::move(builder));
  const auto now = std::chrono::steady_clock::now();
  ASSERT_EQ(oids_of(*snapshot), added);
  Snapshot::Cursor found;
  for (std::size_t i = 0; i < added.size(); ++i) {
    const auto at = snapshot->find(added[i], now);
    ASSERT_EQ(position(at), i) << format_oid(added[i]);
    EXPECT_EQ(Snapshot::value_of(*at, now).number, i);
    const auto after = snapshot->next(added[i], now, found);
    if (i + 1 == added.size()) {
      EXPECT_FALSE(after);
      continue;
    }
    ASSERT_EQ(position(after), i + 1) << format_oid(added[i]);
    EXPECT_EQ(compare_oids(found.oid(), added[i + 1]), 0);
    // Just below the next key: one arc more than this one.
    Oid below_next = added[i];
    below_next.push_back(0);
    if (compare_oids(below_next, added[i + 1]) < 0) {
      EXPECT_FALSE(snapshot->find(below_next, now));
      EXPECT_EQ(position(snapshot->next(below_next, now, found)), i + 1);
    }
  }
}

TEST(Snapshot, OidsLongerThanSnmpAllowsAreRefused) {
  SnapshotBuilder fits, too_long;
  fits.add_number(Oid(kMaxOidArcs, 1), SnmpType::Gauge32, 1);
  too_long.add_number(Oid(kMaxOidArcs + 1, 1), SnmpType::Gauge32, 1);
  EXPECT_TRUE(std::move(fits).build().ok());
  auto refused = std::move(too_long).build();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().rfind("an OID of more than 128 arcs .1.1.1", 0), 0u) << refused.error();
}

TEST(Snapshot, EmptySnapshotAnswersNothing) {
  const Snapshot empty;
  Snapshot::Cursor found;
  EXPECT_FALSE(empty.find(Oid{1}, std::chrono::steady_clock::now()));
  EXPECT_FALSE(empty.next(Oid{}, std::chrono::steady_clock::now(), found));
}

TEST(Snapshot, DuplicateOidIsRefused) {
  SnapshotBuilder builder;
  builder.add_number(Oid{1, 2}, SnmpType::Gauge32, 1);
  builder.add_number(Oid{1, 2}, SnmpType::Gauge32, 2);
  auto result = std::move(builder).build();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "two values for the same OID .1.2");
}

TEST(Snapshot, StaleInstanceKeepsStatusButHidesData) {
  const auto polled = std::chrono::steady_clock::now();
  SnapshotBuilder builder;
  const auto slot = builder.add_instance(polled, 10s);
  builder.add_status(Oid{1, 3}, InstanceStatus::up, slot);
  builder.add_seconds_since(Oid{1, 4}, polled, slot);
  builder.add_number(Oid{1, 7}, SnmpType::Counter64, 7, slot, true);
  builder.add_number(Oid{1, 8}, SnmpType::Counter64, 8, slot, true);
  builder.add_number(Oid{2, 1}, SnmpType::Counter64, 9);
  const auto snapshot = build(std::move(builder));

  const auto fresh = polled + 3s;
  EXPECT_EQ(Snapshot::value_of(*snapshot->find(Oid{1, 3}, fresh), fresh).number, 1u);
  EXPECT_EQ(Snapshot::value_of(*snapshot->find(Oid{1, 4}, fresh), fresh).number, 3u);
  ASSERT_TRUE(snapshot->find(Oid{1, 7}, fresh));

  const auto late = polled + 11s;
  EXPECT_EQ(Snapshot::value_of(*snapshot->find(Oid{1, 3}, late), late).number,
            static_cast<std::uint64_t>(InstanceStatus::stale));
  EXPECT_EQ(Snapshot::value_of(*snapshot->find(Oid{1, 4}, late), late).number, 11u);
  EXPECT_FALSE(snapshot->find(Oid{1, 7}, late));
  // GETNEXT skips the hidden data and continues after it.
  Snapshot::Cursor found;
  ASSERT_TRUE(snapshot->next(Oid{1, 4}, late, found));
  EXPECT_EQ(compare_oids(found.oid(), Oid{2, 1}), 0);
}

TEST(Snapshot, LargeTableWalksInOrder) {
  SnapshotBuilder builder;
  for (OidArc row = 10000; row > 0; --row) builder.add_number(Oid{1, 1, row}, SnmpType::Gauge32, row);
  const auto snapshot = build(std::move(builder));
  const auto now = std::chrono::steady_clock::now();
  // As a walk asks: each GETNEXT from the OID the one before returned,
  // going on from where it ended, and each answer the same as a search's.
  Snapshot::Cursor walk, searched;
  Oid asked{1, 1};
  std::uint64_t expected = 1;
  for (auto e = snapshot->next(asked, now, walk); e; e = snapshot->next(asked, now, walk)) {
    ASSERT_EQ(Snapshot::value_of(*e, now).number, expected++);
    Snapshot::Cursor fresh;
    ASSERT_EQ(position(snapshot->next(asked, now, fresh)), e->index);
    asked.assign(walk.oid().begin(), walk.oid().end());
  }
  EXPECT_EQ(expected, 10001u);
}

// A walk's cursor left in one snapshot is not taken for a place in the
// next one published, even where that one has the same OIDs.
TEST(Snapshot, AWalkGoesOnInTheNextSnapshotBySearching) {
  const auto now = std::chrono::steady_clock::now();
  auto rows = [](std::uint64_t base) {
    SnapshotBuilder b;
    for (OidArc row = 1; row <= 40; ++row) b.add_number(Oid{1, 1, row}, SnmpType::Gauge32, base + row);
    return b;
  };
  const auto first = build(rows(100));
  Snapshot::Cursor walk;
  ASSERT_TRUE(first->next(Oid{1, 1, 20}, now, walk));
  EXPECT_EQ(compare_oids(walk.oid(), Oid{1, 1, 21}), 0);
  const auto second = build(rows(200));
  const auto e = second->next(Oid{1, 1, 21}, now, walk);
  ASSERT_TRUE(e);
  EXPECT_EQ(Snapshot::value_of(*e, now).number, 222u);
  EXPECT_EQ(compare_oids(walk.oid(), Oid{1, 1, 22}), 0);
  // Asked for another OID than where it was left: a search.
  EXPECT_EQ(Snapshot::value_of(*second->next(Oid{1, 1, 5}, now, walk), now).number, 206u);
}

TEST(SnapshotMerge, PartsMergeIntoTheSameSnapshotAsOneBuild) {
  // Two "instances" whose rows interleave column by column, as tables do.
  auto rows = [](SnapshotBuilder& b, OidArc instance) {
    for (OidArc column = 1; column <= 3; ++column) {
      b.add_number(Oid{1, column, instance}, SnmpType::Gauge32, column * 100 + instance);
    }
    b.add_text(Oid{1, 4, instance}, "text" + std::to_string(instance));
  };
  SnapshotBuilder a, b, both;
  rows(a, 7);
  rows(b, 3);
  rows(both, 7);
  rows(both, 3);
  both.add_text(Oid{0, 1}, "scalar");
  SnapshotBuilder scalar;
  scalar.add_text(Oid{0, 1}, "scalar");
  const std::vector<std::shared_ptr<const Snapshot>> parts{build(std::move(a)), build(std::move(scalar)),
                                                           build(std::move(b))};
  auto merged = merge_snapshots(parts);
  ASSERT_TRUE(merged.ok()) << merged.error();
  const auto expected = build(std::move(both));
  const auto now = std::chrono::steady_clock::now();
  ASSERT_EQ(oids_of(*merged.value()), oids_of(*expected));
  Snapshot::Cursor m(*merged.value());
  for (Snapshot::Cursor e(*expected); !e.done(); e.advance(), m.advance()) {
    EXPECT_EQ(Snapshot::value_of(m.entry(), now).number, Snapshot::value_of(e.entry(), now).number);
    EXPECT_EQ(Snapshot::value_of(m.entry(), now).text, Snapshot::value_of(e.entry(), now).text);
  }
}

// Every key, and a key just below and just above each, looked up and
// walked from in `merged` and `expected`: the same answers.
void expect_same_answers(const Snapshot& merged, const Snapshot& expected, const std::vector<Oid>& oids,
                         SteadyTime now) {
  Snapshot::Cursor found_merged, found_expected;
  for (const auto& oid : oids) {
    Oid below = oid;
    below.back() -= 1;
    Oid above = oid;
    above.push_back(0);
    for (const Oid& asked : {oid, below, above}) {
      const auto m = merged.find(asked, now), e = expected.find(asked, now);
      ASSERT_EQ(m.has_value(), e.has_value()) << format_oid(asked);
      if (m) {
        EXPECT_EQ(Snapshot::value_of(*m, now).number, Snapshot::value_of(*e, now).number);
        EXPECT_EQ(Snapshot::value_of(*m, now).text, Snapshot::value_of(*e, now).text);
      }
      const auto mn = merged.next(asked, now, found_merged), en = expected.next(asked, now, found_expected);
      ASSERT_EQ(mn.has_value(), en.has_value()) << format_oid(asked);
      if (mn) {
        ASSERT_EQ(compare_oids(found_merged.oid(), found_expected.oid()), 0) << format_oid(asked);
      }
    }
  }
}

// A long run of one part's entries is referred to, not copied: the merged
// snapshot answers exactly as one built from all the rows, lookups landing
// in, between and across its segments, and each part's clock still hides
// its data, wherever it is stored.
TEST(SnapshotMerge, LongRunsAreReferredToAndAnswerAsOneBuild) {
  const auto now = std::chrono::steady_clock::now();
  auto big_rows = [&](SnapshotBuilder& b, SnapshotBuilder::InstanceSlot slot) {
    for (OidArc row = 1; row <= 700; ++row) b.add_number(Oid{1, 5, 1, row}, SnmpType::Gauge32, row, slot, true);
    for (OidArc row = 1; row <= 700; ++row) b.add_text(Oid{1, 5, 2, row}, "row" + std::to_string(row), slot, true);
    b.add_number(Oid{1, 2, 7}, SnmpType::Counter64, 7, slot);
  };
  auto small_rows = [&](SnapshotBuilder& b, SnapshotBuilder::InstanceSlot slot) {
    b.add_number(Oid{1, 2, 3}, SnmpType::Counter64, 3, slot);
    b.add_number(Oid{1, 5, 1, 350, 1}, SnmpType::Gauge32, 1, slot, true);  // splits the big part's first column
    b.add_number(Oid{1, 9}, SnmpType::Gauge32, 9, slot, true);
  };
  SnapshotBuilder big, small, both;
  big_rows(big, big.add_instance(now, 10s));
  small_rows(small, small.add_instance(now - 60s, 10s));  // overdue: its data hidden
  big_rows(both, both.add_instance(now, 10s));
  small_rows(both, both.add_instance(now - 60s, 10s));
  const std::vector<std::shared_ptr<const Snapshot>> parts{build(std::move(small)), build(std::move(big))};
  auto merged_result = merge_snapshots(parts);
  ASSERT_TRUE(merged_result.ok()) << merged_result.error();
  const auto merged = merged_result.value();
  const auto expected = build(std::move(both));
  const auto oids = oids_of(*expected);
  ASSERT_EQ(oids_of(*merged), oids);
  EXPECT_LT(merged->bytes(), parts[1]->bytes() / 4) << "the big part's runs are copied";
  expect_same_answers(*merged, *expected, oids, now);
  EXPECT_FALSE(merged->find(Oid{1, 9}, now));
  EXPECT_FALSE(merged->find(Oid{1, 5, 1, 350, 1}, now));
  EXPECT_TRUE(merged->find(Oid{1, 5, 1, 350}, now));
}

// One instance's rows, as the random publishes below change them: a row in
// a table of all instances, rows of its own in a second one (some absent),
// and for a few a big table of their own (a run long enough to be served
// from the part).
struct RandomInstance {
  OidArc index;
  std::vector<bool> has_row;  // in the second table
  bool has_text;
  bool big;
  std::uint64_t base;  // values are base + a position
  bool overdue;

  void write(SnapshotBuilder& b, SteadyTime now) const {
    const auto slot = b.add_instance(overdue ? now - 60s : now, 10s);
    for (OidArc column = 1; column <= 4; ++column) {
      b.add_number(Oid{1, 2, column, index}, SnmpType::Counter64, base + column, slot, column > 1);
    }
    if (has_text) b.add_text(Oid{1, 2, 5, index}, "text" + std::to_string(base), slot, true);
    for (OidArc row = 0; row < has_row.size(); ++row) {
      if (!has_row[row]) continue;
      b.add_number(Oid{1, 3, 1, index, row}, SnmpType::Gauge32, base + 10 + row, slot, true);
      b.add_text(Oid{1, 3, 2, index, row}, "r" + std::to_string(base + row), slot, true);
    }
    for (OidArc row = 1; big && row <= 300; ++row) {
      b.add_number(Oid{1, 4, index, row}, SnmpType::Gauge32, base + row, slot);
    }
  }
};

// Publishes as the poller makes them, at random: some parts unchanged,
// some with new values only, some with rows come or gone.
class RandomPublishes {
 public:
  explicit RandomPublishes(SteadyTime now) : now_(now) {
    for (OidArc i = 0; i < 12; ++i) {
      instances_.push_back({i * 3 + 1, std::vector<bool>(5, true), chance(2), i % 5 == 0, i * 1000, chance(4)});
      parts_.push_back(part_of(instances_.back()));
    }
  }
  const std::vector<std::shared_ptr<const Snapshot>>& parts() const { return parts_; }

  // Polls some instances; returns whether any of their keys changed.
  bool poll_some(int publish) {
    bool keys_changed = false;
    for (std::size_t i = 0; i < instances_.size(); ++i) {
      if (chance(3)) continue;  // not polled since the last publish
      instances_[i].base += 100;
      if (chance(publish % 2 == 0 ? 2 : 12)) {
        keys_changed = true;
        const auto row = std::uniform_int_distribution<std::size_t>(0, 4)(random_);
        instances_[i].has_row[row] = !instances_[i].has_row[row];
      }
      parts_[i] = part_of(instances_[i]);
    }
    return keys_changed;
  }

  // Every instance's rows in one build.
  std::shared_ptr<const Snapshot> built_at_once() const {
    SnapshotBuilder all;
    for (const auto& instance : instances_) instance.write(all, now_);
    return build(std::move(all));
  }

 private:
  bool chance(int in) { return std::uniform_int_distribution<int>(0, in - 1)(random_) == 0; }
  std::shared_ptr<const Snapshot> part_of(const RandomInstance& instance) const {
    SnapshotBuilder b;
    instance.write(b, now_);
    return build(std::move(b));
  }

  SteadyTime now_;
  std::mt19937 random_{20261205};
  std::vector<RandomInstance> instances_;
  std::vector<std::shared_ptr<const Snapshot>> parts_;
};

// A walk goes on in `published`: a few GETNEXTs from where the last one
// left `walk`, each the same as a search in `expected`.
void expect_walk_goes_on(const Snapshot& published, const Snapshot& expected, Snapshot::Cursor& walk, Oid& walked,
                         SteadyTime now) {
  for (int step = 0; step < 7; ++step) {
    Snapshot::Cursor searched;
    const auto e = expected.next(walked, now, searched);
    const auto w = published.next(walked, now, walk);
    ASSERT_EQ(w.has_value(), e.has_value());
    if (!w) {
      walked.clear();
      return;
    }
    ASSERT_EQ(compare_oids(walk.oid(), searched.oid()), 0);
    EXPECT_EQ(Snapshot::value_of(*w, now).number, Snapshot::value_of(*e, now).number);
    walked.assign(walk.oid().begin(), walk.oid().end());
  }
}

// Each merged snapshot, sharing the last one's layout or not, answers
// every key, below and above each, and a walk's cursor carried across the
// publishes exactly as one built from every instance's rows; the layout
// is shared exactly when no part's keys changed.
TEST(SnapshotMerge, RandomPublishesAnswerAsOneBuildAndShareTheLayoutWhenOnlyValuesChange) {
  const auto now = std::chrono::steady_clock::now();
  RandomPublishes publishes(now);
  auto published = merge_snapshots(publishes.parts()).value();
  Snapshot::Cursor walk;
  Oid walked{};
  int shared = 0;
  for (int publish = 0; publish < 60; ++publish) {
    const bool keys_changed = publishes.poll_some(publish);
    auto next = merge_snapshots(publishes.parts(), published.get());
    ASSERT_TRUE(next.ok()) << next.error();
    EXPECT_EQ(next.value()->shares_layout_with(*published), !keys_changed) << "publish " << publish;
    shared += !keys_changed;
    published = next.value();

    const auto expected = publishes.built_at_once();
    const auto oids = oids_of(*expected);
    ASSERT_EQ(oids_of(*published), oids) << "publish " << publish;
    expect_same_answers(*published, *expected, oids, now);
    Snapshot::Cursor m(*published);
    for (Snapshot::Cursor e(*expected); !e.done(); e.advance(), m.advance()) {
      EXPECT_EQ(Snapshot::value_of(m.entry(), now).number, Snapshot::value_of(e.entry(), now).number);
      EXPECT_EQ(Snapshot::value_of(m.entry(), now).text, Snapshot::value_of(e.entry(), now).text);
    }
    expect_walk_goes_on(*published, *expected, walk, walked, now);
  }
  EXPECT_GT(shared, 10) << "too few publishes shared a layout to test it";
  EXPECT_LT(shared, 50) << "too few publishes laid out anew to test it";
}

TEST(SnapshotMerge, EachPartKeepsItsOwnInstanceClock) {
  const auto now = std::chrono::steady_clock::now();
  SnapshotBuilder fresh, overdue;
  const auto f = fresh.add_instance(now, 10s);
  fresh.add_number(Oid{1, 1}, SnmpType::Gauge32, 1, f, true);
  const auto o = overdue.add_instance(now - 60s, 10s);
  overdue.add_number(Oid{1, 2}, SnmpType::Gauge32, 2, o, true);
  overdue.add_status(Oid{1, 3}, InstanceStatus::up, o);
  const std::vector<std::shared_ptr<const Snapshot>> parts{build(std::move(fresh)), build(std::move(overdue))};
  auto merged = merge_snapshots(parts);
  ASSERT_TRUE(merged.ok());
  EXPECT_TRUE(merged.value()->find(Oid{1, 1}, now));
  EXPECT_FALSE(merged.value()->find(Oid{1, 2}, now));
  EXPECT_EQ(Snapshot::value_of(*merged.value()->find(Oid{1, 3}, now), now).number,
            static_cast<std::uint64_t>(InstanceStatus::stale));
}

TEST(SnapshotMerge, OverlappingPartsAreRefused) {
  SnapshotBuilder a, b;
  a.add_number(Oid{1, 1}, SnmpType::Gauge32, 1);
  b.add_number(Oid{1, 1}, SnmpType::Gauge32, 2);
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
