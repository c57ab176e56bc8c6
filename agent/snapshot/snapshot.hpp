#pragma once
// The immutable, compiled form of everything mwagentx serves: (OID, type,
// value) sorted by OID, the OIDs front-coded (agent/snapshot/front_coded_oids.hpp).
// SNMP handlers answer GET and GETNEXT with a binary search over segments
// and restart keys and a scan of one block; nothing is allocated per
// request.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/base/oid.hpp"
#include "agent/base/result.hpp"
#include "agent/snapshot/front_coded_oids.hpp"

namespace mwx {

using SteadyTime = std::chrono::steady_clock::time_point;

// The steady-clock time of a wall-clock time, for answering its age.
inline SteadyTime steady_time_of(std::chrono::system_clock::time_point time) {
  const auto ago = std::chrono::system_clock::now() - time;
  return std::chrono::steady_clock::now() - std::chrono::duration_cast<SteadyTime::duration>(ago);
}

enum class SnmpType : std::uint8_t { Integer, OctetString, Counter32, Gauge32, Unsigned32, Counter64 };

std::string_view snmp_type_name(SnmpType type);  // as snmpwalk prints it: "Counter64"

// The values of MwxInstanceStatus.
enum class InstanceStatus : int { up = 1, down = 2, stale = 3, degraded = 4, not_present = 5, pending = 6 };
std::string_view status_name(InstanceStatus status);  // as the MIB names it: "notPresent"

// How an entry becomes the value that is answered. Two columns depend on the
// time of the request, not of the poll; they are computed when asked.
enum class Evaluation : std::uint8_t {
  Stored,        // the stored number or text
  SecondsSince,  // number holds a steady-clock time; answer the whole seconds since then
  Status,        // number holds the InstanceStatus of the last poll; answer stale when overdue
};

struct AnsweredValue {
  SnmpType type;
  std::uint64_t number;   // for every type but OctetString (Integer is sign-extended)
  std::string_view text;  // for OctetString
};

class Snapshot {
 public:
  using InstanceSlot = std::uint16_t;
  static constexpr InstanceSlot kNoInstance = 0xffff;
  using Index = std::uint32_t;

  // Every kRestartEvery-th key is coded on its own, so that a lookup is a
  // binary search over those and a scan of at most one block.
  static constexpr Index kRestartEvery = 16;
  // Keys in OID order, front-coded, with a restart key every kRestartEvery.
  struct Keys {
    KeyBytes bytes;
    std::vector<std::uint32_t> restarts;  // offsets of keys 0, kRestartEvery, ...

    // Appends the key of entry `count` (the number of keys before it),
    // which sorts after `previous`, the key before it.
    void append(Index count, OidView previous, OidView oid);
    // The block where `oid` is, or would be: the last restart key not above it.
    std::size_t restart_for(OidView oid) const;
    // Decodes the key of entry `index` into `key` (a scan from its block's
    // restart key); returns the offset of the key after it.
    std::size_t decode(Index index, OidBuffer& key) const;
    bool operator==(const Keys&) const = default;
  };

  // When the polls of one instance count as overdue.
  struct InstanceClock {
    SteadyTime last_poll_end;
    std::chrono::nanoseconds stale_after;
    bool stale_at(SteadyTime now) const { return now - last_poll_end > stale_after; }
  };

  // An entry, where it is stored: always in a snapshot built from rows (a
  // part); a merged snapshot only says where its entries are.
  struct Entry {
    const Snapshot* store;
    Index index;
  };

  // Walks the entries in OID order, decoding each key from the one before.
  class Cursor {
   public:
    Cursor() = default;  // at nothing
    explicit Cursor(const Snapshot& snapshot);
    bool done() const { return keys_ == nullptr; }
    Entry entry() const { return store_ != nullptr ? Entry{store_, index_} : snapshot_->placed_entry(index_); }
    OidView oid() const { return oid_.view(); }
    void advance();

   private:
    friend class Snapshot;
    // At the restart key `restart` of a segment's keys, which may come
    // before the segment begins (a lookup scans past those keys).
    Cursor(const Snapshot& snapshot, std::size_t segment, std::size_t restart);
    void enter(std::size_t segment);  // at the segment's first entry
    void at_segment(std::size_t segment);
    const Snapshot* snapshot_ = nullptr;
    std::uint64_t serial_ = 0;  // of snapshot_, which another may replace at the same address
    std::size_t segment_ = 0;
    const Keys* keys_ = nullptr;      // of the segment; nothing when done
    const Snapshot* store_ = nullptr;  // the part whose entries the segment serves; none for placed entries
    Index index_ = 0;
    Index end_ = 0;
    std::size_t at_ = 0;  // offset of the key after the current one
    OidBuffer oid_;
  };

  Snapshot();
  Snapshot(const Snapshot&) = delete;  // a cursor keeps pointers into its snapshot
  Snapshot& operator=(const Snapshot&) = delete;

