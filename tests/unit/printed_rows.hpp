#pragma once
// Renders the rows a subsystem writes for one instance as --dump prints
// them, for golden files and for looking values up by name.

#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <sstream>
#include <string>

#include "agent/mib/agent_group.hpp"
#include "agent/mib/dump.hpp"
#include "agent/mib/row_writer.hpp"
#include "agent/subsystem.hpp"

namespace mwx::test {

// `write` gets the builder, the instance row's writer and the encoded
// instance name, as a subsystem's write_rows would.
inline std::string printed_rows(const Oid& entry_oid, const std::string& instance,
                                const std::function<void(SnapshotBuilder&, RowWriter&, OidView)>& write) {
  SnapshotBuilder builder;
  Oid index;
  append_string_index(index, instance);
  RowWriter row(builder, entry_oid, index, Snapshot::kNoInstance);
  write(builder, row, index);
  auto snapshot = std::move(builder).build();
  if (!snapshot) return "build failed: " + snapshot.error();
  const MibCatalog catalog = full_catalog();
  // A column written but not declared in its table's column list would be
  // served without a name: the test that prints it fails.
  for (Snapshot::Cursor at(*snapshot.value()); !at.done(); at.advance()) {
    if (catalog.object_for(at.oid()) == nullptr) ADD_FAILURE() << "no MIB object declares " << format_oid(at.oid());
  }
  std::ostringstream out;
  print_snapshot(*snapshot.value(), catalog, out);
  // The ages beside DateAndTime columns count from the wall clock of the
  // test run: golden files hold a placeholder.
  static const std::regex wall_clock_age(
      R"(((?:DiscontinuityAge|LastChangeAge|LastFailoverAge)\.[^ ]* = Gauge32: )\d+)");
  return std::regex_replace(out.str(), wall_clock_age, "$1(age)");
}

}  // namespace mwx::test
