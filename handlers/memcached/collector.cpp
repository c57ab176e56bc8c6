#include "handlers/memcached/collector.hpp"

#include <utility>  // before Asio (Boost 1.74 under C++20)

#include <boost/asio/io_context.hpp>

#include "agent/text_exchange.hpp"
#include "handlers/memcached/derive.hpp"
#include "handlers/memcached/parse.hpp"

namespace mwx::memcached {

std::vector<std::string> poll_commands() {
  return {"stats\r\n", "stats settings\r\n", "stats items\r\n", "stats slabs\r\n"};
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
    : Instance(std::move(settings)), endpoint_(std::move(endpoint)) {}

void MemcachedInstance::poll(boost::asio::io_context& io, std::function<void()> done) {
  std::vector<TextRequest> requests;
  for (auto& command : poll_commands()) requests.push_back({std::move(command), &is_last_reply_line});
  auto self = std::static_pointer_cast<MemcachedInstance>(shared_from_this());
  exchange_text(io, endpoint_, std::move(requests), {settings().timeout},
                [self, done = std::move(done)](Result<std::vector<std::string>> replies) {
                  self->absorb(std::move(replies));
                  done();
                });
}

void MemcachedInstance::absorb(Result<std::vector<std::string>> replies) {
  current_.reset();
  if (!replies) return record_failure(replies.error());
  auto sample = build_sample(replies.value(), previous_ ? &*previous_ : nullptr, std::chrono::system_clock::now());
  if (!sample) return record_failure(sample.error());
  previous_ = sample.value();
  current_ = std::move(sample).value();
  record_success();
}

void MemcachedInstance::write_rows(SnapshotBuilder& out) const {
  Oid index;
  RowWriter row = write_instance_row(out, instance_entry_oid(), index);
  if (!current_) return;
  write_instance_data(row, *current_);
  write_slab_rows(out, index, row.instance(), *current_);
}

Result<std::shared_ptr<Instance>> create_instance(const InstanceLine& line) {
  if (line.args.size() != 1) return Error{"expected: memcached NAME HOST:PORT|/path/to/socket"};
  if (!line.options.empty()) {
    return Error{"unknown option '" + line.options.front().first + "='; memcached takes interval= and timeout="};
  }
  auto endpoint = parse_endpoint(line.args[0], kDefaultPort);
  if (!endpoint) return Error{endpoint.error()};
  InstanceSettings settings{line.subsystem, line.name, line.args[0], line.interval, line.timeout, line.identity};
  return std::shared_ptr<Instance>(std::make_shared<MemcachedInstance>(std::move(settings), endpoint.value()));
}

}  // namespace mwx::memcached
