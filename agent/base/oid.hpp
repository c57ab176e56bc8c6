#pragma once
// Object identifiers as plain arc arrays, with no net-snmp header involved.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mwx {

// The same integer type as net-snmp's `oid` (u_long); the AgentX adapter
// static_asserts this, so snapshot OIDs are handed to net-snmp uncopied.
using OidArc = unsigned long;
using Oid = std::vector<OidArc>;
using OidView = std::span<const OidArc>;

// Lexicographic order of RFC 2578: a prefix sorts before its extensions.
int compare_oids(OidView a, OidView b) noexcept;

// Appends an index component for an OCTET STRING of variable length
// (not IMPLIED): the length, then one arc per byte.
void append_string_index(Oid& oid, std::string_view text);

// Whether a backend's name can be a string index that every manager can
// print and type: 1 to `max_length` bytes of printable ASCII.
bool is_printable_index(std::string_view text, std::size_t max_length);

Oid concat(OidView prefix, std::initializer_list<OidArc> tail);

std::string format_oid(OidView oid);  // ".1.3.6.1..."

}  // namespace mwx
