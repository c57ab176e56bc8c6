#include "handlers/qmail/mib.hpp"

#include "agent/mib_root.hpp"

namespace mwx::qmail {
namespace {

constexpr OidArc kMwxQmail = 4;  // mwxObjects.4

// Columns beyond the common ones (1-5).
constexpr OidArc kQueueMessages = 6, kTodoMessages = 7, kLocalMessages = 8, kRemoteMessages = 9,
                 kBounceMessages = 10, kOldestMessageAge = 11, kOldestTodoAge = 12, kQueueSplit = 13;

}  // namespace

const Oid& instance_entry_oid() {
  static const Oid oid = concat(mwx_objects(kMwxQmail), {1, 1});
  return oid;
}

void write_instance_data(RowWriter& row, const Sample& sample) {
  row.number(kQueueMessages, SnmpType::Gauge32, sample.queue_messages);
  row.number(kTodoMessages, SnmpType::Gauge32, sample.todo_messages);
  row.number(kLocalMessages, SnmpType::Gauge32, sample.local_messages);
  row.number(kRemoteMessages, SnmpType::Gauge32, sample.remote_messages);
  row.number(kBounceMessages, SnmpType::Gauge32, sample.bounce_messages);
  row.number(kOldestMessageAge, SnmpType::Unsigned32, sample.oldest_message_age);
  row.number(kOldestTodoAge, SnmpType::Unsigned32, sample.oldest_todo_age);
  row.number(kQueueSplit, SnmpType::Unsigned32, sample.split);
}

void describe(MibCatalog& catalog) {
  const std::vector<IndexKind> by_name{IndexKind::String};
  const Oid& entry = instance_entry_oid();
  add_instance_columns(catalog, "mwxQmail", entry);
  const std::tuple<OidArc, const char*, SnmpType> columns[] = {
      {kQueueMessages, "mwxQmailQueueMessages", SnmpType::Gauge32},
      {kTodoMessages, "mwxQmailTodoMessages", SnmpType::Gauge32},
      {kLocalMessages, "mwxQmailLocalMessages", SnmpType::Gauge32},
      {kRemoteMessages, "mwxQmailRemoteMessages", SnmpType::Gauge32},
      {kBounceMessages, "mwxQmailBounceMessages", SnmpType::Gauge32},
      {kOldestMessageAge, "mwxQmailOldestMessageAge", SnmpType::Unsigned32},
      {kOldestTodoAge, "mwxQmailOldestTodoAge", SnmpType::Unsigned32},
      {kQueueSplit, "mwxQmailQueueSplit", SnmpType::Unsigned32},
  };
  for (const auto& [column, name, type] : columns) catalog.add_column(name, concat(entry, {column}), type, by_name);
}

}  // namespace mwx::qmail
