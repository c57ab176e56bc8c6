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
  if (!snapshot.segments_.empty()) enter(0);
}

Snapshot::Cursor::Cursor(const Snapshot& snapshot, std::size_t segment, std::size_t restart)
    : snapshot_(&snapshot), serial_(snapshot.serial_), segment_(segment) {
  const Segment& s = snapshot.segments_[segment];
  store_ = s.store;
  index_ = static_cast<Index>(restart * kRestartEvery);
  end_ = s.end;
  at_ = decode_front_coded(store_->keys_, store_->restarts_[restart], oid_);
}

void Snapshot::Cursor::enter(std::size_t segment) {
  const Segment& s = snapshot_->segments_[segment];
  segment_ = segment;
  store_ = s.store;
  end_ = s.end;
  const std::size_t restart = s.begin / kRestartEvery;
  index_ = static_cast<Index>(restart * kRestartEvery);
  at_ = decode_front_coded(store_->keys_, store_->restarts_[restart], oid_);
  while (index_ < s.begin) {
    ++index_;
    at_ = decode_front_coded(store_->keys_, at_, oid_);
  }
}

void Snapshot::Cursor::advance() {
  if (++index_ < end_) {
    at_ = decode_front_coded(store_->keys_, at_, oid_);
  } else if (segment_ + 1 < snapshot_->segments_.size()) {
    enter(segment_ + 1);
  } else {
    store_ = nullptr;
  }
}

std::size_t Snapshot::restart_for(OidView oid) const {
  // The first restart whose key sorts after `oid`; the block before it is
  // where `oid` would be.
  std::size_t low = 0, high = restarts_.size();
  OidBuffer key;
  while (low < high) {
    const std::size_t middle = low + (high - low) / 2;
    decode_front_coded(keys_, restarts_[middle], key);
    if (compare_oids(key.view(), oid) <= 0) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low == 0 ? 0 : low - 1;
}

Snapshot::Cursor Snapshot::lookup(OidView oid) const {
  // The last segment that begins at or before `oid`. The block its store
  // finds may begin before the segment does: those keys sort below the
  // segment's first, so the scan passes them.
  const auto after = std::upper_bound(segments_.begin(), segments_.end(), oid, [](OidView key, const Segment& s) {
    return compare_oids(key, s.first) < 0;
  });
  const std::size_t segment = after == segments_.begin() ? 0 : static_cast<std::size_t>(after - segments_.begin()) - 1;
  return Cursor(*this, segment, segments_[segment].store->restart_for(oid));
}

std::optional<Snapshot::Entry> Snapshot::find(OidView oid, SteadyTime now) const {
  if (segments_.empty()) return std::nullopt;
  Cursor at = lookup(oid);
  while (!at.done() && compare_oids(at.oid(), oid) < 0) at.advance();
  if (at.done() || compare_oids(at.oid(), oid) != 0 || !visible(at.entry(), now)) return std::nullopt;
  return at.entry();
}

std::optional<Snapshot::Entry> Snapshot::next(OidView oid, SteadyTime now, Cursor& at) const {
  if (segments_.empty()) return std::nullopt;
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
  std::size_t segment_keys = 0;
  for (const auto& s : segments_) segment_keys += s.first.capacity() * sizeof(OidArc);
  return keys_.capacity() + restarts_.capacity() * sizeof(std::uint32_t) +
         values_.numbers.capacity() * sizeof(std::uint64_t) + values_.meta.capacity() * sizeof(Meta) +
         values_.texts.capacity() +
         clocks_.capacity() * sizeof(InstanceClock) + segments_.capacity() * sizeof(Segment) + segment_keys;
}

void Snapshot::reserve(std::size_t entries, std::size_t key_bytes, std::size_t text_bytes) {
  keys_.reserve(key_bytes);
  restarts_.reserve(entries / kRestartEvery + 1);
  values_.numbers.reserve(entries);
  values_.meta.reserve(entries);
  values_.texts.reserve(text_bytes);
}

void Snapshot::shrink_to_fit() {
  keys_.shrink_to_fit();
  restarts_.shrink_to_fit();
  values_.numbers.shrink_to_fit();
  values_.meta.shrink_to_fit();
  values_.texts.shrink_to_fit();
}

void Snapshot::append(OidView previous, OidView oid, std::uint64_t number, std::string_view text, Meta meta) {
  if (stored() % kRestartEvery == 0) {
    restarts_.push_back(static_cast<std::uint32_t>(keys_.size()));
    previous = {};
  }
  append_front_coded(keys_, previous, oid);
  values_.push(number, text, meta);
}

Snapshot::Mark Snapshot::mark() const {
  return {stored(), keys_.size(), values_.texts.size()};
}

void Snapshot::truncate(Mark mark) {
  values_.numbers.resize(mark.stored);
  values_.meta.resize(mark.stored);
  restarts_.resize((mark.stored + kRestartEvery - 1) / kRestartEvery);
  keys_.resize(mark.key_bytes);
  values_.texts.resize(mark.text_bytes);
}

void Snapshot::add_segment(const Snapshot& store, Index begin, Index end) {
  if (begin >= end) return;
  Segment segment{&store, begin, end, {}};
  const std::size_t restart = begin / kRestartEvery;
  OidBuffer key;
  std::size_t offset = decode_front_coded(store.keys_, store.restarts_[restart], key);
  for (Index i = static_cast<Index>(restart * kRestartEvery); i < begin; ++i) {
    offset = decode_front_coded(store.keys_, offset, key);
  }
  segment.first.assign(key.view().begin(), key.view().end());
  segments_.push_back(std::move(segment));
  size_ += end - begin;
}

}  // namespace mwx
