#include "handlers/qmail/mib.hpp"

#include "agent/mib/mib_root.hpp"

namespace mwx::qmail {
namespace {

constexpr OidArc kMwxQmail = 4;  // mwxObjects.4

// mwxQmailEntry beyond the columns every instance table has.
constexpr Column kQueueMessages{6, "mwxQmailQueueMessages", SnmpType::Gauge32};
constexpr Column kTodoMessages{7, "mwxQmailTodoMessages", SnmpType::Gauge32};
constexpr Column kLocalMessages{8, "mwxQmailLocalMessages", SnmpType::Gauge32};
constexpr Column kRemoteMessages{9, "mwxQmailRemoteMessages", SnmpType::Gauge32};
constexpr Column kBounceMessages{10, "mwxQmailBounceMessages", SnmpType::Gauge32};
constexpr Column kOldestMessageAge{11, "mwxQmailOldestMessageAge", SnmpType::Unsigned32, {}, "seconds"};
constexpr Column kOldestTodoAge{12, "mwxQmailOldestTodoAge", SnmpType::Unsigned32, {}, "seconds"};
constexpr Column kQueueSplit{13, "mwxQmailQueueSplit", SnmpType::Unsigned32};
constexpr Column kOldestPreprocessedAge{14, "mwxQmailOldestPreprocessedAge", SnmpType::Unsigned32, {}, "seconds"};
constexpr const Column* kInstanceColumns[] = {&kQueueMessages,  &kTodoMessages,   &kLocalMessages,
                                              &kRemoteMessages, &kBounceMessages, &kOldestMessageAge,
                                              &kOldestTodoAge,  &kQueueSplit,     &kOldestPreprocessedAge};

}  // namespace

const Oid& instance_entry_oid() {
  static const Oid oid = concat(mwx_objects(kMwxQmail), {1, 1});
  return oid;
}

void write_instance_data(RowWriter& row, const Sample& sample) {
  row.number(kQueueMessages, sample.queue_messages);
  row.number(kTodoMessages, sample.todo_messages);
  row.number(kLocalMessages, sample.local_messages);
  row.number(kRemoteMessages, sample.remote_messages);
  row.number(kBounceMessages, sample.bounce_messages);
  row.number(kOldestMessageAge, sample.oldest_message_age);
  row.number(kOldestTodoAge, sample.oldest_todo_age);
  row.number(kQueueSplit, sample.split);
  row.number(kOldestPreprocessedAge, sample.oldest_preprocessed_age);
}

void describe(MibCatalog& catalog) {
  catalog.add_instance_columns("mwxQmail", instance_entry_oid());
  catalog.add_columns(instance_entry_oid(), {IndexKind::String}, kInstanceColumns);
}

}  // namespace mwx::qmail
