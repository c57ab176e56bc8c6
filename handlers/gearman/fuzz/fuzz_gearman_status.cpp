// gearmand's 'status' reply, through the parser, the totals and the rows.
#include <cstdint>
#include <string_view>

#include "handlers/gearman/mib.hpp"
#include "handlers/gearman/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view reply(reinterpret_cast<const char*>(data), size);
  auto functions = mwx::gearman::parse_status(reply);
  if (!functions.ok()) return 0;
  mwx::gearman::Sample sample;
  sample.functions = std::move(functions).value();
  const auto summary = mwx::gearman::summarize(sample);
  if (summary.running_jobs > summary.total_jobs || summary.waiting_jobs > summary.total_jobs) {
    __builtin_trap();  // per function running <= total, and sums saturate rather than wrap
  }
  mwx::SnapshotBuilder builder;
  mwx::Oid index;
  mwx::append_string_index(index, "fuzz");
  mwx::gearman::write_function_rows(builder, index, "fuzz", mwx::Snapshot::kNoInstance, sample);
  auto snapshot = std::move(builder).build();
  if (!snapshot.ok()) __builtin_trap();  // names are unique and short: no OID twice, none past 128 arcs
  return 0;
}
