#include "handlers/memcached/collector.hpp"

#include <fmt/format.h>

#include "handlers/memcached/derive.hpp"
#include "handlers/memcached/events.hpp"
#include "handlers/memcached/parse.hpp"

namespace mwx::memcached {

std::vector<TextRequest> poll_requests(bool connections) {
  std::vector<TextRequest> requests;
  for (const char* command : {"stats\r\n", "stats settings\r\n", "stats items\r\n", "stats slabs\r\n"}) {
    requests.push_back({command, &is_last_reply_line});
  }
  if (connections) requests.push_back({"stats conns\r\n", &is_last_reply_line});
  return requests;
}

Result<Sample> build_sample(const std::vector<std::string>& replies, const Sample* previous,
                            std::chrono::system_clock::time_point now) {
  if (replies.size() != 4 && replies.size() != 5) {
    return Error{"expected 4 or 5 replies, got " + std::to_string(replies.size())};
  }
  Sample sample;
  auto stats = parse_stats(replies[0]);
  if (!stats) return Error{"stats: " + stats.error()};
  sample.stats = std::move(stats).value();
  auto settings = parse_settings(replies[1]);
  if (!settings) return Error{"stats settings: " + settings.error()};
  sample.settings = std::move(settings).value();
  auto slabs = parse_items_and_slabs(replies[2], replies[3]);
  if (!slabs) return Error{slabs.error()};
  sample.slabs = std::move(slabs).value();
  auto totals = parse_slab_totals(replies[3]);
  if (!totals) return Error{totals.error()};
  sample.slab_totals = totals.value();
  if (replies.size() == 5) {
    auto connections = parse_conns(replies[4]);
    if (!connections) return Error{connections.error()};
    sample.connections = std::move(connections).value();
  }

  const bool comparable = previous && !is_discontinuity(previous->stats, sample.stats);
  sample.discontinuity_time = comparable ? previous->discontinuity_time : now;
  sample.derived = derive(sample.stats, sample.settings, sample.slabs, comparable ? &previous->stats : nullptr);
  return sample;
}

MemcachedInstance::MemcachedInstance(InstanceSettings settings, Endpoint endpoint, Options options)
    : TextProtocolInstance(std::move(settings), std::move(endpoint), poll_requests(options.connections),
                           options.connections ? kMaxConnsReplyBytes : kDefaultMaxReplyBytes),
      slab_rows_(options.slab_rows) {}

std::optional<std::string> MemcachedInstance::take_replies(const std::vector<std::string>& replies) {
  auto sample = build_sample(replies, previous_ ? &*previous_ : nullptr, std::chrono::system_clock::now());
  if (!sample) return sample.error();
  detect_events(previous_ ? &*previous_ : nullptr, sample.value());
  previous_ = std::move(sample).value();
  serving_ = true;
  return std::nullopt;
}

namespace {

std::optional<std::uint64_t> whole_percent(std::optional<std::uint32_t> hundredths) {
  if (!hundredths) return std::nullopt;
  return *hundredths / 100;
}

// Connections the server refused or stopped accepting at maxconns.
std::optional<std::uint64_t> refused_connections(const GeneralStats& stats) {
  const auto rejected = stats.get(Stat::rejected_connections), disabled = stats.get(Stat::listen_disabled_num);
  if (!rejected && !disabled) return std::nullopt;
  return rejected.value_or(0) + disabled.value_or(0);
}

}  // namespace

void MemcachedInstance::detect_events(const Sample* previous, const Sample& sample) {
  const std::string& name = settings().name;
  watch(events::connection_usage, name, whole_percent(sample.derived.connection_usage));
  watch(events::hit_ratio, name, whole_percent(sample.derived.hit_ratio));
  if (previous == nullptr) return;
  if (is_discontinuity(previous->stats, sample.stats)) {
    Event event;
    event.text = "memcached " + name + " restarted, or its counters were reset (pid, uptime or a counter went back)";
    notify(instance_events::restarted, instance_events::restarted_notification, std::move(event));
    return;
  }
  const auto before = refused_connections(previous->stats), now = refused_connections(sample.stats);
  if (before && now && *now > *before) {
    Event event;
    event.value = *now;
    event.previous_value = *before;
    event.text = fmt::format("memcached {} is at maxconns: rejected_connections + listen_disabled_num rose from {} "
                             "to {}",
                             name, *before, *now);
    notify(events::rejected_connections, events::connections_refused, std::move(event));
  }
  for (const auto& reading : evictions_since(previous->slabs, sample.slabs)) {
    const std::string label = nested_label(name, std::to_string(reading.slab_class));
    if (reading.evicted_item_age) {
      watch(events::evicted_item_age, label, reading.evicted_item_age);
    } else {
      settle(events::evicted_item_age, label, "memcached " + label + ": no item evicted in the last interval");
    }
  }
}

void MemcachedInstance::write_rows(SnapshotBuilder& out) const {
  Oid index;
  RowWriter row = write_instance_row(out, instance_entry_oid(), index);
  if (!serving_) return;
  write_instance_data(row, *previous_);
  if (slab_rows_) write_slab_rows(out, index, settings().name, row.instance(), *previous_);
  write_listener_rows(out, index, settings().name, row.instance(), *previous_);
}

Result<std::shared_ptr<Instance>> create_instance(const InstanceLine& line) {
  const auto options = on_off_options(line, {{"slabs", true}, {"conns", false}});
  if (!options) return Error{options.error()};
  auto endpoint = endpoint_argument(without_options(line), kDefaultPort);
  if (!endpoint) return Error{endpoint.error()};
  return std::shared_ptr<Instance>(std::make_shared<MemcachedInstance>(
      settings_of(line), std::move(endpoint).value(),
      MemcachedInstance::Options{options.value().at("slabs"), options.value().at("conns")}));
}

}  // namespace mwx::memcached
