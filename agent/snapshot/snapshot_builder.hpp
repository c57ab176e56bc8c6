#pragma once
// Collects the entries rows write, in any order, and compiles them into a
// Snapshot.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/base/oid.hpp"
#include "agent/base/result.hpp"
#include "agent/snapshot/front_coded_oids.hpp"
#include "agent/snapshot/snapshot.hpp"

namespace mwx {

// Which column of which table an entry is a cell of. Rows come one after
// another in index order, so the cells of one column arrive in OID order
// even when a row's cells sort before the previous row's. The builder codes
// entries into lanes as they come, each lane in OID order, and build()
// merges the lanes: a column gets a lane of its own once its cells stop
// following the lane it shared (from the second row on), so a table
// written row by row costs a lane per column, not one per row. Only a
// hint: an entry below its lane's last starts a new lane.
struct SnapshotLane {
  const void* table = nullptr;
  OidArc column = 0;
  bool operator==(const SnapshotLane&) const = default;
};

class SnapshotBuilder {
 public:
  using InstanceSlot = Snapshot::InstanceSlot;
  using Lane = SnapshotLane;

  InstanceSlot add_instance(SteadyTime last_poll_end, std::chrono::nanoseconds stale_after);

  void add_number(OidView oid, SnmpType type, std::uint64_t value, InstanceSlot instance = Snapshot::kNoInstance,
                  bool is_data = false, Lane lane = {});
  void add_text(OidView oid, std::string_view text, InstanceSlot instance = Snapshot::kNoInstance,
                bool is_data = false, Lane lane = {});
  void add_seconds_since(OidView oid, SteadyTime since, InstanceSlot instance, bool is_data = false, Lane lane = {});
  void add_status(OidView oid, InstanceStatus status, InstanceSlot instance, Lane lane = {});

  // Fails when two entries share an OID (a binding bug, never served) or an
  // OID is longer than SNMP allows.
  Result<std::shared_ptr<const Snapshot>> build() &&;

 private:
  static constexpr Snapshot::Index kEndOfLane = 0xffffffff;
  // An entry as it came: its key is coded against the one before it in its lane.
  struct Staged {
    std::uint32_t key_offset;
    Snapshot::Index next_in_lane;
  };
  struct OpenLane {
    Snapshot::Index first;
    Snapshot::Index last;
    Oid last_key;
  };
  static constexpr std::uint32_t kNoLane = 0xffffffff;
  // The lane of each column of one table, by column arc.
  struct TableLanes {
    const void* table;
    std::vector<std::uint32_t> of_column;
  };
  class LaneCursor;

  void add(Lane hint, OidView oid, std::uint64_t number, std::string_view text, Snapshot::Meta meta);
  // The lane an entry goes to, opened if none takes it, and how many arcs
  // the entry shares with that lane's last key.
  struct LaneChoice {
    std::size_t lane;
    std::size_t shared;
  };
  LaneChoice lane_for(Lane hint, OidView oid);
  // Where the lane of a hint's column is kept (kNoLane: none yet).
  std::uint32_t& lane_of(Lane hint);

  KeyBytes keys_;
  std::vector<Staged> staged_;
  Snapshot::Values values_;
  std::vector<Snapshot::InstanceClock> clocks_;
  std::vector<OpenLane> lanes_;
  std::vector<TableLanes> tables_;
  std::size_t last_lane_ = 0;
  std::size_t last_table_ = 0;
  std::string error_;
};

}  // namespace mwx
