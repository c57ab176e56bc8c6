// merge_snapshots: the parts of every instance into the one snapshot that
// is published.

#include <algorithm>
#include <cstdint>
#include <optional>

#include "agent/snapshot/merge_in_order.hpp"
#include "agent/snapshot/snapshot.hpp"

namespace mwx {

// One merge. Entries come in OID order from the parts; consecutive entries
// of one part are a run. A run is stored in the merged snapshot until it
// turns out long, then dropped from it and referred to in its part.
class SnapshotMerge {
 public:
  explicit SnapshotMerge(std::span<const std::shared_ptr<const Snapshot>> parts)
      : parts_(parts), merged_(std::make_shared<Snapshot>()) {}

  Result<std::shared_ptr<const Snapshot>> merge() {
    std::vector<Snapshot::Cursor> cursors;
    if (auto error = take_parts(cursors)) return Error{std::move(*error)};
    auto error = merge_in_order(cursors, [&](std::size_t part, const Snapshot::Cursor& at, OidView) { take(part, at); });
    if (!error.empty()) return Error{std::move(error)};
    end_run();
    merged_->add_segment(*merged_, stored_segment_begin_, merged_->stored());
    // Room was reserved for every key and entry: runs referred to, and keys
    // that share more in merged order, left some of it unused.
    merged_->shrink_to_fit();
    return std::shared_ptr<const Snapshot>(std::move(merged_));
  }

 private:
  // Runs of at least this many entries are referred to, shorter ones stored.
  static constexpr Snapshot::Index kReferAtLeast = 256;

  struct Run {
    std::size_t part = SIZE_MAX;
    Snapshot::Index begin = 0;
    Snapshot::Index count = 0;
    bool referred = false;
    Snapshot::Mark stored_before{};
  };

  // A cursor on each part, the parts' instance clocks, and room for all.
  std::optional<std::string> take_parts(std::vector<Snapshot::Cursor>& cursors) {
    std::size_t entries = 0, keys = 0, text = 0;
    cursors.reserve(parts_.size());
    for (const auto& part : parts_) {
      if (!part->referred_.empty()) return "a merged snapshot cannot be merged again";
      entries += part->size();
      keys += part->keys_.size();
      text += part->values_.texts.size();
      clock_offset_.push_back(merged_->clocks_.size());
      merged_->clocks_.insert(merged_->clocks_.end(), part->clocks_.begin(), part->clocks_.end());
      cursors.emplace_back(*part);
    }
    if (merged_->clocks_.size() >= Snapshot::kNoInstance) return "too many instances for one snapshot";
    // Merged keys share at least as much with their neighbours as in the
    // parts (a column's rows of all instances sit together): the parts'
    // size is enough.
    merged_->reserve(entries, keys, text);
    return std::nullopt;
  }

  void take(std::size_t part, const Snapshot::Cursor& at) {
    if (part != run_.part) {
      end_run();
      run_ = {part, at.entry().index, 0, false, merged_->mark()};
      last_before_run_.assign(last_stored_.view());
    }
    if (run_.referred) {
      ++run_.count;
    } else if (++run_.count == kReferAtLeast) {
      merged_->truncate(run_.stored_before);
      last_stored_.assign(last_before_run_.view());
      run_.referred = true;
    } else {
      store(part, at);
    }
  }

  void store(std::size_t part_index, const Snapshot::Cursor& at) {
    const Snapshot& part = *parts_[part_index];
    const Snapshot::Index index = at.entry().index;
    Snapshot::Meta meta = part.values_.meta[index];
    if (meta.instance != Snapshot::kNoInstance) {
      meta.instance = static_cast<Snapshot::InstanceSlot>(meta.instance + clock_offset_[part_index]);
    }
    // Keys are coded against the entry stored before, whatever segment it serves in.
    merged_->append(merged_->stored() > 0 ? last_stored_.view() : OidView{}, at.oid(), part.values_.numbers[index],
                    part.values_.text(index), meta);
    last_stored_.assign(at.oid());
  }

  // A referred run becomes a segment of its part, after a segment of what
  // was stored before it.
  void end_run() {
    if (!run_.referred) return;
    const auto& part = parts_[run_.part];
    merged_->add_segment(*merged_, stored_segment_begin_, merged_->stored());
    merged_->add_segment(*part, run_.begin, run_.begin + run_.count);
    stored_segment_begin_ = merged_->stored();
    if (std::find(merged_->referred_.begin(), merged_->referred_.end(), part) == merged_->referred_.end()) {
      merged_->referred_.push_back(part);
    }
  }

  std::span<const std::shared_ptr<const Snapshot>> parts_;
  std::shared_ptr<Snapshot> merged_;
  std::vector<std::size_t> clock_offset_;  // each part's first instance slot in the merged clocks
  Run run_;
  Snapshot::Index stored_segment_begin_ = 0;
  OidBuffer last_stored_;
  OidBuffer last_before_run_;
};

Result<std::shared_ptr<const Snapshot>> merge_snapshots(std::span<const std::shared_ptr<const Snapshot>> parts) {
  return SnapshotMerge(parts).merge();
}

}  // namespace mwx
