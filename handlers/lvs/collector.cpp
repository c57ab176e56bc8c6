#include "handlers/lvs/collector.hpp"

#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "agent/base/parse_helpers.hpp"
#include "handlers/lvs/conn_states.hpp"
#include "handlers/lvs/discontinuity.hpp"
#include "handlers/lvs/events.hpp"
#include "handlers/lvs/mib.hpp"
#include "handlers/lvs/procfs.hpp"

namespace mwx::lvs {
namespace {

// /proc/net/ip_vs of 10,000 real servers is about 600 KB.
constexpr std::size_t kMaxProcfsFileBytes = 64 * 1024 * 1024;

struct FileText {
  std::string text;
  int error = 0;  // errno when it could not be read
};

FileText read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {{}, errno};
  std::string text;
  char buffer[65536];
  int error = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > kMaxProcfsFileBytes) {
      error = EFBIG;
      break;
    }
  }
  ::close(fd);
  if (error != 0) return {{}, error};
  return {std::move(text), 0};
}

// Sorted by key, each key once: a row's OID must be unique. Returns how
// many entries were dropped.
std::uint64_t sort_and_drop_duplicates(std::vector<Service>& services) {
  std::uint64_t dropped = 0;
  for (auto& service : services) {
    auto& reals = service.real_servers;
    const auto key = real_server_key;
    std::stable_sort(reals.begin(), reals.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
    const auto end = std::unique(reals.begin(), reals.end(), [&](const auto& a, const auto& b) { return key(a) == key(b); });
    dropped += static_cast<std::uint64_t>(reals.end() - end);
    reals.erase(end, reals.end());
  }
  std::stable_sort(services.begin(), services.end(), [](const auto& a, const auto& b) { return a.key() < b.key(); });
  const auto end = std::unique(services.begin(), services.end(),
                               [](const auto& a, const auto& b) { return a.key() == b.key(); });
  dropped += static_cast<std::uint64_t>(services.end() - end);
  services.erase(end, services.end());
  return dropped;
}

Defence read_defence(const std::string& procfs) {
  const auto value = [&](const char* name) -> std::optional<std::int64_t> {
    const auto file = read_file(procfs + "/sys/net/ipv4/vs/" + name);
    return file.error == 0 ? parse_sysctl_value(file.text) : std::nullopt;
  };
  return {value("amemthresh"), value("drop_entry"), value("drop_packet"), value("secure_tcp")};
}

// The table from /proc/net/ip_vs into `sample`; false if the file is not
// there (no IPVS in this kernel: a quiet state).
Result<bool> read_procfs_table(const std::string& ip_vs, const Options& options, Sample& sample) {
  const auto file = read_file(ip_vs);
  if (file.error == ENOENT) return false;
  if (file.error != 0) return Error{"cannot read " + ip_vs + ": " + std::strerror(file.error)};
  auto table = parse_ip_vs(file.text, options.hz);
  if (!table) return Error{ip_vs + ": " + table.error()};
  sample.source = Source::procfs;
  sample.version = table.value().version;
  sample.conn_table_size = table.value().conn_table_size;
  sample.services = std::move(table.value().services);
  return true;
}

// What procfs adds to either source's table: the totals and the defence
// sysctls. Then the table without duplicates and without spare room: a
// sample stays until the next poll (events and discontinuities compare
// with it). An error if ip_vs_stats is there but unreadable as such.
std::optional<std::string> complete_sample(const Options& options, Sample& sample) {
  const std::string ip_vs_stats = options.procfs + "/net/ip_vs_stats";
  if (const auto file = read_file(ip_vs_stats); file.error == 0) {
    auto totals = parse_ip_vs_stats(file.text);
    if (!totals) return ip_vs_stats + ": " + totals.error();
    sample.totals = totals.value();
  }
  sample.defence = read_defence(options.procfs);
  sample.duplicates_dropped = sort_and_drop_duplicates(sample.services);
  for (auto& service : sample.services) service.real_servers.shrink_to_fit();
  sample.services.shrink_to_fit();
  return std::nullopt;
}

}  // namespace

