#include "agent/snapshot/snapshot.hpp"

#include <algorithm>
#include <atomic>


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

Snapshot::Snapshot() {
  static std::atomic<std::uint64_t> made{0};
  serial_ = ++made;
}

Snapshot::Cursor::Cursor(const Snapshot& snapshot) : snapshot_(&snapshot), serial_(snapshot.serial_) {
  if (snapshot.layout_ && !snapshot.layout_->segments.empty()) enter(0);
}

Snapshot::Cursor::Cursor(const Snapshot& snapshot, std::size_t segment, std::size_t restart)
    : snapshot_(&snapshot), serial_(snapshot.serial_) {
  at_segment(segment);
  index_ = static_cast<Index>(restart * kRestartEvery);
  at_ = decode_front_coded(keys_->bytes, keys_->restarts[restart], oid_);
}

void Snapshot::Cursor::at_segment(std::size_t segment) {
  const Segment& s = snapshot_->layout_->segments[segment];
  segment_ = segment;
  keys_ = &snapshot_->keys_of(s);
  store_ = snapshot_->store_of(s);
  end_ = s.end;
}

void Snapshot::Cursor::enter(std::size_t segment) {
  at_segment(segment);
  index_ = snapshot_->layout_->segments[segment].begin;
  at_ = keys_->decode(index_, oid_);
}

void Snapshot::Cursor::advance() {
  if (++index_ < end_) {
    at_ = decode_front_coded(keys_->bytes, at_, oid_);
  } else if (segment_ + 1 < snapshot_->layout_->segments.size()) {
    enter(segment_ + 1);
  } else {
    keys_ = nullptr;
  }
}

void Snapshot::Keys::append(Index count, OidView previous, OidView oid) {
  if (count % kRestartEvery == 0) {
    restarts.push_back(static_cast<std::uint32_t>(bytes.size()));
    previous = {};
  }
  append_front_coded(bytes, previous, oid);
}

