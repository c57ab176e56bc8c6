#include "agent/mib_catalog.hpp"

#include <algorithm>

namespace mwx {
namespace {

bool is_prefix(OidView prefix, OidView oid) {
  return prefix.size() <= oid.size() && std::equal(prefix.begin(), prefix.end(), oid.begin());
}

// 192.168.0.22, or eight colon-separated hex groups for IPv6.
std::string address_text(OidView octets) {
  std::string out;
  if (octets.size() == 4) {
    for (std::size_t i = 0; i < 4; ++i) out += (i ? "." : "") + std::to_string(octets[i] & 0xff);
    return out;
  }
  static const char* hex = "0123456789abcdef";
  for (std::size_t i = 0; i < octets.size(); i += 2) {
    if (i) out += ':';
    const unsigned group = ((octets[i] & 0xff) << 8) | (octets[i + 1] & 0xff);
    bool leading = true;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned digit = (group >> shift) & 0xf;
      if (digit == 0 && leading && shift > 0) continue;
      leading = false;
      out += hex[digit];
    }
  }
  return out;
}

// Renders the index part of an instance OID, or nullopt if it does not decode.
std::string describe_index(const MibObject& object, OidView suffix) {
  std::string out;
  std::size_t at = 0;
  for (IndexKind kind : object.index) {
    if (at >= suffix.size()) return {};
    out += '.';
    if (kind == IndexKind::Integer) {
      out += std::to_string(suffix[at++]);
      continue;
    }
    const std::size_t length = suffix[at++];
    if (at + length > suffix.size()) return {};
    out += '"';
    if (kind == IndexKind::InetAddress && (length == 4 || length == 16)) {
      out += address_text(suffix.subspan(at, length));
    } else {
      for (std::size_t i = 0; i < length; ++i) out += static_cast<char>(suffix[at + i]);
    }
    out += '"';
    at += length;
  }
  return at == suffix.size() ? out : std::string{};
}

}  // namespace

void MibCatalog::add_scalar(std::string name, Oid oid, SnmpType type) {
  objects_.push_back({std::move(name), std::move(oid), type, {}});
}

void MibCatalog::add_column(std::string name, Oid column_oid, SnmpType type, std::vector<IndexKind> index) {
  objects_.push_back({std::move(name), std::move(column_oid), type, std::move(index)});
}

const MibObject* MibCatalog::object_for(OidView instance_oid) const {
  const auto it = std::find_if(objects_.begin(), objects_.end(),
                               [&](const MibObject& o) { return is_prefix(o.oid, instance_oid); });
  return it == objects_.end() ? nullptr : &*it;
}

std::string MibCatalog::describe(OidView instance_oid) const {
  const MibObject* object = object_for(instance_oid);
  if (object == nullptr) return format_oid(instance_oid);
  const OidView suffix = instance_oid.subspan(object->oid.size());
  if (object->index.empty()) {
    return suffix.size() == 1 && suffix[0] == 0 ? object->name + ".0" : format_oid(instance_oid);
  }
  const std::string index = describe_index(*object, suffix);
  return index.empty() ? format_oid(instance_oid) : object->name + index;
}

}  // namespace mwx

namespace mwx {

void add_instance_columns(MibCatalog& catalog, const std::string& prefix, OidView entry_oid) {
  const std::vector<IndexKind> index{IndexKind::String};
  catalog.add_column(prefix + "Endpoint", concat(entry_oid, {2}), SnmpType::OctetString, index);
  catalog.add_column(prefix + "Status", concat(entry_oid, {3}), SnmpType::Integer, index);
  catalog.add_column(prefix + "LastPollAge", concat(entry_oid, {4}), SnmpType::Unsigned32, index);
  catalog.add_column(prefix + "LastError", concat(entry_oid, {5}), SnmpType::OctetString, index);
}

}  // namespace mwx
