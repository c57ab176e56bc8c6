// Wall and CPU time of one LVS poll from a procfs tree, in process: read
// and parse /proc/net/ip_vs and ip_vs_stats, sort, and render the rows the
// handler would serve; and the bytes per served value of the snapshot, beside
// what the same values took in the layout before front-coded keys (a 32-byte
// entry, 8 bytes per arc, the text). Usage: bench_lvs_poll PROCFS_DIR [POLLS [procfs|netlink]]
// (netlink reads the running kernel's IPVS, as root: bench/lvs_kernel.py).
#include <cstdio>
#include <string>

#include "agent/config_loader.hpp"
#include "bench/cpu_clock.hpp"
#include "bench/snapshot_bytes.hpp"
#include "handlers/lvs/collector.hpp"
#include "handlers/lvs/mib.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PROCFS_DIR [POLLS [procfs|netlink]]\n", argv[0]);
    return 2;
  }
  const int polls = argc > 2 ? std::stoi(argv[2]) : 20;
  const bool netlink = argc > 3 && std::string(argv[3]) == "netlink";
  mwx::lvs::Options options;
  options.source = netlink ? mwx::lvs::SourceChoice::netlink : mwx::lvs::SourceChoice::procfs;
  options.procfs = argv[1];
  auto hz = mwx::lvs::running_kernel_hz();
  if (hz) options.hz = hz.value();
  std::size_t entries = 0, services = 0, bytes = 0, previous_layout_bytes = 0;
  const double cpu_start = mwx::bench::cpu_seconds(), wall_start = mwx::bench::wall_seconds();
  for (int i = 0; i < polls; ++i) {
    auto collected = mwx::lvs::collect_ipvs(options, std::chrono::steady_clock::now() + std::chrono::seconds(10));
    if (!collected || !collected.value().sample) {
      std::fprintf(stderr, "poll failed: %s\n", collected ? "no IPVS" : collected.error().c_str());
      return 1;
    }
    const auto& sample = *collected.value().sample;
    mwx::SnapshotBuilder builder;
    mwx::Oid index;
    mwx::append_string_index(index, "lb");
    mwx::RowWriter row(builder, mwx::lvs::instance_entry_oid(), index, mwx::Snapshot::kNoInstance);
    mwx::lvs::write_instance_data(row, sample);
    mwx::lvs::write_service_rows(builder, index, "lb", mwx::Snapshot::kNoInstance, sample);
    const auto snapshot = std::move(builder).build().value();
    entries = snapshot->size();
    bytes = snapshot->bytes();
    previous_layout_bytes = mwx::bench::previous_layout_bytes(*snapshot);
    services = sample.services.size();
  }
  const double cpu = mwx::bench::cpu_seconds() - cpu_start, wall = mwx::bench::wall_seconds() - wall_start;
  std::printf("%s: %d polls of %zu services, %zu values: %.2f ms wall, %.2f ms CPU per poll; "
              "%.1f bytes per value (previous layout %.1f)\n",
              netlink ? "netlink" : "procfs", polls, services, entries, wall * 1e3 / polls, cpu * 1e3 / polls, static_cast<double>(bytes) / entries,
              static_cast<double>(previous_layout_bytes) / entries);
  return 0;
}
