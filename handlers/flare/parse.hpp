#pragma once
// Pure parsers of Flare's replies. The framing is memcached's
// (handlers/memcached/stat_lines.hpp); a reply that does not describe what
// it should fails with a message naming the bad part.

#include <string_view>
#include <vector>

#include "agent/base/result.hpp"
#include "handlers/flare/sample.hpp"

namespace mwx::flare {

// The index server's node map: "STAT HOST:PORT:FIELD VALUE" lines, five per
// node, then END. Keys are split on their last colons, so "::1:12121" and
// "[::1]:12121" are host ::1, port 12121. Every node needs all five fields;
// unknown fields are ignored (newer Flare may add some).
Result<std::vector<Node>> parse_stats_nodes(std::string_view reply);

// The index server's 'stats': version, uptime, node_map_version.
Result<IndexStats> parse_index_stats(std::string_view reply);

// A node's 'stats threads': the largest 'behind' among the threads that
// talk to other nodes (type 16 and up, a node's thread_type: replication);
// 0 when there are none, nullopt when none of them reports a number.
Result<std::optional<std::uint64_t>> parse_replication_lag(std::string_view reply);

}  // namespace mwx::flare
