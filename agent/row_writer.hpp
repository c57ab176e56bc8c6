#pragma once
// Writes the cells of one table row into a SnapshotBuilder:
// OID = entry OID . column . index.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "agent/snapshot.hpp"

namespace mwx {

class RowWriter {
 public:
  RowWriter(SnapshotBuilder& out, OidView entry_oid, OidView index, Snapshot::InstanceSlot instance)
      : out_(out), entry_(entry_oid), index_(index), instance_(instance) {}

  Oid oid(OidArc column) const;

  // Data columns: hidden while the instance is stale.
  void number(OidArc column, SnmpType type, std::uint64_t value);
  void number(OidArc column, SnmpType type, std::optional<std::uint64_t> value);  // absent if nullopt
  void integer(OidArc column, std::int64_t value);  // Integer32
  void text(OidArc column, std::string_view value);
  // A DateAndTime column and, beside it, the Unsigned32 age in seconds.
  void time_and_age(OidArc time_column, OidArc age_column, std::chrono::system_clock::time_point time);

  // Columns that describe the instance itself and stay visible.
  void meta_text(OidArc column, std::string_view value);
  void meta_number(OidArc column, SnmpType type, std::uint64_t value);
  void meta_seconds_since(OidArc column, SteadyTime since);
  void meta_status(OidArc column, InstanceStatus status);

  Snapshot::InstanceSlot instance() const { return instance_; }

 private:
  SnapshotBuilder& out_;
  OidView entry_;
  OidView index_;
  Snapshot::InstanceSlot instance_;
};

}  // namespace mwx
