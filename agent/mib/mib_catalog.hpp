#pragma once
// Names of the MIB objects mwagentx serves, for --dump and for the test
// that holds the bindings and MWAGENTX-MIB.txt to each other.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/base/oid.hpp"
#include "agent/mib/cells.hpp"
#include "agent/mib/column.hpp"
#include "agent/snapshot/snapshot.hpp"

namespace mwx {

// InetAddress: length-prefixed like String; printed as an address when it
// holds 4 or 16 octets.
enum class IndexKind { String, Integer, InetAddress };

struct MibObject {
  std::string name;  // "mwxMemcachedCurrConnections"
  Oid oid;           // of the scalar or of the column
  SnmpType type;
  std::vector<IndexKind> index;  // empty for a scalar
  Syntax syntax;
  std::string_view units;
};

// "{up(1), down(2)}" as snmptranslate -Td prints an enumeration; "DateAndTime";
// empty for the others.
std::string syntax_text(const Syntax& syntax);
// A value as snmpwalk prints it: "up(1)", "2026-12-1,21:17:45.0,+0:0".
std::string display_value(const Syntax& syntax, std::int64_t number);
std::string display_date_and_time(std::string_view octets);

class MibCatalog {
 public:
  // Scalars `group.arc.0`, one per column of the list.
  void add_scalars(OidView group, ColumnList scalars);
  // The columns of a table under `entry_oid`, indexed by `index`.
  void add_columns(OidView entry_oid, const std::vector<IndexKind>& index, ColumnList columns);
  void add_column(OidView entry_oid, const std::vector<IndexKind>& index, const Column& column);
  template <class Row>
  void add_cells(OidView entry_oid, const std::vector<IndexKind>& index, CellList<Row> cells) {
    for (const auto& c : cells) add_column(entry_oid, index, c.column);
  }
  // The columns every instance table has (agent/poll/instance.hpp), named
  // PREFIX + suffix: mwxMemcachedStatus.
  void add_instance_columns(std::string_view prefix, OidView entry_oid);

  const std::vector<MibObject>& objects() const { return objects_; }
  // The object an instance OID belongs to, or nullptr.
  const MibObject* object_for(OidView instance_oid) const;
  // "mwxMemcachedCurrConnections.\"sessions\"", as snmpwalk prints names.
  std::string describe(OidView instance_oid) const;

 private:
  void add(std::string name, Oid oid, const Column& column, std::vector<IndexKind> index);

  std::vector<MibObject> objects_;    // in the order added: --list-objects prints them so
  std::vector<std::size_t> by_oid_;   // positions in objects_, sorted by OID
};

}  // namespace mwx