  std::size_t size() const;
  // Exact match, or nothing (noSuchInstance).
  std::optional<Entry> find(OidView oid, SteadyTime now) const;
  // The first visible entry after `oid`, nothing past the end; `at` is left
  // on it (at.oid() is its OID). A walk asks for the entry after the one it
  // was given: when `oid` is where `at` was left in this snapshot, the
  // answer is the next entry, without a search. `oid` must not be at.oid()
  // itself: copy it first.
  std::optional<Entry> next(OidView oid, SteadyTime now, Cursor& at) const;

  static AnsweredValue value_of(Entry entry, SteadyTime now) { return entry.store->value_at(entry.index, now); }
  static bool visible(Entry entry, SteadyTime now) { return entry.store->visible_at(entry.index, now); }

  // Whether both serve their entries through one layout (a merge that
  // found the same keys), for tests and benchmarks.
  bool shares_layout_with(const Snapshot& other) const { return layout_ != nullptr && layout_ == other.layout_; }
  // The bytes this snapshot stores itself and in its layout (not its
  // parts' entries), for benchmarks.
  std::size_t bytes() const;

 private:
  friend class SnapshotBuilder;
  friend class SnapshotMerge;  // snapshot_merge.cpp

  // How one stored entry is answered.
  struct Meta {
    InstanceSlot instance;
    SnmpType type;
    Evaluation evaluation;
    bool is_data;  // hidden while its instance is stale
    bool is_text() const { return type == SnmpType::OctetString && evaluation == Evaluation::Stored; }
  };
  // The values of stored entries, by index, as a snapshot and a builder
  // keep them: a number, or for a text the offset and length of its bytes
  // in `texts`, and its Meta.
  struct Values {
    std::vector<std::uint64_t> numbers;
    std::vector<Meta> meta;
    std::string texts;

    Index size() const { return static_cast<Index>(numbers.size()); }
    void push(std::uint64_t number, std::string_view text, Meta how);
    std::string_view text(Index index) const;  // empty but for text
  };

  // Where a segment's entries are: the entries this snapshot stores (a
  // part), those its layout places, or a range of one of its parts.
  using Source = std::uint16_t;
  static constexpr Source kOwnEntries = 0xffff;
  static constexpr Source kPlacedEntries = 0xfffe;
  static constexpr std::size_t kMaxParts = kPlacedEntries;
  // A range of entries, in OID order; the segments follow each other.
  struct Segment {
    Source source;
    Index begin;
    Index end;
    Oid first;  // the key of `begin`
  };
  // How a snapshot serves its entries in OID order. A merged snapshot's
  // layout holds the keys of entries it places one by one (each names its
  // part and the entry's index there) and segments that serve long runs of
  // one part directly. It depends only on the parts' keys, so the next
  // merge of parts with the same keys shares it and only swaps the parts.
  struct Layout {
    Keys keys;                           // of the placed entries
    std::vector<Source> placed_part;     // of each placed entry
    std::vector<Index> placed_index;     // its index in that part
    std::vector<Segment> segments;
    std::size_t size = 0;

    // Serves entries begin..end of `keys` (`source`'s) next.
    void add_segment(Source source, const Keys& keys, Index begin, Index end);
    std::size_t bytes() const;
  };

  Entry placed_entry(Index index) const {
    return {parts_[layout_->placed_part[index]].get(), layout_->placed_index[index]};
  }
  const Keys& keys_of(const Segment& segment) const;
  const Snapshot* store_of(const Segment& segment) const;  // none for placed entries
  AnsweredValue value_at(Index index, SteadyTime now) const;
  bool visible_at(Index index, SteadyTime now) const;
  // Where a lookup of `oid` starts: its segment, at the restart before it.
  Cursor lookup(OidView oid) const;
  bool is_merged() const { return !parts_.empty(); }

  // A part's own entries.
  Keys keys_;
  Values values_;
  std::vector<InstanceClock> clocks_;
  // How they, or a merged snapshot's parts' entries, are served.
  std::shared_ptr<const Layout> layout_;
  std::vector<std::shared_ptr<const Snapshot>> parts_;  // of a merged snapshot, by slot
  std::uint64_t serial_;
};

// Merges snapshots built from rows into one. The poller keeps one part per
// instance, rendered when that instance was polled; a merged snapshot
// holds no values, only where each entry is (see Snapshot::Layout). When
// every part has the same keys as the part in the same slot of `previous`
// (polls that changed values, not which values there are), the merge
// shares previous's layout: its cost is the number of parts, not of
// values. Otherwise it lays the entries out anew, a k-way merge of the
// sorted parts, O(n log parts). Fails when two parts share an OID.
Result<std::shared_ptr<const Snapshot>> merge_snapshots(std::span<const std::shared_ptr<const Snapshot>> parts,
                                                        const Snapshot* previous = nullptr);

}  // namespace mwx
