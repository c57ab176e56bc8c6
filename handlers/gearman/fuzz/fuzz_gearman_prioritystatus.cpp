// gearmand's 'prioritystatus' reply, through the parser, the merge with
// 'status' (build_sample) and the rows.
#include <cstdint>
#include <string>
#include <string_view>

#include "handlers/gearman/collector.hpp"
#include "handlers/gearman/mib.hpp"
#include "handlers/gearman/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string reply(reinterpret_cast<const char*>(data), size);
  auto queues = mwx::gearman::parse_prioritystatus(reply);
  auto sample = mwx::gearman::build_sample({"a\t3\t1\t1\n.\n", reply, "1 127.0.0.1 - : a\n.\n", "OK 1\n", "OK 7\n"});
  if (mwx::gearman::is_unknown_command(reply)) {
    // A gearmand without the command: the poll goes on, without queues.
    if (!sample.ok() || sample.value().functions.front().queued) __builtin_trap();
    return 0;
  }
  if (queues.ok() != sample.ok()) __builtin_trap();  // the merge refuses nothing the parser accepts
  if (!sample.ok()) return 0;
  // Every listed function is a row once: 'a' from status, the others from here.
  const auto& functions = sample.value().functions;
  std::size_t only_here = 0;
  for (const auto& [name, _] : queues.value()) only_here += name == "a" ? 0 : 1;
  if (functions.size() != 1 + only_here) __builtin_trap();
  mwx::SnapshotBuilder builder;
  mwx::Oid index;
  mwx::append_string_index(index, "fuzz");
  mwx::gearman::write_function_rows(builder, index, "fuzz", mwx::Snapshot::kNoInstance, sample.value());
  if (!std::move(builder).build().ok()) __builtin_trap();  // names are unique: no OID twice
  return 0;
}
