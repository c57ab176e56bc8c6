// The reference a walk of mwagentx is compared with: a subagent written
// the way net-snmp's own examples serve a table, its table_tdata helper
// over rows kept in memory (the helper finds the row, the handler answers
// the column). ROWS rows of four columns (Gauge32, Counter64, a short
// text, INTEGER) at .1.3.6.1.4.1.8072.9999.99.1.1, indexed by an OCTET
// STRING of INDEX_LENGTH characters (so that its OIDs can be as long as
// the ones compared with), or by an Unsigned32 when INDEX_LENGTH is 0.
// Usage: bench_tdata_subagent AGENTX_SOCKET ROWS INDEX_LENGTH
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

namespace {

const oid kTableOid[] = {1, 3, 6, 1, 4, 1, 8072, 9999, 99, 1};

struct Row {
  u_long gauge;
  counter64 counter;
  std::string text;
  long integer;
};

volatile std::sig_atomic_t running = 1;

int answer(netsnmp_mib_handler*, netsnmp_handler_registration*, netsnmp_agent_request_info* reqinfo,
           netsnmp_request_info* requests) {
  if (reqinfo->mode != MODE_GET) return SNMP_ERR_NOERROR;  // the helper turns GETNEXT into GET
  for (netsnmp_request_info* request = requests; request != nullptr; request = request->next) {
    const auto* row = static_cast<const Row*>(netsnmp_tdata_extract_entry(request));
    const netsnmp_table_request_info* info = netsnmp_extract_table_info(request);
    if (row == nullptr || info == nullptr) {
      netsnmp_set_request_error(reqinfo, request, SNMP_NOSUCHINSTANCE);
      continue;
    }
    netsnmp_variable_list* var = request->requestvb;
    switch (info->colnum) {
      case 1: snmp_set_var_typed_value(var, ASN_GAUGE, &row->gauge, sizeof row->gauge); break;
      case 2: snmp_set_var_typed_value(var, ASN_COUNTER64, &row->counter, sizeof row->counter); break;
      case 3: snmp_set_var_typed_value(var, ASN_OCTET_STR, row->text.data(), row->text.size()); break;
      case 4: snmp_set_var_typed_value(var, ASN_INTEGER, &row->integer, sizeof row->integer); break;
      default: netsnmp_set_request_error(reqinfo, request, SNMP_NOSUCHOBJECT); break;
    }
  }
  return SNMP_ERR_NOERROR;
}

// The index of row `r`: its number, zero-padded to `length` characters.
std::string index_of(std::size_t r, std::size_t length) {
  std::string digits = std::to_string(r);
  return std::string(length > digits.size() ? length - digits.size() : 0, '0') + digits;
}

bool register_table(std::vector<Row>& rows, std::size_t index_length) {
  netsnmp_tdata* table = netsnmp_tdata_create_table("benchTable", 0);
  auto* info = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
  netsnmp_table_helper_add_indexes(info, index_length > 0 ? ASN_OCTET_STR : ASN_UNSIGNED, 0);
  info->min_column = 1;
  info->max_column = 4;
  netsnmp_handler_registration* registration = netsnmp_create_handler_registration(
      "benchTable", answer, kTableOid, OID_LENGTH(kTableOid), HANDLER_CAN_RONLY);
  if (table == nullptr || registration == nullptr) return false;
  if (netsnmp_tdata_register(registration, table, info) != SNMPERR_SUCCESS) return false;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    rows[r] = {r, {0, r * 1000}, "row" + std::to_string(r), static_cast<long>(r)};
    netsnmp_tdata_row* row = netsnmp_tdata_create_row();
    row->data = &rows[r];
    if (index_length > 0) {
      const std::string index = index_of(r, index_length);
      netsnmp_tdata_row_add_index(row, ASN_OCTET_STR, index.data(), index.size());
    } else {
      const u_long number = r + 1;
      netsnmp_tdata_row_add_index(row, ASN_UNSIGNED, &number, sizeof number);
    }
    netsnmp_tdata_add_row(table, row);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s AGENTX_SOCKET ROWS INDEX_LENGTH\n", argv[0]);
    return 2;
  }
  netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
  netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, argv[1]);
  snmp_disable_log();
  snmp_enable_stderrlog();
  init_agent("benchtdata");
  std::vector<Row> rows(std::stoul(argv[2]));
  if (!register_table(rows, std::stoul(argv[3]))) {
    std::fprintf(stderr, "could not register the table\n");
    return 1;
  }
  init_snmp("benchtdata");
  std::signal(SIGTERM, [](int) { running = 0; });
  std::signal(SIGINT, [](int) { running = 0; });
  while (running) agent_check_and_process(1);
  snmp_shutdown("benchtdata");
  return 0;
}
