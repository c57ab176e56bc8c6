#pragma once
// The immutable, compiled form of everything mwagentx serves: one array of
// (OID, type, value) sorted by OID. SNMP handlers answer GET with a binary
// search and GETNEXT with upper_bound; nothing is allocated per request.

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/oid.hpp"
#include "agent/result.hpp"

namespace mwx {

using SteadyTime = std::chrono::steady_clock::time_point;

// The steady-clock time of a wall-clock time, for answering its age.
inline SteadyTime steady_time_of(std::chrono::system_clock::time_point time) {
  const auto ago = std::chrono::system_clock::now() - time;
  return std::chrono::steady_clock::now() - std::chrono::duration_cast<SteadyTime::duration>(ago);
}

enum class SnmpType : std::uint8_t { Integer, OctetString, Counter32, Gauge32, Unsigned32, Counter64 };

std::string_view snmp_type_name(SnmpType type);  // as snmpwalk prints it: "Counter64"

// The values of MwxInstanceStatus.
enum class InstanceStatus : int { up = 1, down = 2, stale = 3, degraded = 4, not_present = 5, pending = 6 };
std::string_view status_name(InstanceStatus status);  // as the MIB names it: "notPresent"

// How an entry becomes the value that is answered. Two columns depend on the
// time of the request, not of the poll; they are computed when asked.
enum class Evaluation : std::uint8_t {
  Stored,        // the stored number or text
  SecondsSince,  // number holds a steady-clock time; answer the whole seconds since then
  Status,        // number holds the InstanceStatus of the last poll; answer stale when overdue
};

struct AnsweredValue {
  SnmpType type;
  std::uint64_t number;   // for every type but OctetString (Integer is sign-extended)
  std::string_view text;  // for OctetString
};

class Snapshot {
 public:
  using InstanceSlot = std::uint16_t;
  static constexpr InstanceSlot kNoInstance = 0xffff;

  struct Entry {
    std::uint32_t oid_offset;
    std::uint32_t oid_length;
    std::uint32_t text_offset;
    std::uint32_t text_length;
    std::uint64_t number;
    SnmpType type;
    Evaluation evaluation;
    bool is_data;  // hidden while its instance is stale
    InstanceSlot instance;
  };

  // When the polls of one instance count as overdue.
  struct InstanceClock {
    SteadyTime last_poll_end;
    std::chrono::nanoseconds stale_after;
    bool stale_at(SteadyTime now) const { return now - last_poll_end > stale_after; }
  };

  Snapshot() = default;

  // Exact match, or nullptr (noSuchInstance).
  const Entry* find(OidView oid, SteadyTime now) const;
  // The first visible entry after `oid`, or nullptr past the end.
  const Entry* next(OidView oid, SteadyTime now) const;

  OidView oid_of(const Entry& e) const { return {arcs_.data() + e.oid_offset, e.oid_length}; }
  AnsweredValue value_of(const Entry& e, SteadyTime now) const;
  std::span<const Entry> entries() const { return entries_; }
  bool visible(const Entry& e, SteadyTime now) const;

 private:
  friend class SnapshotBuilder;
  friend Result<std::shared_ptr<const Snapshot>> merge_snapshots(
      std::span<const std::shared_ptr<const Snapshot>> parts);
  std::vector<OidArc> arcs_;
  std::string texts_;
  std::vector<Entry> entries_;
  std::vector<InstanceClock> clocks_;
};

// Collects entries in any order and compiles them into a Snapshot.
class SnapshotBuilder {
 public:
  using InstanceSlot = Snapshot::InstanceSlot;

  InstanceSlot add_instance(SteadyTime last_poll_end, std::chrono::nanoseconds stale_after);

  void add_number(Oid oid, SnmpType type, std::uint64_t value, InstanceSlot instance = Snapshot::kNoInstance,
                  bool is_data = false);
  void add_text(Oid oid, std::string_view text, InstanceSlot instance = Snapshot::kNoInstance,
                bool is_data = false);
  void add_seconds_since(Oid oid, SteadyTime since, InstanceSlot instance, bool is_data = false);
  void add_status(Oid oid, InstanceStatus status, InstanceSlot instance);

  // Fails when two entries share an OID: that is a binding bug, never served.
  Result<std::shared_ptr<const Snapshot>> build() &&;

 private:
  struct Pending {
    Oid oid;
    std::string text;
    std::uint64_t number;
    SnmpType type;
    Evaluation evaluation;
    bool is_data;
    InstanceSlot instance;
  };
  std::vector<Pending> pending_;
  std::vector<Snapshot::InstanceClock> clocks_;
};

// Merges snapshots into one (a k-way merge: each part is sorted already).
// The poller keeps one part per instance, rendered when that instance was
// polled, so publishing costs O(n log parts) and no instance is re-rendered.
// Fails when two parts share an OID.
Result<std::shared_ptr<const Snapshot>> merge_snapshots(std::span<const std::shared_ptr<const Snapshot>> parts);

}  // namespace mwx
