#include "handlers/flare/collector.hpp"

#include <algorithm>
#include <set>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "agent/poll/text_exchange.hpp"
#include "agent/poll/text_instance.hpp"
#include "handlers/flare/events.hpp"
#include "handlers/flare/mib.hpp"
#include "handlers/flare/node_poll.hpp"
#include "handlers/flare/parse.hpp"
#include "handlers/memcached/derive.hpp"
#include "handlers/memcached/stat_lines.hpp"

namespace mwx::flare {
namespace {

std::vector<TextRequest> index_requests() {
  return {{"stats nodes\r\n", &memcached::is_last_reply_line}, {"stats\r\n", &memcached::is_last_reply_line}};
}

Result<Sample> build_index_sample(const std::vector<std::string>& replies) {
  auto nodes = parse_stats_nodes(replies[0]);
  if (!nodes) return Error{"stats nodes: " + nodes.error()};
  auto index = parse_index_stats(replies[1]);
  if (!index) return Error{"stats: " + index.error()};
  Sample sample;
  sample.index = std::move(index).value();
  for (auto& node : nodes.value()) sample.nodes.push_back({std::move(node), std::nullopt, "node_stats=off"});
  return sample;
}

std::string partitions_text(const std::vector<std::int64_t>& partitions) {
  std::string out;
  for (const auto p : partitions) out += (out.empty() ? "" : ", ") + std::to_string(p);
  return out;
}

}  // namespace

FlareInstance::FlareInstance(InstanceSettings settings, Endpoint index, bool node_stats)
    : Instance(std::move(settings)), index_(std::move(index)), node_stats_(node_stats) {}

void FlareInstance::poll(boost::asio::io_context& io, std::function<void()> done) {
  auto self = std::static_pointer_cast<FlareInstance>(shared_from_this());
  const auto deadline = std::chrono::steady_clock::now() + settings().timeout;
  exchange_text(io, index_, index_requests(), {settings().timeout},
                [self, &io, deadline, done = std::move(done)](Result<std::vector<std::string>> replies) mutable {
                  const bool more = self->guarded([&] {
                    auto sample =
                        replies ? build_index_sample(replies.value()) : Result<Sample>(Error{replies.error()});
                    if (!sample || !self->node_stats_ || sample.value().nodes.empty()) {
                      self->take(std::move(sample), std::chrono::system_clock::now());
                      return done();
                    }
                    self->poll_nodes(io, std::move(sample).value(), deadline, done);
                  });
                  if (!more) done();
                });
}

void FlareInstance::poll_nodes(boost::asio::io_context& io, Sample sample,
                               std::chrono::steady_clock::time_point deadline, std::function<void()> done) {
  // Every node in parallel; the last answer (or failure) completes the poll.
  struct Gathering {
    Sample sample;
    std::size_t outstanding;
    std::function<void()> done;
  };
  auto gathering = std::make_shared<Gathering>(Gathering{std::move(sample), 0, std::move(done)});
  gathering->outstanding = gathering->sample.nodes.size();
  auto self = std::static_pointer_cast<FlareInstance>(shared_from_this());
  for (std::size_t i = 0; i < gathering->sample.nodes.size(); ++i) {
    poll_node(io, gathering->sample.nodes[i].node, deadline, [self, gathering, i](Result<NodeStats> stats) {
      NodeReport& report = gathering->sample.nodes[i];
      if (stats) {
        report.stats = std::move(stats).value();
        report.stats_error.clear();
      } else {
        report.stats_error = stats.error();
      }
      if (--gathering->outstanding > 0) return;
      self->guarded([&] { self->take(std::move(gathering->sample), std::chrono::system_clock::now()); });
      gathering->done();
    });
  }
}

std::vector<TopologyEvent> FlareInstance::take(Result<Sample> sample, std::chrono::system_clock::time_point now) {
  if (!sample) {
    current_.reset();
    record_failure(sample.error());
    return {};
  }
  std::vector<Node> map;
  for (const auto& report : sample.value().nodes) map.push_back(report.node);
  std::vector<TopologyEvent> events;
  if (last_map_) events = compare_topologies(*last_map_, map);
  record_changes(events, now);
  record_nodes(sample.value(), map, now);
  last_map_ = std::move(map);

  const auto not_indexed = nodes_not_indexed(*last_map_);
  if (not_indexed != not_indexed_) {
    log().info("cluster \"{}\": {} node key(s) are longer than {} bytes and get no row in mwxFlareNodeTable",
               settings().name, not_indexed, kMaxIndexedKeyLength);
    not_indexed_ = not_indexed;
  }

  const auto summary = summarize(*last_map_);
  notify_topology(events, summary);
  current_ = std::move(sample).value();
  if (summary.partitions_without_master.empty()) {
    record_success();
  } else {
    record_condition(InstanceStatus::degraded,
                     "no active master in partition " + partitions_text(summary.partitions_without_master));
  }
  return events;
}

void FlareInstance::record_changes(const std::vector<TopologyEvent>& changes,
                                   std::chrono::system_clock::time_point now) {
  std::set<std::string_view> changed;  // a node whose role and state both changed changed once
  for (const auto& event : changes) {
    if (event.kind == TopologyEvent::Kind::failover) {
      ++history_.failovers;
      history_.last_failover = now;
      log().warn("cluster \"{}\": {}", settings().name, event.describe());
      continue;
    }
    log().info("cluster \"{}\": {}", settings().name, event.describe());
    if (!changed.insert(event.node).second) continue;
    auto& node = history_.nodes[event.node];
    ++node.changes;
    node.last_change = now;
  }
}

void FlareInstance::record_nodes(const Sample& sample, const std::vector<Node>& map,
                                 std::chrono::system_clock::time_point now) {
  for (const auto& report : sample.nodes) {
    if (!report.stats) continue;
    auto& node = history_.nodes[report.node.key];
    const auto& stats = report.stats->stats;
    if (!node.last_stats || memcached::is_discontinuity(*node.last_stats, stats)) node.stats_discontinuity = now;
    node.last_stats = stats;
  }
  std::map<std::string, NodeHistory, std::less<>> kept;
  for (const auto& node : map) kept[node.key] = history_.nodes[node.key];
  history_.nodes = std::move(kept);
}

void FlareInstance::notify_topology(const std::vector<TopologyEvent>& changes, const TopologySummary& summary) {
  const std::string& name = settings().name;
  // Partition events are about the partition: each has its own rate limit.
  const auto partition_label = [&](std::int64_t partition) {
    return nested_label(name, "partition " + std::to_string(partition));
  };
  for (const auto& change : changes) {
    Event event;
    event.text = "flare " + name + ": " + change.describe();
    event.from = change.previous;
    if (change.kind == TopologyEvent::Kind::failover) {
      event.label = partition_label(change.partition);
      event.value = static_cast<std::uint64_t>(change.partition);
      event.to = change.node;
      notify(events::failover, events::failover_notification, std::move(event));
    } else if (change.kind == TopologyEvent::Kind::state_changed) {
      event.label = nested_label(name, change.node);
      event.to = change.current;
      notify(events::node_state, events::node_state_notification, std::move(event));
    }
  }
  const std::set<std::int64_t> now(summary.partitions_without_master.begin(), summary.partitions_without_master.end());
  const auto partition_event = [&](std::int64_t partition, const NotificationType& type, const char* what) {
    Event event;
    event.label = partition_label(partition);
    event.value = static_cast<std::uint64_t>(partition);
    event.text = "flare " + name + ": partition " + std::to_string(partition) + what;
    notify(events::partition_without_master, type, std::move(event));
  };
  for (const auto partition : now) {
    if (!without_master_.count(partition)) {
      partition_event(partition, events::partition_without_master_notification, " has no active master");
    }
  }
  for (const auto partition : without_master_) {
    if (!now.count(partition)) partition_event(partition, events::partition_master_back, " has an active master again");
  }
  without_master_ = now;
}

void FlareInstance::write_rows(SnapshotBuilder& out) const {
  Oid index;
  RowWriter row = write_instance_row(out, instance_entry_oid(), index);
  if (!current_) return;
  write_instance_data(row, *current_, history_);
  write_node_rows(out, index, settings().name, row.instance(), *current_, history_);
}

Result<std::shared_ptr<Instance>> create_instance(const InstanceLine& line) {
  if (line.args.size() != 1) return Error{"expected: flare NAME INDEXHOST[:PORT]"};
  const auto options = on_off_options(line, {{"node_stats", true}});
  if (!options) return Error{options.error()};
  auto endpoint = parse_endpoint(line.args[0], kDefaultIndexPort);
  if (!endpoint) return Error{endpoint.error()};
  if (endpoint.value().kind != Endpoint::Kind::Tcp) return Error{"the index server is reached over TCP"};
  InstanceSettings settings{line.subsystem, line.name, line.args[0], line.interval, line.timeout, line.identity};
  return std::shared_ptr<Instance>(
      std::make_shared<FlareInstance>(std::move(settings), std::move(endpoint).value(), options.value().at("node_stats")));
}

}  // namespace mwx::flare
