#include "agent/snapshot.hpp"

#include <algorithm>
#include <queue>

namespace mwx {

std::string_view snmp_type_name(SnmpType type) {
  switch (type) {
    case SnmpType::Integer: return "INTEGER";
    case SnmpType::OctetString: return "STRING";
    case SnmpType::Counter32: return "Counter32";
    case SnmpType::Gauge32: return "Gauge32";
    case SnmpType::Unsigned32: return "Unsigned32";
    case SnmpType::Counter64: return "Counter64";
  }
  return "?";
}

std::string_view status_name(InstanceStatus status) {
  switch (status) {
    case InstanceStatus::up: return "up";
    case InstanceStatus::down: return "down";
    case InstanceStatus::stale: return "stale";
    case InstanceStatus::degraded: return "degraded";
    case InstanceStatus::not_present: return "notPresent";
    case InstanceStatus::pending: return "pending";
  }
  return "?";
}

bool Snapshot::visible(const Entry& e, SteadyTime now) const {
  return !e.is_data || e.instance == kNoInstance || !clocks_[e.instance].stale_at(now);
}

const Snapshot::Entry* Snapshot::find(OidView oid, SteadyTime now) const {
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), oid, [this](const Entry& e, OidView key) {
    return compare_oids(oid_of(e), key) < 0;
  });
  if (it == entries_.end() || compare_oids(oid_of(*it), oid) != 0 || !visible(*it, now)) return nullptr;
  return &*it;
}

const Snapshot::Entry* Snapshot::next(OidView oid, SteadyTime now) const {
  auto it = std::upper_bound(entries_.begin(), entries_.end(), oid, [this](OidView key, const Entry& e) {
    return compare_oids(key, oid_of(e)) < 0;
  });
  // Only the data of a stale instance is skipped here; that is the rare case
  // of a collector that stopped publishing, so a linear skip is acceptable.
  while (it != entries_.end() && !visible(*it, now)) ++it;
  return it == entries_.end() ? nullptr : &*it;
}

AnsweredValue Snapshot::value_of(const Entry& e, SteadyTime now) const {
  switch (e.evaluation) {
    case Evaluation::Stored:
      return {e.type, e.number, std::string_view(texts_).substr(e.text_offset, e.text_length)};
    case Evaluation::SecondsSince: {
      const SteadyTime since{SteadyTime::duration(static_cast<SteadyTime::rep>(e.number))};
      const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - since).count();
      return {e.type, static_cast<std::uint64_t>(std::max<decltype(seconds)>(seconds, 0)), {}};
    }
    case Evaluation::Status: {
      const bool stale = e.instance != kNoInstance && clocks_[e.instance].stale_at(now);
      return {e.type, stale ? static_cast<std::uint64_t>(InstanceStatus::stale) : e.number, {}};
    }
  }
  return {e.type, 0, {}};
}

SnapshotBuilder::InstanceSlot SnapshotBuilder::add_instance(SteadyTime last_poll_end,
                                                            std::chrono::nanoseconds stale_after) {
  clocks_.push_back({last_poll_end, stale_after});
  return static_cast<InstanceSlot>(clocks_.size() - 1);
}

void SnapshotBuilder::add_number(Oid oid, SnmpType type, std::uint64_t value, InstanceSlot instance,
                                 bool is_data) {
  pending_.push_back({std::move(oid), {}, value, type, Evaluation::Stored, is_data, instance});
}

void SnapshotBuilder::add_text(Oid oid, std::string_view text, InstanceSlot instance, bool is_data) {
  pending_.push_back(
      {std::move(oid), std::string(text), 0, SnmpType::OctetString, Evaluation::Stored, is_data, instance});
}

void SnapshotBuilder::add_seconds_since(Oid oid, SteadyTime since, InstanceSlot instance, bool is_data) {
  pending_.push_back({std::move(oid), {}, static_cast<std::uint64_t>(since.time_since_epoch().count()),
                      SnmpType::Unsigned32, Evaluation::SecondsSince, is_data, instance});
}

void SnapshotBuilder::add_status(Oid oid, InstanceStatus status, InstanceSlot instance) {
  pending_.push_back({std::move(oid), {}, static_cast<std::uint64_t>(status), SnmpType::Integer,
                      Evaluation::Status, false, instance});
}