NetlinkReader kernel_netlink_reader() {
  return [](std::chrono::steady_clock::time_point deadline, NetlinkTable& out, NetlinkError& error) {
    IpvsNetlinkClient client;
    return client.read(deadline, out, error);
  };
}

Result<Collected> collect_ipvs(const Options& options, std::chrono::steady_clock::time_point deadline,
                               const NetlinkReader& netlink) {
  Collected collected;
  Sample sample;
  bool from_netlink = false;
  const std::string ip_vs = options.procfs + "/net/ip_vs";
  // Without the IPVS module loaded there is nothing to serve. Netlink is
  // not asked then: resolving its family would make the kernel load the
  // module on a host that is no director.
  if (::access(ip_vs.c_str(), F_OK) != 0 && errno == ENOENT) return collected;
  if (options.source != SourceChoice::procfs) {
    NetlinkTable table;
    NetlinkError error;
    if (netlink(deadline, table, error)) {
      from_netlink = true;
      sample.source = Source::netlink;
      sample.version = table.info.version;
      sample.conn_table_size = table.info.conn_table_size;
      sample.timeouts = table.timeouts;
      sample.sync = table.sync;
      sample.services = std::move(table.services);
    } else if (options.source == SourceChoice::netlink) {
      if (error.kind == NetlinkFailure::no_ipvs) return collected;  // not present
      return Error{error.message};
    } else if (error.kind != NetlinkFailure::no_ipvs) {
      collected.fallback = error.message;
    }
  }
  if (!from_netlink) {
    auto present = read_procfs_table(ip_vs, options, sample);
    if (!present) return Error{present.error()};
    if (!present.value()) return collected;
  }
  if (auto error = complete_sample(options, sample)) return Error{std::move(*error)};
  collected.sample = std::move(sample);
  return collected;
}

LvsInstance::LvsInstance(InstanceSettings settings, Options options)
    : BackgroundInstance(std::move(settings)), options_(std::move(options)) {}

bool LvsInstance::conn_count_due() const {
  const auto now = std::chrono::steady_clock::now();
  if (!options_.count_conns || now < next_conn_count_.load()) return false;
  next_conn_count_ = now + options_.conn_interval;
  return true;
}

Result<Collected> LvsInstance::collect(std::chrono::steady_clock::time_point deadline) const {
  auto collected = collect_ipvs(options_, deadline);
  if (!collected || !collected.value().sample || !conn_count_due()) return collected;
  Sample& sample = *collected.value().sample;
  auto table = count_connections(options_.procfs + "/net/ip_vs_conn", options_.conn_limit, deadline);
  if (table) {
    sample.conns = std::make_shared<const ConnTable>(std::move(table).value());
  } else {
    sample.conn_count_error = table.error();
  }
  collected.value().conns_counted = true;
  return collected;
}

void LvsInstance::take(Collected collected) {
  if (collected.fallback != fallback_) {
    if (!collected.fallback.empty()) {
      log().info("instance \"{}\": {}; serving what /proc/net/ip_vs has, traffic counters absent",
                 settings().name, collected.fallback);
    }
    fallback_ = collected.fallback;
  }
  if (!collected.sample) {
    last_.reset();
    serving_ = false;
    record_condition(InstanceStatus::not_present, "no IPVS in this kernel (" + options_.procfs + "/net/ip_vs missing)");
    return;
  }
  if (!collected.conns_counted && last_) {
    collected.sample->conns = last_->conns;
    collected.sample->conn_count_error = last_->conn_count_error;
  }
  mark_discontinuities(*collected.sample, last_ ? &*last_ : nullptr, std::chrono::system_clock::now());
  detect_events(last_ ? &*last_ : nullptr, *collected.sample);
  last_ = std::move(collected.sample);
  serving_ = true;
  const std::string problems = problems_of(*last_);
  if (problems.empty()) return record_success();
  record_partial_success(problems);
}

