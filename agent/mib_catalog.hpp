#pragma once
// Names of the MIB objects mwagentx serves, for --dump and for the test
// that holds the bindings and MWAGENTX-MIB.txt to each other.

#include <string>
#include <string_view>
#include <vector>

#include "agent/oid.hpp"
#include "agent/snapshot.hpp"

namespace mwx {

// InetAddress: length-prefixed like String; printed as an address when it
// holds 4 or 16 octets.
enum class IndexKind { String, Integer, InetAddress };

struct MibObject {
  std::string name;  // "mwxMemcachedCurrConnections"
  Oid oid;           // of the scalar or of the column
  SnmpType type;
  std::vector<IndexKind> index;  // empty for a scalar
};

class MibCatalog {
 public:
  void add_scalar(std::string name, Oid oid, SnmpType type);
  void add_column(std::string name, Oid column_oid, SnmpType type, std::vector<IndexKind> index);

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
