#include "agent/dump.hpp"

#include <algorithm>
#include <cstdio>

namespace mwx {
namespace {

void print_value(const AnsweredValue& value, const Syntax& syntax, std::ostream& out) {
  if (value.type != SnmpType::OctetString) {
    out << snmp_type_name(value.type) << ": ";
    if (value.type == SnmpType::Integer) {
      out << display_value(syntax, static_cast<std::int64_t>(value.number));
    } else {
      out << value.number;
    }
    return;
  }
  if (syntax.is_date_and_time()) {
    if (const auto text = display_date_and_time(value.text); !text.empty()) {
      out << "STRING: " << text;
      return;
    }
  }
  const bool printable = std::all_of(value.text.begin(), value.text.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
  if (printable) {
    out << "STRING: \"" << value.text << '"';
    return;
  }
  out << "Hex-STRING:";
  char hex[4];
  for (unsigned char c : value.text) {
    std::snprintf(hex, sizeof hex, " %02X", c);
    out << hex;
  }
}

}  // namespace

void print_snapshot(const Snapshot& snapshot, const MibCatalog& catalog, std::ostream& out) {
  const SteadyTime now = std::chrono::steady_clock::now();
  for (Snapshot::Cursor at(snapshot); !at.done(); at.advance()) {
    if (!Snapshot::visible(at.entry(), now)) continue;
    const MibObject* object = catalog.object_for(at.oid());
    out << "MWAGENTX-MIB::" << catalog.describe(at.oid()) << " = ";
    print_value(Snapshot::value_of(at.entry(), now), object ? object->syntax : Syntax{}, out);
    out << '\n';
  }
}

void print_catalog(const MibCatalog& catalog, std::ostream& out) {
  // Tab-separated: an enumeration has spaces.
  for (const auto& object : catalog.objects()) {
    out << object.name << '\t' << format_oid(object.oid) << '\t' << snmp_type_name(object.type) << '\t'
        << syntax_text(object.syntax) << '\t' << object.units << '\n';
  }
}

}  // namespace mwx
