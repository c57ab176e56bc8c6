#include "agent/snapshot/snapshot_builder.hpp"

#include <algorithm>

#include "agent/snapshot/merge_in_order.hpp"

namespace mwx {

SnapshotBuilder::InstanceSlot SnapshotBuilder::add_instance(SteadyTime last_poll_end,
                                                            std::chrono::nanoseconds stale_after) {
  clocks_.push_back({last_poll_end, stale_after});
  return static_cast<InstanceSlot>(clocks_.size() - 1);
}

void SnapshotBuilder::add_number(OidView oid, SnmpType type, std::uint64_t value, InstanceSlot instance,
                                 bool is_data, Lane lane) {
  add(lane, oid, value, {}, {instance, type, Evaluation::Stored, is_data});
}

void SnapshotBuilder::add_text(OidView oid, std::string_view text, InstanceSlot instance, bool is_data, Lane lane) {
  add(lane, oid, 0, text, {instance, SnmpType::OctetString, Evaluation::Stored, is_data});
}

void SnapshotBuilder::add_seconds_since(OidView oid, SteadyTime since, InstanceSlot instance, bool is_data,
                                        Lane lane) {
  add(lane, oid, static_cast<std::uint64_t>(since.time_since_epoch().count()), {},
      {instance, SnmpType::Unsigned32, Evaluation::SecondsSince, is_data});
}

void SnapshotBuilder::add_status(OidView oid, InstanceStatus status, InstanceSlot instance, Lane lane) {
  add(lane, oid, static_cast<std::uint64_t>(status), {}, {instance, SnmpType::Integer, Evaluation::Status, false});
}

std::uint32_t& SnapshotBuilder::lane_of(Lane hint) {
  // A builder sees a few tables, most cells in a row of the same one.
  if (last_table_ >= tables_.size() || tables_[last_table_].table != hint.table) {
    last_table_ = 0;
    while (last_table_ < tables_.size() && tables_[last_table_].table != hint.table) ++last_table_;
    if (last_table_ == tables_.size()) tables_.push_back({hint.table, {}});
  }
  auto& of_column = tables_[last_table_].of_column;
  if (hint.column >= of_column.size()) of_column.resize(hint.column + 1, kNoLane);
  return of_column[hint.column];
}

SnapshotBuilder::LaneChoice SnapshotBuilder::lane_for(Lane hint, OidView oid) {
  // Whether `oid` sorts after the lane's last key, and how many arcs they share.
  const auto follows = [&](std::size_t lane, std::size_t& shared) {
    const Oid& last = lanes_[lane].last_key;
    shared = shared_prefix(last, oid);
    if (shared == oid.size()) return false;  // the same, or a prefix of the last one
    return shared == last.size() || last[shared] < oid[shared];
  };
  const auto open = [&] {
    lanes_.push_back({static_cast<Snapshot::Index>(staged_.size()), 0, {}});
    return LaneChoice{lanes_.size() - 1, 0};
  };
  LaneChoice choice{};
  std::uint32_t& known = lane_of(hint);
  if (known != kNoLane) {
    // Its column's lane, or, out of its order, a lane of its own from now on.
    if (follows(known, choice.shared)) return {known, choice.shared};
    choice = open();
  } else if (!lanes_.empty() && follows(last_lane_, choice.shared)) {
    // A column seen for the first time follows the lane written last, as a
    // row's cells follow each other.
    choice.lane = last_lane_;
  } else {
    choice = open();
  }
  known = static_cast<std::uint32_t>(choice.lane);
  return choice;
}

void SnapshotBuilder::add(Lane hint, OidView oid, std::uint64_t number, std::string_view text,
                          Snapshot::Meta meta) {
  if (!error_.empty()) return;
  if (oid.size() > kMaxOidArcs) {
    error_ = "an OID of more than 128 arcs " + format_oid(oid);
    return;
  }
  const auto index = static_cast<Snapshot::Index>(staged_.size());
  const LaneChoice choice = lane_for(hint, oid);
  OpenLane& lane = lanes_[choice.lane];
  last_lane_ = choice.lane;
  if (lane.first != index) staged_[lane.last].next_in_lane = index;
  lane.last = index;
  staged_.push_back({static_cast<std::uint32_t>(keys_.size()), kEndOfLane});
  append_front_coded(keys_, choice.shared, oid);
  lane.last_key.assign(oid.begin(), oid.end());
  values_.push(number, text, meta);
}

// Walks one lane's entries, decoding each key from the one before.
class SnapshotBuilder::LaneCursor {
 public:
  LaneCursor(const SnapshotBuilder& builder, Snapshot::Index first) : builder_(&builder), at_(first) { decode(); }
  bool done() const { return at_ == kEndOfLane; }
  Snapshot::Index index() const { return at_; }
  OidView oid() const { return key_; }
  void advance() {
    at_ = builder_->staged_[at_].next_in_lane;
    decode();
  }

 private:
  void decode() {
    if (!done()) decode_front_coded(builder_->keys_, builder_->staged_[at_].key_offset, key_);
  }
  const SnapshotBuilder* builder_;
  Snapshot::Index at_;
  Oid key_;
};

Result<std::shared_ptr<const Snapshot>> SnapshotBuilder::build() && {
  if (!error_.empty()) return Error{error_};
  std::vector<LaneCursor> lanes;
  lanes.reserve(lanes_.size());
  for (const auto& lane : lanes_) lanes.emplace_back(*this, lane.first);
  auto snapshot = std::make_shared<Snapshot>();
  Snapshot::Keys& keys = snapshot->keys_;
  Snapshot::Values& values = snapshot->values_;
  keys.bytes.reserve(keys_.size());
  keys.restarts.reserve(staged_.size() / Snapshot::kRestartEvery + 1);
  values.numbers.reserve(staged_.size());
  values.meta.reserve(staged_.size());
  values.texts.reserve(values_.texts.size());
  auto error = merge_in_order(lanes, [&](std::size_t, const LaneCursor& at, OidView previous) {
    keys.append(values.size(), previous, at.oid());
    values.push(values_.numbers[at.index()], values_.text(at.index()), values_.meta[at.index()]);
  });
  if (!error.empty()) return Error{std::move(error)};
  // A lane's first key is coded whole; in OID order most keys share much
  // with the one before: the room reserved for the staged keys is more
  // than they take now, and a part lives until its instance's next poll.
  keys.bytes.shrink_to_fit();
  snapshot->clocks_ = std::move(clocks_);
  auto layout = std::make_shared<Snapshot::Layout>();
  layout->add_segment(Snapshot::kOwnEntries, keys, 0, values.size());
  snapshot->layout_ = std::move(layout);
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

}  // namespace mwx
