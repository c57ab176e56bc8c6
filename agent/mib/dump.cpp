#include "agent/mib/dump.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace mwx {
namespace {

// net-snmp's tools print an Unsigned32 as Gauge32: the two share a tag.
std::string_view printed_type_name(SnmpType type) {
  return type == SnmpType::Unsigned32 ? snmp_type_name(SnmpType::Gauge32) : snmp_type_name(type);
}

// MwxHundredthsPercent's DISPLAY-HINT "d-2", as net-snmp applies it: 10 is
// ".10", 10000 "100.00".
std::string hundredths(std::uint64_t number) {
  const std::uint64_t whole = number / 100, fraction = number % 100;
  return (whole == 0 ? std::string() : std::to_string(whole)) + "." + (fraction < 10 ? "0" : "") +
         std::to_string(fraction);
}

void print_value(const AnsweredValue& value, const MibObject* object, std::ostream& out) {
  const Syntax syntax = object ? object->syntax : Syntax{};
  if (value.type != SnmpType::OctetString) {
    out << printed_type_name(value.type) << ": ";
    if (value.type == SnmpType::Integer) {
      out << display_value(syntax, static_cast<std::int64_t>(value.number));
    } else if (syntax.convention == kHundredthsPercent.convention) {
      out << hundredths(value.number);
    } else {
      out << value.number;
    }
    if (object && !object->units.empty()) out << ' ' << object->units;
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
  // Every text column is a DisplayString, whose DISPLAY-HINT "255a" has
  // snmpwalk print it bare.
  if (printable) {
    out << "STRING: " << value.text;
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
    print_value(Snapshot::value_of(at.entry(), now), object, out);
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