std::string LvsInstance::problems_of(const Sample& sample) const {
  std::vector<std::string> problems;
  if (sample.duplicates_dropped > 0) {
    problems.push_back(std::to_string(sample.duplicates_dropped) +
                       " service(s) or real server(s) share another's key; only the first is served");
  }
  const bool timeouts_unknown = sample.source == Source::procfs && !options_.hz &&
                                std::any_of(sample.services.begin(), sample.services.end(), [](const Service& service) {
                                  return service.persistence_prefix.has_value();
                                });
  if (timeouts_unknown) {
    problems.push_back("persistence timeouts absent: /proc/net/ip_vs counts them in the kernel's jiffies, and its "
                       "HZ is unknown (" + options_.hz_unknown + "; give hz= on the lvs line)");
  }
  if (!sample.conn_count_error.empty()) problems.push_back(sample.conn_count_error);
  std::string joined;
  for (const auto& problem : problems) joined += (joined.empty() ? "" : "; ") + problem;
  return joined;
}

Result<std::uint64_t> running_kernel_hz() {
  utsname system{};
  if (::uname(&system) != 0) return Error{std::string("uname: ") + std::strerror(errno)};
  const std::string path = std::string("/boot/config-") + system.release;
  const auto file = read_file(path);
  if (file.error != 0) return Error{path + ": " + std::strerror(file.error)};
  const auto hz = kernel_hz_of_config(file.text);
  if (!hz || *hz == 0) return Error{path + " has no CONFIG_HZ"};
  return *hz;
}

namespace {

// Walks two lists sorted by `key` in step: calls `only_before`, `only_after`
// or `both` for each element.
template <class T, class Key, class Before, class After, class Both>
void compare_sorted(const std::vector<T>& before, const std::vector<T>& after, Key key, Before only_before,
                    After only_after, Both both) {
  auto b = before.begin(), a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && key(*b) < key(*a))) {
      only_before(*b++);
    } else if (b == before.end() || key(*a) < key(*b)) {
      only_after(*a++);
    } else {
      both(*b++, *a++);
    }
  }
}

std::uint64_t weight_value(std::int64_t weight) { return weight > 0 ? static_cast<std::uint64_t>(weight) : 0; }

}  // namespace

void LvsInstance::detect_events(const Sample* before, const Sample& after) {
  const std::string& name = settings().name;
  for (const auto& service : after.services) {
    const bool weighted = std::any_of(service.real_servers.begin(), service.real_servers.end(),
                                      [](const RealServer& real) { return real.weight > 0; });
    watch(events::no_weighted_server, nested_label(name, service_label(service)), weighted ? 0 : 1);
  }
  if (before == nullptr) return;
  const auto service_event = [&](const Service& service, const NotificationType& type, const char* what) {
    Event event;
    event.label = nested_label(name, service_label(service));
    event.text = "lvs " + event.label + ": service " + what;
    notify(events::services, type, std::move(event));
  };
  compare_sorted(
      before->services, after.services, [](const Service& s) { return s.key(); },
      [&](const Service& gone) { service_event(gone, events::service_removed, "removed"); },
      [&](const Service& added) { service_event(added, events::service_added, "added"); },
      [&](const Service& was, const Service& is) {
        compare_real_servers(nested_label(name, service_label(is)), was, is);
      });
}

