#pragma once
// Writes the cells of one table row into a SnapshotBuilder:
// OID = entry OID . column . index.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "agent/mib/cells.hpp"
#include "agent/mib/column.hpp"
#include "agent/snapshot/snapshot_builder.hpp"

namespace mwx {

// The label of a row in a table nested under an instance: the instance's
// name, '/', the row's own name ("sessions/5", "jobs/resize"). Unique across
// the table, so that a manager naming rows by label never shows two alike.
std::string nested_label(std::string_view instance, std::string_view row);

class RowWriter {
 public:
  RowWriter(SnapshotBuilder& out, OidView entry_oid, OidView index, Snapshot::InstanceSlot instance)
      : out_(out), entry_(entry_oid), index_(index), instance_(instance) {}

  // Data columns, served as the column's type; hidden while the instance is
  // stale.
  void number(const Column& column, std::uint64_t value);
  void number(const Column& column, std::optional<std::uint64_t> value);  // absent if nullopt
  void integer(const Column& column, std::int64_t value);  // Integer32 and enums
  void text(const Column& column, std::string_view value);

  // A declared list of cells, each read from `source`. A time point goes
  // to a DateAndTime column as the date, to the Unsigned32 age beside it as
  // the seconds since, counted at answer time.
  template <class Row>
  void cells(CellList<Row> cells, const Row& source) {
    for (const auto& c : cells) cell(c.column, c.read(source));
  }
  void cell(const Column& column, const CellValue& value);

  // Columns that describe the instance itself and stay visible.
  void meta_text(const Column& column, std::string_view value);
  void meta_number(const Column& column, std::uint64_t value);
  void meta_seconds_since(const Column& column, SteadyTime since);
  void meta_status(const Column& column, InstanceStatus status);

  Snapshot::InstanceSlot instance() const { return instance_; }

 private:
  // The cell's OID, in storage reused for every cell of the row.
  OidView oid(const Column& column);
  SnapshotBuilder::Lane lane(const Column& column) const { return {entry_.data(), column.arc}; }

  SnapshotBuilder& out_;
  OidView entry_;
  OidView index_;
  Snapshot::InstanceSlot instance_;
  Oid cell_;
};

}  // namespace mwx
