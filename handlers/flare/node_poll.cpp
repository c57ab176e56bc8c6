#include "handlers/flare/node_poll.hpp"

#include <utility>  // before Asio (Boost 1.74 under C++20)

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agent/text_exchange.hpp"
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

// The node's address if it is numeric (or localhost), as exchange_text takes it.
std::optional<Endpoint> numeric_endpoint(const Node& node) {
  if (node.host == "localhost") return Endpoint{Endpoint::Kind::Tcp, "127.0.0.1", node.port, {}};
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(node.host, ec);
  if (ec) return std::nullopt;
  return Endpoint{Endpoint::Kind::Tcp, address.to_string(), node.port, {}};
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
  if (auto endpoint = numeric_endpoint(node)) return exchange_with(io, std::move(*endpoint), deadline, std::move(done));

  // A host name: resolve it, racing the deadline.
  struct Resolution {
    Resolution(asio::io_context& io, std::chrono::steady_clock::time_point deadline, NodePollDone d)
        : resolver(io), timer(io, deadline), done(std::move(d)) {}
    asio::ip::tcp::resolver resolver;
    asio::steady_timer timer;
    NodePollDone done;
    bool finished = false;
  };
  auto resolution = std::make_shared<Resolution>(io, deadline, std::move(done));
  const std::string host = node.host;
  resolution->timer.async_wait([resolution, host](boost::system::error_code ec) {
    if (ec || resolution->finished) return;
    resolution->finished = true;
    resolution->resolver.cancel();
    resolution->done(Error{"resolving " + host + " did not finish within the timeout"});
  });
  resolution->resolver.async_resolve(
      host, std::to_string(node.port),
      [&io, resolution, host, deadline](boost::system::error_code ec, asio::ip::tcp::resolver::results_type found) {
        if (resolution->finished) return;
        resolution->finished = true;
        resolution->timer.cancel();
        if (ec || found.empty()) {
          return resolution->done(Error{"cannot resolve " + host + ": " + (ec ? ec.message() : "no address")});
        }
        const auto& first = found.begin()->endpoint();
        exchange_with(io, Endpoint{Endpoint::Kind::Tcp, first.address().to_string(), first.port(), {}}, deadline,
                      std::move(resolution->done));
      });
}

}  // namespace mwx::flare
