#pragma once
// The local kernel's IPVS: read on a background thread from generic
// netlink (traffic counters; needs CAP_NET_ADMIN) or from procfs (any
// user), plus /proc/net/ip_vs_stats and the defence sysctls.

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "agent/base/result.hpp"
#include "agent/config/config_file.hpp"
#include "agent/poll/background_instance.hpp"
#include "handlers/lvs/netlink.hpp"
#include "handlers/lvs/sample.hpp"

namespace mwx::lvs {

enum class SourceChoice { automatic, netlink, procfs };

struct Options {
  SourceChoice source = SourceChoice::automatic;
  std::string procfs = "/proc";
  // The kernel's HZ, which /proc/net/ip_vs counts persistence timeouts in:
  // hz= on the line, else CONFIG_HZ of /boot/config-RELEASE, else unknown
  // and `hz_unknown` says why.
  std::optional<std::uint64_t> hz{};
  std::string hz_unknown{};
  // Connections by state, from /proc/net/ip_vs_conn: counted every
  // `conn_interval` at most (a count reads every entry), stopping after
  // `conn_limit` entries; conns=off leaves them out.
  bool count_conns = true;
  std::chrono::seconds conn_interval{60};
  std::uint64_t conn_limit = 1000000;
};

// The running kernel's HZ from its build configuration, or why not.
Result<std::uint64_t> running_kernel_hz();

// What a collection found: a sample, or that the kernel has no IPVS.
struct Collected {
  std::optional<Sample> sample;  // nullopt: IPVS is not present
  std::string fallback;          // why auto fell back to procfs; empty if it did not
  bool conns_counted = false;    // the sample has a new count (or its error)
};

// Reads the kernel's tables over netlink: IpvsNetlinkClient, or a stand-in
// in the tests.
using NetlinkReader = std::function<bool(std::chrono::steady_clock::time_point, NetlinkTable&, NetlinkError&)>;
NetlinkReader kernel_netlink_reader();

// Reads everything once (blocking); public for the tests and the benchmark.
Result<Collected> collect_ipvs(const Options& options, std::chrono::steady_clock::time_point deadline,
                               const NetlinkReader& netlink = kernel_netlink_reader());

class LvsInstance final : public BackgroundInstance<Collected> {
 public:
  LvsInstance(InstanceSettings settings, Options options);

  void write_rows(SnapshotBuilder& out) const override;

 private:
  Result<Collected> collect(std::chrono::steady_clock::time_point deadline) const override;
  void take(Collected collected) override;
  void forget_data() override { serving_ = false; }
  // Services and real servers added, removed or weighted out (events.hpp).
  void detect_events(const Sample* before, const Sample& after);
  // What a served sample lacks, for LastError; empty when nothing.
  std::string problems_of(const Sample& sample) const;
  void compare_real_servers(const std::string& service, const Service& before, const Service& after);
  // On the collection's thread: whether a connection count is due now,
  // and if so the next one is `conn_interval` later.
  bool conn_count_due() const;

  const Options options_;
  // Only one collection runs at a time (BackgroundInstance).
  mutable std::atomic<std::chrono::steady_clock::time_point> next_conn_count_{};
  // The last sample read, kept across failed polls to tell which counters
  // started over since; served only while `serving_`.
  std::optional<Sample> last_;
  bool serving_ = false;
  std::string fallback_;           // of the last poll, to log changes once
};

Result<std::shared_ptr<Instance>> create_instance(const InstanceLine& line);

}  // namespace mwx::lvs
