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

  // When the polls of one instance count as overdue.
  struct InstanceClock {
    SteadyTime last_poll_end;
    std::chrono::nanoseconds stale_after;
    bool stale_at(SteadyTime now) const { return now - last_poll_end > stale_after; }
  };

  // An entry, where it is stored: a snapshot built from rows stores its
  // entries; a merged one also refers to long runs of its parts' entries
  // rather than copying them (see merge_snapshots).
  struct Entry {
    const Snapshot* store;
    Index index;
  };

  // Walks the entries in OID order, decoding each key from the one before.
  class Cursor {
   public:
    Cursor() = default;  // at nothing
    explicit Cursor(const Snapshot& snapshot);
    bool done() const { return store_ == nullptr; }
    Entry entry() const { return {store_, index_}; }
    OidView oid() const { return oid_.view(); }
    void advance();

   private:
    friend class Snapshot;
    // At the restart key `restart` of a segment's store, which may come
    // before the segment begins (a lookup scans past those keys).
    Cursor(const Snapshot& snapshot, std::size_t segment, std::size_t restart);
    void enter(std::size_t segment);  // at the segment's first entry
    const Snapshot* snapshot_ = nullptr;
    std::uint64_t serial_ = 0;  // of snapshot_, which another may replace at the same address
    std::size_t segment_ = 0;
    const Snapshot* store_ = nullptr;
    Index index_ = 0;
    Index end_ = 0;
    std::size_t at_ = 0;  // offset of the key after the current one
    OidBuffer oid_;
  };

  Snapshot();
  Snapshot(const Snapshot&) = delete;  // segments point into their own snapshot
  Snapshot& operator=(const Snapshot&) = delete;

  std::size_t size() const { return size_; }
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

  // The bytes this snapshot stores itself (not those it refers to), for
  // benchmarks.
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
  // Every kRestartEvery-th stored key is coded on its own, so that a lookup
  // is a binary search over those and a scan of at most one block.
  static constexpr Index kRestartEvery = 16;
  // A range of stored entries, in OID order; the segments follow each other.
  struct Segment {
    const Snapshot* store;
    Index begin;
    Index end;
    Oid first;  // the key of `begin`
  };

  // Appends an entry whose key sorts after `previous`, the key of the entry
  // stored before (empty for the first).
  void append(OidView previous, OidView oid, std::uint64_t number, std::string_view text, Meta meta);
  Index stored() const { return values_.size(); }
  // Serves entries begin..end of `store` (this one, or a part) next.
  void add_segment(const Snapshot& store, Index begin, Index end);
  // How much is stored, to drop what was stored after it.
  struct Mark {
    Index stored;
    std::size_t key_bytes;
    std::size_t text_bytes;
  };
  Mark mark() const;
  void truncate(Mark mark);
  AnsweredValue value_at(Index index, SteadyTime now) const;
  bool visible_at(Index index, SteadyTime now) const;
  void reserve(std::size_t entries, std::size_t key_bytes, std::size_t text_bytes);
  void shrink_to_fit();
  // The block of stored entries where `oid` is, or would be: the last
  // restart key not above it.
  std::size_t restart_for(OidView oid) const;
  // Where a lookup of `oid` starts: its segment, at the restart before it.
  Cursor lookup(OidView oid) const;

  KeyBytes keys_;
  std::vector<std::uint32_t> restarts_;  // key offsets of entries 0, kRestartEvery, ...
  Values values_;
  std::vector<InstanceClock> clocks_;
  std::vector<Segment> segments_;
  std::vector<std::shared_ptr<const Snapshot>> referred_;  // the parts segments refer to
  std::size_t size_ = 0;
  std::uint64_t serial_;
};

// Merges snapshots built from rows into one (a k-way merge: each part is
// sorted already). The poller keeps one part per instance, rendered when
// that instance was polled, so publishing costs O(n log parts) and no
// instance is re-rendered. Where a part's entries follow each other for a
// long run (a big table of one instance), the merged snapshot refers to
// them instead of holding a second copy. Fails when two parts share an OID.
Result<std::shared_ptr<const Snapshot>> merge_snapshots(std::span<const std::shared_ptr<const Snapshot>> parts);

}  // namespace mwx
