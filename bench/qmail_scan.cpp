// Wall and CPU time of counting one qmail queue, in process: the scans an
// mwagentx instance runs on its background thread, one per poll. The first
// stat()s every mess/ and todo/ file; the next ones only new files.
// Usage: bench_qmail_scan QMAILDIR [ROUNDS]
#include <cstdio>
#include <string>

#include "bench/cpu_clock.hpp"
#include "handlers/qmail/scan.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s QMAILDIR [ROUNDS]\n", argv[0]);
    return 2;
  }
  const std::string queue = std::string(argv[1]) + "/queue";
  const int rounds = argc > 2 ? std::stoi(argv[2]) : 5;
  mwx::qmail::ScanMemory memory;  // kept across rounds, as across polls
  for (int round = 0; round < rounds; ++round) {
    const double cpu_start = mwx::bench::cpu_seconds(), wall_start = mwx::bench::wall_seconds();
    auto sample = mwx::qmail::scan_queue(
        queue, {std::chrono::steady_clock::now() + std::chrono::minutes(10), std::time(nullptr)}, memory);
    const double cpu = mwx::bench::cpu_seconds() - cpu_start, wall = mwx::bench::wall_seconds() - wall_start;
    if (!sample) {
      std::fprintf(stderr, "scan failed: %s\n", sample.error().c_str());
      return 1;
    }
    const auto& s = sample.value();
    std::printf("round %d: wall %.1f ms, cpu %.1f ms; mess %llu todo %llu local %llu remote %llu bounce %llu, "
                "oldest %llu s, problems %zu\n",
                round, wall * 1e3, cpu * 1e3, static_cast<unsigned long long>(s.queue_messages.value_or(0)),
                static_cast<unsigned long long>(s.todo_messages.value_or(0)),
                static_cast<unsigned long long>(s.local_messages.value_or(0)),
                static_cast<unsigned long long>(s.remote_messages.value_or(0)),
                static_cast<unsigned long long>(s.bounce_messages.value_or(0)),
                static_cast<unsigned long long>(s.oldest_message_age.value_or(0)), s.problems.size());
  }
  return 0;
}
