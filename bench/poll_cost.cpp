// CPU spent by one full poll of one memcached instance: connect, the four
// stats commands, parsing, derived values and building the snapshot that
// the handler would serve. Usage: bench_poll_cost HOST:PORT [POLLS]
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <string>

#include "agent/config_loader.hpp"
#include "agent/mib/agent_group.hpp"
#include "bench/cpu_clock.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s HOST:PORT [POLLS]\n", argv[0]);
    return 2;
  }
  const int polls = argc > 2 ? std::stoi(argv[2]) : 2000;
  auto loaded = mwx::configuration_from_text(std::string("memcached bench ") + argv[1] + "\n", "bench");
  if (!loaded) {
    std::fprintf(stderr, "%s\n", loaded.error().c_str());
    return 2;
  }
  auto& instance = *loaded.value().instances.front();
  mwx::AgentState state;
  std::size_t entries = 0;
  const double cpu_start = mwx::bench::cpu_seconds(), wall_start = mwx::bench::wall_seconds();
  // One io_context for every poll, as the agent's poller thread has.
  boost::asio::io_context io;
  for (int i = 0; i < polls; ++i) {
    io.restart();
    instance.start_poll(io, [] {});
    io.run();
    if (instance.status() != mwx::InstanceStatus::up) {
      std::fprintf(stderr, "poll %d failed: %s\n", i, instance.last_error().c_str());
      return 1;
    }
    mwx::SnapshotBuilder builder;
    mwx::write_agent_scalars(builder, state);
    instance.write_rows(builder);
    entries = std::move(builder).build().value()->size();
  }
  const double cpu = mwx::bench::cpu_seconds() - cpu_start, wall = mwx::bench::wall_seconds() - wall_start;
  std::printf("polls: %d, values served per poll: %zu\n", polls, entries);
  std::printf("CPU per poll (mwagentx, in process): %.1f us\n", cpu / polls * 1e6);
  std::printf("wall per poll (loopback round trips included): %.1f us\n", wall / polls * 1e6);
  return 0;
}
