#include "handlers/qmail/mib.hpp"

#include "agent/mib/mib_root.hpp"

namespace mwx::qmail {
namespace {

constexpr OidArc kMwxQmail = 4;  // mwxObjects.4

// mwxQmailEntry beyond the columns every instance table has.
constexpr Cell<Sample> kInstanceCells[] = {
    {{6, "mwxQmailQueueMessages", SnmpType::Gauge32}, [](const Sample& s) -> CellValue { return s.queue_messages; }},
    {{7, "mwxQmailTodoMessages", SnmpType::Gauge32}, [](const Sample& s) -> CellValue { return s.todo_messages; }},
    {{8, "mwxQmailLocalMessages", SnmpType::Gauge32}, [](const Sample& s) -> CellValue { return s.local_messages; }},
    {{9, "mwxQmailRemoteMessages", SnmpType::Gauge32},
     [](const Sample& s) -> CellValue { return s.remote_messages; }},
    {{10, "mwxQmailBounceMessages", SnmpType::Gauge32},
     [](const Sample& s) -> CellValue { return s.bounce_messages; }},
    {{11, "mwxQmailOldestMessageAge", SnmpType::Unsigned32, {}, "seconds"},
     [](const Sample& s) -> CellValue { return s.oldest_message_age; }},
    {{12, "mwxQmailOldestTodoAge", SnmpType::Unsigned32, {}, "seconds"},
     [](const Sample& s) -> CellValue { return s.oldest_todo_age; }},
    {{13, "mwxQmailQueueSplit", SnmpType::Unsigned32}, [](const Sample& s) -> CellValue { return s.split; }},
    {{14, "mwxQmailOldestPreprocessedAge", SnmpType::Unsigned32, {}, "seconds"},
     [](const Sample& s) -> CellValue { return s.oldest_preprocessed_age; }},
};

}  // namespace

const Oid& instance_entry_oid() { return table_entry_oid<kMwxQmail, 1>(); }

void write_instance_data(RowWriter& row, const Sample& sample) { row.cells<Sample>(kInstanceCells, sample); }

void describe(MibCatalog& catalog) {
  catalog.add_instance_columns("mwxQmail", instance_entry_oid());
  catalog.add_cells<Sample>(instance_entry_oid(), {IndexKind::String}, kInstanceCells);
}

}  // namespace mwx::qmail
