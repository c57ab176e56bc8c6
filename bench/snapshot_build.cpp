// Cost of publishing: after a poll the poller renders that one instance's
// rows into a sorted part, then merges every instance's part into the
// snapshot it publishes: anew when some part's keys changed, sharing the
// last layout when only values did (the steady state). The three costs,
// by number of instances.
// Usage: bench_snapshot_build FIXTURE_DIR [INSTANCES...]
// FIXTURE_DIR holds stats.txt, stats_settings.txt, stats_items.txt, stats_slabs.txt.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "agent/mib/agent_group.hpp"
#include "bench/cpu_clock.hpp"
#include "bench/snapshot_bytes.hpp"
#include "handlers/memcached/collector.hpp"

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}


// Renders `instances` parts from `render`, then times one part's render
// and the merge of all, and prints them.
template <class Render>
void measure(int instances, const Render& render) {
  const int rounds = std::max(3, 2000 / instances);
  std::vector<std::shared_ptr<const mwx::Snapshot>> parts;
  for (int i = 0; i < instances; ++i) parts.push_back(std::move(render(i)).build().value());
  double start = mwx::bench::cpu_seconds();
  for (int r = 0; r < rounds * 10; ++r) parts[0] = std::move(render(0)).build().value();
  const double one_part = (mwx::bench::cpu_seconds() - start) / (rounds * 10);
  start = mwx::bench::cpu_seconds();
  std::shared_ptr<const mwx::Snapshot> merged;
  for (int r = 0; r < rounds; ++r) merged = mwx::merge_snapshots(parts).value();
  const double merge = (mwx::bench::cpu_seconds() - start) / rounds;
  // One instance polled again: same keys, new values.
  const int shared_rounds = rounds * 100;
  start = mwx::bench::cpu_seconds();
  for (int r = 0; r < shared_rounds; ++r) {
    parts[r % instances] = std::move(render(r % instances)).build().value();
    auto next = mwx::merge_snapshots(parts, merged.get()).value();
    if (!next->shares_layout_with(*merged)) std::fprintf(stderr, "a poll that changed only values laid out anew\n");
    merged = std::move(next);
  }
  const double shared = (mwx::bench::cpu_seconds() - start) / shared_rounds - one_part;
  const auto entries = static_cast<double>(merged->size());
  std::size_t part_bytes = 0;
  for (const auto& part : parts) part_bytes += part->bytes();
  std::printf("%4d instances: %6zu values; render one instance %.3f ms; merge all anew %.2f ms (%.3f us per value), "
              "sharing the layout %.1f us; bytes per value: %.1f in the parts, %.1f in the layout "
              "(the layout before front-coded keys: %.1f)\n",
              instances, merged->size(), one_part * 1e3, merge * 1e3, merge * 1e6 / entries, shared * 1e6,
              static_cast<double>(part_bytes) / entries, static_cast<double>(merged->bytes()) / entries,
              static_cast<double>(mwx::bench::previous_layout_bytes(*merged)) / entries);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FIXTURE_DIR [INSTANCES...]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const std::vector<std::string> replies{read(dir + "/stats.txt"), read(dir + "/stats_settings.txt"),
                                         read(dir + "/stats_items.txt"), read(dir + "/stats_slabs.txt")};
  auto sample = mwx::memcached::build_sample(replies, nullptr, std::chrono::system_clock::now());
  if (!sample) {
    std::fprintf(stderr, "%s\n", sample.error().c_str());
    return 1;
  }
  std::vector<int> counts;
  for (int i = 2; i < argc; ++i) counts.push_back(std::stoi(argv[i]));
  if (counts.empty()) counts = {1, 20, 100, 500};
  auto render = [&](int i) {
    mwx::SnapshotBuilder builder;
    mwx::Oid index;
    mwx::append_string_index(index, "instance" + std::to_string(i));
    mwx::RowWriter row(builder, mwx::memcached::instance_entry_oid(), index, mwx::Snapshot::kNoInstance);
    mwx::memcached::write_instance_data(row, sample.value());
    mwx::memcached::write_slab_rows(builder, index, "instance" + std::to_string(i), mwx::Snapshot::kNoInstance,
                                    sample.value());
    return builder;
  };
  for (int instances : counts) measure(instances, render);
  return 0;
}
