#include "handlers/flare/node_poll.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "agent/poll/text_exchange.hpp"
#include "handlers/flare/parse.hpp"
#include "handlers/memcached/parse.hpp"

namespace mwx::flare {
namespace {

namespace asio = boost::asio;

std::vector<TextRequest> node_requests() {
  return {{"stats\r\n", &memcached::is_last_reply_line}, {"stats threads\r\n", &memcached::is_last_reply_line}};
}

void exchange_with(asio::io_context& io, Endpoint endpoint, std::chrono::steady_clock::time_point deadline,
                   NodePollDone done) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) {
    asio::post(io, [done = std::move(done)] { done(Error{"no time left in the poll"}); });
    return;
  }
  exchange_text(io, endpoint, node_requests(), {left}, [done = std::move(done)](auto replies) {
    if (!replies) return done(Error{replies.error()});
    done(build_node_stats(replies.value()[0], replies.value()[1]));
  });
}

}  // namespace

Result<NodeStats> build_node_stats(const std::string& stats_reply, const std::string& threads_reply) {
  NodeStats out;
  auto stats = memcached::parse_stats(stats_reply);
  if (!stats) return Error{"stats: " + stats.error()};
  out.stats = std::move(stats).value();
  if (threads_reply == "ERROR\r\n") return out;
  auto lag = parse_replication_lag(threads_reply);
  if (!lag) return Error{"stats threads: " + lag.error()};
  out.replication_lag = lag.value();
  return out;
}

void poll_node(asio::io_context& io, const Node& node, std::chrono::steady_clock::time_point deadline,
               NodePollDone done) {
  // exchange_text resolves a host name within the deadline.
  exchange_with(io, Endpoint{Endpoint::Kind::Tcp, node.host, node.port, {}}, deadline, std::move(done));
}

}  // namespace mwx::flare