void LvsInstance::compare_real_servers(const std::string& service, const Service& before, const Service& after) {
  const auto real_event = [&](const RealServer& real, const std::string& what) {
    Event event;
    event.label = service + " -> " + real_server_label(real);
    event.text = "lvs " + event.label + ": real server " + what;
    return event;
  };
  compare_sorted(
      before.real_servers, after.real_servers, real_server_key,
      [&](const RealServer& gone) {
        auto event = real_event(gone, "removed");
        event.previous_value = weight_value(gone.weight);
        notify(events::real_servers, events::real_server_removed, std::move(event));
      },
      [&](const RealServer& added) {
        auto event = real_event(added, "added with weight " + std::to_string(added.weight));
        event.value = weight_value(added.weight);
        notify(events::real_servers, events::real_server_added, std::move(event));
      },
      [&](const RealServer& was, const RealServer& is) {
        if ((was.weight > 0) == (is.weight > 0)) return;
        const bool out = is.weight <= 0;
        auto event = real_event(is, "weight " + std::to_string(was.weight) + " -> " + std::to_string(is.weight) +
                                        (out ? " (out of the pool)" : " (back in the pool)"));
        event.value = weight_value(is.weight);
        event.previous_value = weight_value(was.weight);
        notify(events::weight, out ? events::real_server_weight_zero : events::real_server_weight_restored,
               std::move(event));
      });
}

void LvsInstance::write_rows(SnapshotBuilder& out) const {
  Oid index;
  RowWriter row = write_instance_row(out, instance_entry_oid(), index);
  if (!serving_) return;
  write_instance_data(row, *last_);
  write_service_rows(out, index, settings().name, row.instance(), *last_);
}

namespace {

constexpr const char* kUsage =
    "expected: lvs NAME [source=auto|netlink|procfs] [procfs=DIR] [hz=HZ] [conns=on|off] [conn_interval=SECONDS] "
    "[conn_limit=ENTRIES]";

// One option of an lvs line into `options`; an error says what is wrong.
std::optional<std::string> apply_option(Options& options, const std::string& key, const std::string& value) {
  const auto number = parse_unsigned(value);
  if (key == "source") {
    if (value == "auto") options.source = SourceChoice::automatic;
    else if (value == "netlink") options.source = SourceChoice::netlink;
    else if (value == "procfs") options.source = SourceChoice::procfs;
    else return "source must be auto, netlink or procfs, not '" + value + "'";
  } else if (key == "hz") {
    if (!number || *number == 0 || *number > 10000) return "hz must be the kernel's HZ (100, 250, 300, 1000...), not '" + value + "'";
    options.hz = *number;
  } else if (key == "procfs") {
    if (value.empty() || value.front() != '/') return "procfs= must be an absolute path, not '" + value + "'";
    options.procfs = value;
    while (options.procfs.size() > 1 && options.procfs.back() == '/') options.procfs.pop_back();
  } else if (key == "conns") {
    if (value != "on" && value != "off") return "conns must be on or off, not '" + value + "'";
    options.count_conns = value == "on";
  } else if (key == "conn_interval") {
    if (!number || *number == 0 || *number > 86400) return "conn_interval must be 1 to 86400 seconds, not '" + value + "'";
    options.conn_interval = std::chrono::seconds(*number);
  } else if (key == "conn_limit") {
    if (!number || *number == 0) return "conn_limit must be a number of entries above 0, not '" + value + "'";
    options.conn_limit = *number;
  } else {
    return "unknown option '" + key + "='; lvs takes interval=, timeout=, source=, procfs=, hz=, conns=, "
           "conn_interval= and conn_limit=";
  }
  return std::nullopt;
}

}  // namespace

Result<std::shared_ptr<Instance>> create_instance(const InstanceLine& line) {
  if (!line.args.empty()) return Error{kUsage};
  Options options;
  for (const auto& [key, value] : line.options) {
    if (auto error = apply_option(options, key, value)) return Error{std::move(*error)};
  }
  if (!options.hz) {
    auto hz = running_kernel_hz();
    if (hz) {
      options.hz = hz.value();
    } else {
      options.hz_unknown = hz.error();
    }
  }
  // Endpoint: where the kernel's tables are read.
  InstanceSettings settings{line.subsystem, line.name, options.procfs, line.interval, line.timeout, line.identity};
  return std::shared_ptr<Instance>(std::make_shared<LvsInstance>(std::move(settings), std::move(options)));
}

}  // namespace mwx::lvs