Result<std::shared_ptr<const Snapshot>> SnapshotBuilder::build() && {
  // Sort positions, not the entries: moving an entry moves its OID and text.
  std::vector<std::uint32_t> order(pending_.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  // Rows are written a column after another, so the entries come in runs
  // already in OID order (a row, a table written column by column): merging
  // the runs costs a pass per doubling of run length, where sorting was the
  // costliest step of a memcached poll.
  const auto before = [this](std::uint32_t a, std::uint32_t b) {
    return compare_oids(pending_[a].oid, pending_[b].oid) < 0;
  };
  std::vector<std::size_t> runs{0};
  for (std::size_t i = 1; i < order.size(); ++i) {
    if (before(order[i], order[i - 1])) runs.push_back(i);
  }
  runs.push_back(order.size());
  while (runs.size() > 2) {
    std::vector<std::size_t> merged{0};
    for (std::size_t r = 0; r + 2 < runs.size(); r += 2) {
      std::inplace_merge(order.begin() + runs[r], order.begin() + runs[r + 1], order.begin() + runs[r + 2], before);
      merged.push_back(runs[r + 2]);
    }
    if (runs.size() % 2 == 0) merged.push_back(runs.back());  // an odd run out waits for the next pass
    runs = std::move(merged);
  }
  auto snapshot = std::make_shared<Snapshot>();
  std::size_t arcs = 0, text = 0;
  for (const auto& p : pending_) {
    arcs += p.oid.size();
    text += p.text.size();
  }
  snapshot->arcs_.reserve(arcs);
  snapshot->texts_.reserve(text);
  snapshot->entries_.reserve(pending_.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Pending& p = pending_[order[i]];
    if (i > 0 && compare_oids(pending_[order[i - 1]].oid, p.oid) == 0) {
      return Error{"two values for the same OID " + format_oid(p.oid)};
    }
    snapshot->entries_.push_back({static_cast<std::uint32_t>(snapshot->arcs_.size()),
                                  static_cast<std::uint32_t>(p.oid.size()),
                                  static_cast<std::uint32_t>(snapshot->texts_.size()),
                                  static_cast<std::uint32_t>(p.text.size()), p.number, p.type, p.evaluation,
                                  p.is_data, p.instance});
    snapshot->arcs_.insert(snapshot->arcs_.end(), p.oid.begin(), p.oid.end());
    snapshot->texts_ += p.text;
  }
  snapshot->clocks_ = std::move(clocks_);
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

Result<std::shared_ptr<const Snapshot>> merge_snapshots(std::span<const std::shared_ptr<const Snapshot>> parts) {
  auto merged = std::make_shared<Snapshot>();
  std::size_t entries = 0, arcs = 0, text = 0;
  std::vector<std::size_t> clock_offset;
  for (const auto& part : parts) {
    entries += part->entries_.size();
    arcs += part->arcs_.size();
    text += part->texts_.size();
    clock_offset.push_back(merged->clocks_.size());
    merged->clocks_.insert(merged->clocks_.end(), part->clocks_.begin(), part->clocks_.end());
  }
  if (merged->clocks_.size() >= Snapshot::kNoInstance) return Error{"too many instances for one snapshot"};
  merged->entries_.reserve(entries);
  merged->arcs_.reserve(arcs);
  merged->texts_.reserve(text);

  struct Cursor {
    std::size_t part;
    std::size_t at;
  };
  auto oid_at = [&](const Cursor& c) { return parts[c.part]->oid_of(parts[c.part]->entries_[c.at]); };
  auto later = [&](const Cursor& a, const Cursor& b) { return compare_oids(oid_at(a), oid_at(b)) > 0; };
  std::priority_queue<Cursor, std::vector<Cursor>, decltype(later)> heads(later);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i]->entries_.empty()) heads.push({i, 0});
  }
  while (!heads.empty()) {
    const Cursor c = heads.top();
    heads.pop();
    const Snapshot& part = *parts[c.part];
    Snapshot::Entry entry = part.entries_[c.at];
    const OidView oid = part.oid_of(entry);
    if (!merged->entries_.empty() && compare_oids(merged->oid_of(merged->entries_.back()), oid) == 0) {
      return Error{"two values for the same OID " + format_oid(oid)};
    }
    entry.oid_offset = static_cast<std::uint32_t>(merged->arcs_.size());
    merged->arcs_.insert(merged->arcs_.end(), oid.begin(), oid.end());
    const std::string_view entry_text = std::string_view(part.texts_).substr(entry.text_offset, entry.text_length);
    entry.text_offset = static_cast<std::uint32_t>(merged->texts_.size());
    merged->texts_ += entry_text;
    if (entry.instance != Snapshot::kNoInstance) {
      entry.instance = static_cast<Snapshot::InstanceSlot>(entry.instance + clock_offset[c.part]);
    }
    merged->entries_.push_back(entry);
    if (c.at + 1 < part.entries_.size()) heads.push({c.part, c.at + 1});
  }
  return std::shared_ptr<const Snapshot>(std::move(merged));
}

}  // namespace mwx
