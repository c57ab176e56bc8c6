// CPU, wall time and memory of counting /proc/net/ip_vs_conn by service and
// state (the lvs collector's pass), on a file in the kernel's format.
// Usage: bench_lvs_conns FILE [COUNTS [LIMIT]]   (bench/lvs_conns.py makes FILE)
#include <cstdio>
#include <fstream>
#include <string>

#include "bench/cpu_clock.hpp"
#include "handlers/lvs/conn_states.hpp"

namespace {

// A line of /proc/self/status, in kB ("VmRSS", "VmHWM").
long status_kb(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [COUNTS [LIMIT]]\n", argv[0]);
    return 2;
  }
  const int counts = argc > 2 ? std::stoi(argv[2]) : 3;
  const std::uint64_t limit = argc > 3 ? std::stoull(argv[3]) : UINT64_MAX;
  const long rss_before = status_kb("VmRSS");
  std::uint64_t entries = 0, services = 0;
  bool complete = false;
  const double cpu_start = mwx::bench::cpu_seconds(), wall_start = mwx::bench::wall_seconds();
  for (int i = 0; i < counts; ++i) {
    auto table = mwx::lvs::count_connections(argv[1], limit, std::chrono::steady_clock::now() + std::chrono::hours(1));
    if (!table) {
      std::fprintf(stderr, "count failed: %s\n", table.error().c_str());
      return 1;
    }
    entries = table.value().entries;
    services = table.value().services.size();
    complete = table.value().end == mwx::lvs::ConnCountEnd::complete;
  }
  const double cpu = mwx::bench::cpu_seconds() - cpu_start, wall = mwx::bench::wall_seconds() - wall_start;
  // Peak RSS over the counts beyond what the process held before them.
  std::printf("entries=%llu services=%llu complete=%d cpu_ms=%.1f wall_ms=%.1f rss_growth_kb=%ld rss_kb=%ld\n",
              static_cast<unsigned long long>(entries), static_cast<unsigned long long>(services), complete ? 1 : 0,
              cpu * 1e3 / counts, wall * 1e3 / counts, status_kb("VmHWM") - rss_before, status_kb("VmRSS"));
  return 0;
}
