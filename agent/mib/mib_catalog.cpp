#include "agent/mib/mib_catalog.hpp"

#include <algorithm>
#include <iterator>

#include "agent/base/inet_address.hpp"
#include "agent/mib/instance_columns.hpp"

namespace mwx {
namespace {

bool is_prefix(OidView prefix, OidView oid) {
  return prefix.size() <= oid.size() && std::equal(prefix.begin(), prefix.end(), oid.begin());
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
      std::string octets;
      for (std::size_t i = 0; i < length; ++i) octets += static_cast<char>(suffix[at + i]);
      out += address_text(octets);
    } else {
      for (std::size_t i = 0; i < length; ++i) out += static_cast<char>(suffix[at + i]);
    }
    out += '"';
    at += length;
  }
  return at == suffix.size() ? out : std::string{};
}

}  // namespace

std::string syntax_text(const Syntax& syntax) {
  if (syntax.enums.empty()) return std::string(syntax.convention);
  std::string out = "{";
  for (const auto& label : syntax.enums) {
    out += (out.size() > 1 ? ", " : "") + std::string(label.name) + "(" + std::to_string(label.value) + ")";
  }
  return out + "}";
}

std::string display_value(const Syntax& syntax, std::int64_t number) {
  for (const auto& label : syntax.enums) {
    if (label.value == number) return std::string(label.name) + "(" + std::to_string(number) + ")";
  }
  return std::to_string(number);
}

std::string display_date_and_time(std::string_view octets) {
  if (octets.size() != 8 && octets.size() != 11) return {};
  const auto byte = [&](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(octets[i])); };
  // DISPLAY-HINT "2d-1d-1d,1d:1d:1d.1d,1a1d:1d"
  std::string out = std::to_string(byte(0) << 8 | byte(1)) + "-" + std::to_string(byte(2)) + "-" +
                    std::to_string(byte(3)) + "," + std::to_string(byte(4)) + ":" + std::to_string(byte(5)) + ":" +
                    std::to_string(byte(6)) + "." + std::to_string(byte(7));
  if (octets.size() == 11) {
    out += "," + std::string(1, octets[8]) + std::to_string(byte(9)) + ":" + std::to_string(byte(10));
  }
  return out;
}

void MibCatalog::add(std::string name, Oid oid, const Column& column, std::vector<IndexKind> index) {
  // Object OIDs are prefix-free (a catalog test holds them to it), so the
  // object an instance OID belongs to is the last one not after it.
  const auto at = std::upper_bound(by_oid_.begin(), by_oid_.end(), oid, [&](const Oid& key, std::size_t i) {
    return compare_oids(key, objects_[i].oid) < 0;
  });
  by_oid_.insert(at, objects_.size());
  objects_.push_back({std::move(name), std::move(oid), column.type, std::move(index), column.syntax, column.units});
}

void MibCatalog::add_scalars(OidView group, ColumnList scalars) {
  for (const Column* c : scalars) add(std::string(c->name), concat(group, {c->arc}), *c, {});
}

void MibCatalog::add_columns(OidView entry_oid, const std::vector<IndexKind>& index, ColumnList columns) {
  for (const Column* c : columns) add_column(entry_oid, index, *c);
}

void MibCatalog::add_column(OidView entry_oid, const std::vector<IndexKind>& index, const Column& column) {
  add(std::string(column.name), concat(entry_oid, {column.arc}), column, index);
}

void MibCatalog::add_instance_columns(std::string_view prefix, OidView entry_oid) {
  for (const Column* c : instance_column::all) {
    add(std::string(prefix) + std::string(c->name), concat(entry_oid, {c->arc}), *c, {IndexKind::String});
  }
}

// A binary search: the SNMP handler asks on every GET that finds no value.
const MibObject* MibCatalog::object_for(OidView instance_oid) const {
  const auto after = std::upper_bound(by_oid_.begin(), by_oid_.end(), instance_oid,
                                      [&](OidView key, std::size_t i) { return compare_oids(key, objects_[i].oid) < 0; });
  if (after == by_oid_.begin()) return nullptr;
  const MibObject& candidate = objects_[*std::prev(after)];
  return is_prefix(candidate.oid, instance_oid) ? &candidate : nullptr;
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
