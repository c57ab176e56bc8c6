#include "handlers/memcached/collector.hpp"

#include "handlers/memcached/derive.hpp"
#include "handlers/memcached/parse.hpp"

namespace mwx::memcached {

std::vector<TextRequest> poll_requests() {
  std::vector<TextRequest> requests;
  for (const char* command : {"stats\r\n", "stats settings\r\n", "stats items\r\n", "stats slabs\r\n"}) {
    requests.push_back({command, &is_last_reply_line});
  }
  return requests;
}

Result<Sample> build_sample(const std::vector<std::string>& replies, const Sample* previous,
                            std::chrono::system_clock::time_point now) {
  if (replies.size() != 4) return Error{"expected 4 replies, got " + std::to_string(replies.size())};
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

  const bool comparable = previous && !is_discontinuity(previous->stats, sample.stats);
  sample.discontinuity_time = comparable ? previous->discontinuity_time : now;
  sample.derived = derive(sample.stats, sample.settings, sample.slabs, comparable ? &previous->stats : nullptr);
  return sample;
}

MemcachedInstance::MemcachedInstance(InstanceSettings settings, Endpoint endpoint)
    : TextProtocolInstance(std::move(settings), std::move(endpoint), poll_requests()) {}

std::optional<std::string> MemcachedInstance::take_replies(const std::vector<std::string>& replies) {
  auto sample = build_sample(replies, previous_ ? &*previous_ : nullptr, std::chrono::system_clock::now());
  if (!sample) return sample.error();
  previous_ = sample.value();
  current_ = std::move(sample).value();
  return std::nullopt;
}

void MemcachedInstance::write_rows(SnapshotBuilder& out) const {
  Oid index;
  RowWriter row = write_instance_row(out, instance_entry_oid(), index);
  if (!current_) return;
  write_instance_data(row, *current_);
  write_slab_rows(out, index, settings().name, row.instance(), *current_);
}

Result<std::shared_ptr<Instance>> create_instance(const InstanceLine& line) {
  return create_endpoint_instance<MemcachedInstance>(line, kDefaultPort);
}

}  // namespace mwx::memcached
