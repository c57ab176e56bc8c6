#pragma once
// One node's 'stats' and 'stats threads', within the cluster poll's
// deadline. A node listed by a host name is resolved first (asynchronously,
// bounded by the same deadline); numeric addresses are used as they are.

#include <chrono>
#include <functional>

#include "agent/base/result.hpp"
#include "handlers/flare/sample.hpp"

namespace boost::asio {
class io_context;
}

namespace mwx::flare {

using NodePollDone = std::function<void(Result<NodeStats>)>;

// `done` runs exactly once, on io's thread, by `deadline` at the latest.
void poll_node(boost::asio::io_context& io, const Node& node, std::chrono::steady_clock::time_point deadline,
               NodePollDone done);

// Pure: a node's two replies make its stats, or an error naming the bad one.
// A node that answers 'stats threads' with ERROR has no replication lag.
Result<NodeStats> build_node_stats(const std::string& stats_reply, const std::string& threads_reply);

}  // namespace mwx::flare
