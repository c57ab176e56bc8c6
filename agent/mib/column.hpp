#pragma once
// The one declaration of a MIB column: its arc under the table's entry, its
// object name, the SNMP type it is served as, and what the MIB declares
// beyond that type (an enumeration or DateAndTime, UNITS). Writing a row
// (agent/mib/row_writer.hpp), the catalog behind --list-objects and --dump
// (agent/mib/mib_catalog.hpp) and the MIB cross-check test all read it; nothing
// else states a column's arc, name or type again.

#include <cstdint>
#include <span>
#include <string_view>

#include "agent/base/oid.hpp"
#include "agent/snapshot/snapshot.hpp"

namespace mwx {

// A named number of an enumerated INTEGER: up(1).
struct EnumLabel {
  std::int64_t value;
  std::string_view name;
};

// What the MIB declares beyond the SNMP type: an enumeration, or the textual
// convention that changes how a value reads (a date, a level carried as
// Counter64, a scaled ratio), so that --dump prints values as snmpwalk does
// with the MIB loaded and the manager templates graph levels as levels.
struct Syntax {
  std::span<const EnumLabel> enums;   // an enumerated INTEGER
  std::string_view convention = {};  // "DateAndTime", "MwxGauge64", "MwxHundredthsPercent"

  bool is_date_and_time() const { return convention == "DateAndTime"; }
};

// The enums that several tables share, as their textual conventions list them.
inline constexpr EnumLabel kInstanceStatusLabels[] = {{1, "up"},       {2, "down"},       {3, "stale"},
                                                      {4, "degraded"}, {5, "notPresent"}, {6, "pending"}};
inline constexpr EnumLabel kTruthValueLabels[] = {{1, "true"}, {2, "false"}};
// A TruthValue's number: true(1), false(2).
constexpr std::int64_t truth_value(bool value) { return kTruthValueLabels[value ? 0 : 1].value; }
inline constexpr EnumLabel kInetAddressTypeLabels[] = {{0, "unknown"}, {1, "ipv4"},  {2, "ipv6"},
                                                       {3, "ipv4z"},   {4, "ipv6z"}, {16, "dns"}};
inline constexpr Syntax kDateAndTime{{}, "DateAndTime"};
inline constexpr Syntax kGauge64{{}, "MwxGauge64"};  // RFC 2856 CounterBasedGauge64: travels as Counter64
inline constexpr Syntax kHundredthsPercent{{}, "MwxHundredthsPercent"};

struct Column {
  OidArc arc;
  std::string_view name;  // "mwxMemcachedCurrConnections"
  SnmpType type;
  Syntax syntax = {};
  std::string_view units = {};  // the MIB's UNITS clause, if any
};

// The columns of one MIB table, in arc order, as the catalog lists them.
using ColumnList = std::span<const Column* const>;

}  // namespace mwx
