#include "handlers/gearman/collector.hpp"

#include <algorithm>
#include <unordered_map>

#include "handlers/gearman/events.hpp"
#include "handlers/gearman/parse.hpp"

namespace mwx::gearman {

std::vector<TextRequest> poll_requests() {
  return {{"status\n", &is_last_list_line},
          {"prioritystatus\n", &is_last_list_line},
          {"workers\n", &is_last_list_line},
          {"version\n", &is_single_line},
          {"getpid\n", &is_single_line}};
}

namespace {

// Each function's queues by priority from 'prioritystatus', added to the
// functions of 'status'; one it alone lists gets a row of its own.
std::optional<std::string> add_priorities(std::string_view reply, std::vector<FunctionStatus>& functions) {
  if (is_unknown_command(reply)) return std::nullopt;  // a gearmand older than the command
  auto queues = parse_prioritystatus(reply);
  if (!queues) return "prioritystatus: " + queues.error();
  functions.reserve(functions.size() + queues.value().size());  // no move while `by_name` views the names
  std::unordered_map<std::string_view, std::size_t> by_name;
  for (std::size_t i = 0; i < functions.size(); ++i) by_name.emplace(functions[i].name, i);
  for (auto& [name, queued] : queues.value()) {
    if (const auto known = by_name.find(name); known != by_name.end()) {
      functions[known->second].queued = queued;
    } else {
      FunctionStatus only_here{std::move(name)};
      only_here.in_status = false;
      only_here.queued = queued;
      functions.push_back(std::move(only_here));
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Sample> build_sample(const std::vector<std::string>& replies) {
  if (replies.size() != 5) return Error{"expected 5 replies, got " + std::to_string(replies.size())};
  Sample sample;
  auto functions = parse_status(replies[0]);
  if (!functions) return Error{"status: " + functions.error()};
  sample.functions = std::move(functions).value();
  if (auto error = add_priorities(replies[1], sample.functions)) return Error{std::move(*error)};
  auto connections = parse_workers(replies[2]);
  if (!connections) return Error{"workers: " + connections.error()};
  sample.connections = std::move(connections).value();
  for (auto& function : sample.functions) {
    const auto found = sample.connections.registered.find(function.name);
    if (found != sample.connections.registered.end()) function.registered = found->second;
  }
  auto version = parse_version(replies[3]);
  if (!version) return Error{"version: " + version.error()};
  sample.version = std::move(version).value();
  if (!is_unknown_command(replies[4])) {
    auto pid = parse_pid(replies[4]);
    if (!pid) return Error{"getpid: " + pid.error()};
    sample.pid = pid.value();
  }
  return sample;
}

GearmanInstance::GearmanInstance(InstanceSettings settings, Endpoint endpoint)
    : TextProtocolInstance(std::move(settings), std::move(endpoint), poll_requests()) {}

std::optional<std::string> GearmanInstance::take_replies(const std::vector<std::string>& replies) {
  auto sample = build_sample(replies);
  if (!sample) return sample.error();
  const auto not_indexed = functions_not_indexed(sample.value());
  if (not_indexed != not_indexed_) {
    log().info("instance \"{}\": {} function(s) have names that cannot be a table index (over {} bytes, or not "
               "printable ASCII); they count in the totals and in mwxGearmanFunctionsNotIndexed",
               settings().name, not_indexed, kMaxIndexedNameLength);
    not_indexed_ = not_indexed;
  }
  for (const auto& function : sample.value().functions) {
    if (!is_indexable(function.name)) continue;
    const std::string label = nested_label(settings().name, function.name);
    watch(events::waiting_jobs, label, function.waiting());
    watch(events::no_worker, label, function.available == 0 ? function.waiting() : 0);
  }
  current_ = std::move(sample).value();
  return std::nullopt;
}

void GearmanInstance::write_rows(SnapshotBuilder& out) const {
  Oid index;
  RowWriter row = write_instance_row(out, instance_entry_oid(), index);
  if (!current_) return;
  write_instance_data(row, *current_);
  write_function_rows(out, index, settings().name, row.instance(), *current_);
}

Result<std::shared_ptr<Instance>> create_instance(const InstanceLine& line) {
  return create_endpoint_instance<GearmanInstance>(line, kDefaultPort);
}

}  // namespace mwx::gearman
