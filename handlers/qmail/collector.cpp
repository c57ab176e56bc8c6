#include "handlers/qmail/collector.hpp"

#include "handlers/qmail/events.hpp"

namespace mwx::qmail {

QmailInstance::QmailInstance(InstanceSettings settings)
    : BackgroundInstance(std::move(settings)), queue_dir_(this->settings().endpoint + "/queue") {}

Result<Sample> QmailInstance::collect(std::chrono::steady_clock::time_point deadline) const {
  return scan_queue(queue_dir_, {deadline, std::time(nullptr)}, memory_);
}

void QmailInstance::take(Sample sample) {
  watch(events::queue_messages, settings().name, sample.queue_messages);
  watch(events::oldest_todo_age, settings().name, sample.oldest_todo_age);
  if (sample.problems.empty()) {
    record_success();
  } else {
    record_partial_success(join_problems(sample.problems));
  }
  current_ = std::move(sample);
}

void QmailInstance::write_rows(SnapshotBuilder& out) const {
  Oid index;
  RowWriter row = write_instance_row(out, instance_entry_oid(), index);
  if (current_) write_instance_data(row, *current_);
}

Result<std::shared_ptr<Instance>> create_instance(const InstanceLine& line) {
  if (line.args.size() > 1) return Error{"expected: qmail NAME [QMAILDIR]"};
  if (!line.options.empty()) {
    return Error{"unknown option '" + line.options.front().first + "='; qmail takes interval= and timeout="};
  }
  std::string qmail_dir = line.args.empty() ? kDefaultQmailDir : line.args[0];
  if (qmail_dir.empty() || qmail_dir.front() != '/') {
    return Error{"QMAILDIR must be an absolute path, not '" + qmail_dir + "'"};
  }
  while (qmail_dir.size() > 1 && qmail_dir.back() == '/') qmail_dir.pop_back();
  InstanceSettings settings{line.subsystem, line.name, qmail_dir, line.interval, line.timeout, line.identity};
  return std::shared_ptr<Instance>(std::make_shared<QmailInstance>(std::move(settings)));
}

}  // namespace mwx::qmail