std::size_t Snapshot::Keys::restart_for(OidView oid) const {
  // The first restart whose key sorts after `oid`; the block before it is
  // where `oid` would be.
  std::size_t low = 0, high = restarts.size();
  OidBuffer key;
  while (low < high) {
    const std::size_t middle = low + (high - low) / 2;
    decode_front_coded(bytes, restarts[middle], key);
    if (compare_oids(key.view(), oid) <= 0) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low == 0 ? 0 : low - 1;
}

std::size_t Snapshot::Keys::decode(Index index, OidBuffer& key) const {
  Index at = index - index % kRestartEvery;
  std::size_t offset = decode_front_coded(bytes, restarts[at / kRestartEvery], key);
  while (at++ < index) offset = decode_front_coded(bytes, offset, key);
  return offset;
}

const Snapshot::Keys& Snapshot::keys_of(const Segment& segment) const {
  switch (segment.source) {
    case kOwnEntries: return keys_;
    case kPlacedEntries: return layout_->keys;
    default: return parts_[segment.source]->keys_;
  }
}

const Snapshot* Snapshot::store_of(const Segment& segment) const {
  switch (segment.source) {
    case kOwnEntries: return this;
    case kPlacedEntries: return nullptr;
    default: return parts_[segment.source].get();
  }
}

std::size_t Snapshot::size() const { return layout_ ? layout_->size : 0; }

Snapshot::Cursor Snapshot::lookup(OidView oid) const {
  // The last segment that begins at or before `oid`. The block its keys
  // find may begin before the segment does: those keys sort below the
  // segment's first, so the scan passes them.
  const auto& segments = layout_->segments;
  const auto after = std::upper_bound(segments.begin(), segments.end(), oid, [](OidView key, const Segment& s) {
    return compare_oids(key, s.first) < 0;
  });
  const std::size_t segment = after == segments.begin() ? 0 : static_cast<std::size_t>(after - segments.begin()) - 1;
  return Cursor(*this, segment, keys_of(segments[segment]).restart_for(oid));
}

std::optional<Snapshot::Entry> Snapshot::find(OidView oid, SteadyTime now) const {
  if (size() == 0) return std::nullopt;
  Cursor at = lookup(oid);
  while (!at.done() && compare_oids(at.oid(), oid) < 0) at.advance();
  if (at.done() || compare_oids(at.oid(), oid) != 0 || !visible(at.entry(), now)) return std::nullopt;
  return at.entry();
}

std::optional<Snapshot::Entry> Snapshot::next(OidView oid, SteadyTime now, Cursor& at) const {
  if (size() == 0) return std::nullopt;
  // The serial tells this snapshot from one freed before it at this address.
  const bool walking = at.snapshot_ == this && at.serial_ == serial_ && !at.done() &&
                       compare_oids(at.oid(), oid) == 0;
  if (walking) {
    at.advance();
  } else {
    at = lookup(oid);
    while (!at.done() && compare_oids(at.oid(), oid) <= 0) at.advance();
  }
  // Only the data of a stale instance is skipped here; that is the rare case
  // of a collector that stopped publishing, so a linear skip is acceptable.
  while (!at.done() && !visible(at.entry(), now)) at.advance();
  if (at.done()) return std::nullopt;
  return at.entry();
}

void Snapshot::Values::push(std::uint64_t number, std::string_view text, Meta how) {
  if (how.is_text()) {
    number = (static_cast<std::uint64_t>(texts.size()) << 32) | text.size();
    texts += text;
  }
  numbers.push_back(number);
  meta.push_back(how);
}

std::string_view Snapshot::Values::text(Index index) const {
  if (!meta[index].is_text()) return {};
  const std::uint64_t place = numbers[index];
  return std::string_view(texts).substr(place >> 32, place & 0xffffffffu);
}

bool Snapshot::visible_at(Index index, SteadyTime now) const {
  const Meta meta = values_.meta[index];
  return !meta.is_data || meta.instance == kNoInstance || !clocks_[meta.instance].stale_at(now);
}

AnsweredValue Snapshot::value_at(Index index, SteadyTime now) const {
  const Meta meta = values_.meta[index];
  const std::uint64_t number = values_.numbers[index];
  switch (meta.evaluation) {
    case Evaluation::Stored:
      if (meta.is_text()) return {meta.type, 0, values_.text(index)};
      return {meta.type, number, {}};
    case Evaluation::SecondsSince: {
      const SteadyTime since{SteadyTime::duration(static_cast<SteadyTime::rep>(number))};
      const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - since).count();
      return {meta.type, static_cast<std::uint64_t>(std::max<decltype(seconds)>(seconds, 0)), {}};
    }
    case Evaluation::Status: {
      const bool stale = meta.instance != kNoInstance && clocks_[meta.instance].stale_at(now);
      return {meta.type, stale ? static_cast<std::uint64_t>(InstanceStatus::stale) : number, {}};
    }
  }
  return {meta.type, 0, {}};
}

std::size_t Snapshot::bytes() const {
  return keys_.bytes.capacity() + keys_.restarts.capacity() * sizeof(std::uint32_t) +
         values_.numbers.capacity() * sizeof(std::uint64_t) + values_.meta.capacity() * sizeof(Meta) +
         values_.texts.capacity() + clocks_.capacity() * sizeof(InstanceClock) +
         parts_.capacity() * sizeof(parts_[0]) + (layout_ ? layout_->bytes() : 0);
}

std::size_t Snapshot::Layout::bytes() const {
  std::size_t segment_keys = 0;
  for (const auto& s : segments) segment_keys += s.first.capacity() * sizeof(OidArc);
  return keys.bytes.capacity() + keys.restarts.capacity() * sizeof(std::uint32_t) +
         placed_part.capacity() * sizeof(Source) + placed_index.capacity() * sizeof(Index) +
         segments.capacity() * sizeof(Segment) + segment_keys;
}

void Snapshot::Layout::add_segment(Source source, const Keys& of, Index begin, Index end) {
  if (begin >= end) return;
  OidBuffer first;
  of.decode(begin, first);
  segments.push_back({source, begin, end, Oid(first.view().begin(), first.view().end())});
  size += end - begin;
}

}  // namespace mwx
