#pragma once
// MWAGENTX-MIB's qmail table: which value goes to which column, typed.

#include "agent/mib/mib_catalog.hpp"
#include "agent/mib/row_writer.hpp"
#include "handlers/qmail/sample.hpp"

namespace mwx::qmail {

const Oid& instance_entry_oid();  // mwxQmailEntry

// The data columns of an up instance's row; unreadable values stay absent.
void write_instance_data(RowWriter& row, const Sample& sample);

void describe(MibCatalog& catalog);

}  // namespace mwx::qmail
