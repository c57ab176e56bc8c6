#pragma once
// One poll's conversation with a line-based text protocol (memcached,
// gearmand, Flare): connect, send every command at once (they are answered
// in order), and read each reply up to the line that ends it. The whole exchange has one deadline;
// when it passes the socket is closed, so nothing can hang. Replies are
// bounded in size.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/base/result.hpp"
#include "agent/poll/endpoint.hpp"

namespace boost::asio {
class io_context;
}

namespace mwx {

struct TextRequest {
  std::string command;                     // sent as is, e.g. "stats\r\n"
  bool (*is_last_line)(std::string_view);  // true for the line (end of line stripped) that ends its reply
};

// A backend's reply larger than this is refused, unless a subsystem says.
inline constexpr std::size_t kDefaultMaxReplyBytes = 1024 * 1024;

struct ExchangeLimits {
  std::chrono::milliseconds timeout;          // connect plus every reply
  std::size_t max_reply_bytes = kDefaultMaxReplyBytes;  // per reply
};

// Replies in request order, each with its line endings and final line; the
// error says what failed (the Endpoint column already says where).
using ExchangeDone = std::function<void(Result<std::vector<std::string>>)>;

// `done` runs exactly once, on io's thread.
void exchange_text(boost::asio::io_context& io, const Endpoint& endpoint, std::vector<TextRequest> requests,
                   ExchangeLimits limits, ExchangeDone done);

}  // namespace mwx
