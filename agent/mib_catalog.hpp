#pragma once
// Names of the MIB objects mwagentx serves, for --dump and for the test
// that holds the bindings and MWAGENTX-MIB.txt to each other.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/oid.hpp"
#include "agent/snapshot.hpp"

namespace mwx {

// InetAddress: length-prefixed like String; printed as an address when it
// holds 4 or 16 octets.
enum class IndexKind { String, Integer, InetAddress };

// A named number of an enumerated INTEGER: up(1).
struct EnumLabel {
  std::int64_t value;
  std::string_view name;
};

// What the MIB declares beyond the SNMP type, so that --dump prints values
// as snmpwalk does with the MIB loaded.
struct Syntax {
  std::span<const EnumLabel> enums;  // an enumerated INTEGER
  bool date_and_time = false;        // SNMPv2-TC DateAndTime
};

// The enums that several tables share, as their textual conventions list them.
inline constexpr EnumLabel kInstanceStatusLabels[] = {{1, "up"},         {2, "down"},       {3, "stale"},
                                                      {4, "degraded"},   {5, "notPresent"}, {6, "pending"}};
inline constexpr EnumLabel kTruthValueLabels[] = {{1, "true"}, {2, "false"}};
inline constexpr EnumLabel kInetAddressTypeLabels[] = {{0, "unknown"}, {1, "ipv4"},  {2, "ipv6"},
                                                       {3, "ipv4z"},   {4, "ipv6z"}, {16, "dns"}};
inline constexpr Syntax kDateAndTime{{}, true};

struct MibObject {
  std::string name;  // "mwxMemcachedCurrConnections"
  Oid oid;           // of the scalar or of the column
  SnmpType type;
  std::vector<IndexKind> index;  // empty for a scalar
  Syntax syntax;
};

// "{up(1), down(2)}" as snmptranslate -Td prints an enumeration; "DateAndTime";
// empty for the others.
std::string syntax_text(const Syntax& syntax);
// A value as snmpwalk prints it: "up(1)", "2026-12-1,21:17:45.0,+0:0".
std::string display_value(const Syntax& syntax, std::int64_t number);
std::string display_date_and_time(std::string_view octets);

class MibCatalog {
 public:
  void add_scalar(std::string name, Oid oid, SnmpType type, Syntax syntax = {});
  void add_column(std::string name, Oid column_oid, SnmpType type, std::vector<IndexKind> index,
                  Syntax syntax = {});

  const std::vector<MibObject>& objects() const { return objects_; }
  // The object an instance OID belongs to, or nullptr.
  const MibObject* object_for(OidView instance_oid) const;
  // "mwxMemcachedCurrConnections.\"sessions\"", as snmpwalk prints names.
  std::string describe(OidView instance_oid) const;

 private:
  std::vector<MibObject> objects_;
};

}  // namespace mwx

namespace mwx {

// Names the columns every instance table starts with (agent/instance.hpp):
// PREFIXEndpoint, PREFIXStatus, PREFIXLastPollAge, PREFIXLastError.
void add_instance_columns(MibCatalog& catalog, const std::string& prefix, OidView entry_oid);

}  // namespace mwx
