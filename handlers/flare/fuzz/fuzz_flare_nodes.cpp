// Flare's 'stats nodes' reply, through the parser, the topology summary,
// the change detection and the rows.
#include <cstdint>
#include <string_view>

#include "handlers/flare/mib.hpp"
#include "handlers/flare/parse.hpp"
#include "handlers/flare/topology.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view reply(reinterpret_cast<const char*>(data), size);
  auto nodes = mwx::flare::parse_stats_nodes(reply);
  if (!nodes.ok()) return 0;
  const auto summary = mwx::flare::summarize(nodes.value());
  if (summary.active + summary.down > summary.nodes) __builtin_trap();
  // Against itself nothing changed; against nothing, nothing either.
  if (!mwx::flare::compare_topologies(nodes.value(), nodes.value()).empty()) __builtin_trap();
  if (!mwx::flare::compare_topologies({}, nodes.value()).empty()) __builtin_trap();
  mwx::flare::Sample sample;
  for (auto& node : nodes.value()) sample.nodes.push_back({std::move(node), std::nullopt, "fuzz"});
  mwx::SnapshotBuilder builder;
  mwx::Oid index;
  mwx::append_string_index(index, "fuzz");
  mwx::flare::write_node_rows(builder, index, "fuzz", mwx::Snapshot::kNoInstance, sample, {});
  auto snapshot = std::move(builder).build();
  if (!snapshot.ok()) __builtin_trap();  // node keys are unique and short: no OID twice, none past 128 arcs
  return 0;
}
