// merge_snapshots: the parts of every instance into the one snapshot that
// is published.

#include <algorithm>
#include <cstdint>
#include <optional>

#include "agent/snapshot/merge_in_order.hpp"
#include "agent/snapshot/snapshot.hpp"

namespace mwx {

// One merge. Entries come in OID order from the parts; consecutive entries
// of one part are a run. A run is placed entry by entry in the layout until
// it turns out long, then dropped from it and served as a segment of its
// part.
class SnapshotMerge {
 public:
  using Layout = Snapshot::Layout;

  explicit SnapshotMerge(std::span<const std::shared_ptr<const Snapshot>> parts)
      : parts_(parts), layout_(std::make_shared<Layout>()) {}

  Result<std::shared_ptr<const Snapshot>> merge() {
    std::vector<Snapshot::Cursor> cursors;
    if (auto error = take_parts(cursors)) return Error{std::move(*error)};
    auto error =
        merge_in_order(cursors, [&](std::size_t part, const Snapshot::Cursor& at, OidView) { take(part, at); });
    if (!error.empty()) return Error{std::move(error)};
    end_run();
    layout_->add_segment(Snapshot::kPlacedEntries, layout_->keys, placed_segment_begin_, placed());
    // Room was reserved for every entry: runs served from their parts, and
    // keys that share more in merged order, left some of it unused.
    layout_->keys.bytes.shrink_to_fit();
    layout_->keys.restarts.shrink_to_fit();
    layout_->placed_part.shrink_to_fit();
    layout_->placed_index.shrink_to_fit();
    return serving(parts_, std::move(layout_));
  }

  // Whether every part has the keys of the part in its slot of `previous`,
  // so that previous's layout serves them.
  static bool same_keys(std::span<const std::shared_ptr<const Snapshot>> parts, const Snapshot& previous) {
    if (!previous.is_merged() || previous.parts_.size() != parts.size()) return false;
    for (std::size_t slot = 0; slot < parts.size(); ++slot) {
      const auto& is = parts[slot];
      const auto& was = previous.parts_[slot];
      if (is != was && (is->is_merged() || is->keys_ != was->keys_)) return false;
    }
    return true;
  }

  static std::shared_ptr<const Snapshot> sharing(std::span<const std::shared_ptr<const Snapshot>> parts,
                                                 const Snapshot& previous) {
    return serving(parts, previous.layout_);
  }

 private:
  static std::shared_ptr<const Snapshot> serving(std::span<const std::shared_ptr<const Snapshot>> parts,
                                                 std::shared_ptr<const Layout> layout) {
    auto merged = std::make_shared<Snapshot>();
    merged->parts_.assign(parts.begin(), parts.end());
    merged->layout_ = std::move(layout);
    return merged;
  }

  // Runs of at least this many entries are served from their part, shorter
  // ones placed.
  static constexpr Snapshot::Index kServeFromPartAtLeast = 256;

  // How much is placed, to drop what was placed after it.
  struct Mark {
    Snapshot::Index placed;
    std::size_t key_bytes;
  };
  struct Run {
    std::size_t part = SIZE_MAX;
    Snapshot::Index begin = 0;
    Snapshot::Index count = 0;
    bool from_part = false;
    Mark placed_before{};
  };

  Snapshot::Index placed() const { return static_cast<Snapshot::Index>(layout_->placed_part.size()); }

  // A cursor on each part, and room for all their entries.
  std::optional<std::string> take_parts(std::vector<Snapshot::Cursor>& cursors) {
    if (parts_.size() > Snapshot::kMaxParts) return "too many instances for one snapshot";
    std::size_t entries = 0, keys = 0;
    cursors.reserve(parts_.size());
    for (const auto& part : parts_) {
      if (part->is_merged()) return "a merged snapshot cannot be merged again";
      entries += part->size();
      keys += part->keys_.bytes.size();
      cursors.emplace_back(*part);
    }
    // Merged keys share at least as much with their neighbours as in the
    // parts (a column's rows of all instances sit together): the parts'
    // size is enough.
    layout_->keys.bytes.reserve(keys);
    layout_->keys.restarts.reserve(entries / Snapshot::kRestartEvery + 1);
    layout_->placed_part.reserve(entries);
    layout_->placed_index.reserve(entries);
    return std::nullopt;
  }

  void take(std::size_t part, const Snapshot::Cursor& at) {
    if (part != run_.part) {
      end_run();
      run_ = {part, at.entry().index, 0, false, {placed(), layout_->keys.bytes.size()}};
      last_before_run_.assign(last_placed_.view());
    }
    if (run_.from_part) {
      ++run_.count;
    } else if (++run_.count == kServeFromPartAtLeast) {
      drop_placed_after(run_.placed_before);
      last_placed_.assign(last_before_run_.view());
      run_.from_part = true;
    } else {
      place(part, at);
    }
  }

  void place(std::size_t part, const Snapshot::Cursor& at) {
    // Keys are coded against the entry placed before, whatever segment it serves in.
    layout_->keys.append(placed(), placed() > 0 ? last_placed_.view() : OidView{}, at.oid());
    layout_->placed_part.push_back(static_cast<Snapshot::Source>(part));
    layout_->placed_index.push_back(at.entry().index);
    last_placed_.assign(at.oid());
  }

  void drop_placed_after(Mark mark) {
    layout_->placed_part.resize(mark.placed);
    layout_->placed_index.resize(mark.placed);
    layout_->keys.restarts.resize((mark.placed + Snapshot::kRestartEvery - 1) / Snapshot::kRestartEvery);
    layout_->keys.bytes.resize(mark.key_bytes);
  }

  // A long run becomes a segment of its part, after a segment of what was
  // placed before it.
  void end_run() {
    if (!run_.from_part) return;
    layout_->add_segment(Snapshot::kPlacedEntries, layout_->keys, placed_segment_begin_, placed());
    layout_->add_segment(static_cast<Snapshot::Source>(run_.part), parts_[run_.part]->keys_, run_.begin,
                         run_.begin + run_.count);
    placed_segment_begin_ = placed();
  }

  std::span<const std::shared_ptr<const Snapshot>> parts_;
  std::shared_ptr<Layout> layout_;
  Run run_;
  Snapshot::Index placed_segment_begin_ = 0;
  OidBuffer last_placed_;
  OidBuffer last_before_run_;
};

Result<std::shared_ptr<const Snapshot>> merge_snapshots(std::span<const std::shared_ptr<const Snapshot>> parts,
                                                        const Snapshot* previous) {
  if (previous != nullptr && SnapshotMerge::same_keys(parts, *previous)) {
    return SnapshotMerge::sharing(parts, *previous);
  }
  return SnapshotMerge(parts).merge();
}

}  // namespace mwx
