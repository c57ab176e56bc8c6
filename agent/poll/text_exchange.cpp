#include "agent/poll/text_exchange.hpp"

#include "agent/base/text_values.hpp"
#include "agent/poll/reply_assembler.hpp"

#include <array>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

namespace mwx {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

std::string command_name(std::string_view command) {
  while (!command.empty() && (command.back() == '\n' || command.back() == '\r')) command.remove_suffix(1);
  return "'" + std::string(command) + "'";
}


class TextExchange : public std::enable_shared_from_this<TextExchange> {
 public:
  TextExchange(asio::io_context& io, Endpoint endpoint, std::vector<TextRequest> requests, ExchangeLimits limits,
               ExchangeDone done)
      : socket_(io), timer_(io), resolver_(io), endpoint_(std::move(endpoint)), requests_(std::move(requests)),
        limits_(limits), done_(std::move(done)) {}

  void start() {
    timer_.expires_after(limits_.timeout);
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->finished_) return;
      self->timed_out_ = true;
      if (self->resolving_) {
        // getaddrinfo cannot be interrupted: its answer, when it comes, is dropped.
        self->resolver_.cancel();
        return self->fail("resolving " + self->endpoint_.address + " did not finish within " +
                          duration_text(self->limits_.timeout));
      }
      error_code ignored;
      self->socket_.close(ignored);  // makes the pending operation complete with an error
    });
    if (endpoint_.kind == Endpoint::Kind::Unix) return connect(asio::local::stream_protocol::endpoint(endpoint_.path));
    error_code ec;
    const auto address = asio::ip::make_address(endpoint_.address, ec);
    if (!ec) return connect(asio::ip::tcp::endpoint(address, endpoint_.port));
    resolve();
  }

 private:
  // A host name is resolved at every poll, so a changed address is used at
  // the next one; the resolver runs off this thread, within the deadline.
  void resolve() {
    resolving_ = true;
    resolver_.async_resolve(endpoint_.address, std::to_string(endpoint_.port),
                            [self = shared_from_this()](error_code ec, asio::ip::tcp::resolver::results_type found) {
                              self->resolving_ = false;
                              if (self->finished_) return;
                              if (ec || found.empty()) {
                                return self->fail("cannot resolve " + self->endpoint_.address + ": " +
                                                  (ec ? ec.message() : "no address"));
                              }
                              self->connect_any(found);
                            });
  }

  // Every address the name has, in order, as getaddrinfo sorted them.
  void connect_any(const asio::ip::tcp::resolver::results_type& found) {
    std::vector<asio::generic::stream_protocol::endpoint> candidates;
    for (const auto& entry : found) candidates.emplace_back(entry.endpoint());
    asio::async_connect(socket_, candidates,
                        [self = shared_from_this()](error_code ec, const asio::generic::stream_protocol::endpoint&) {
                          self->connected(ec);
                        });
  }

  void connect(const asio::generic::stream_protocol::endpoint& to) {
    socket_.async_connect(to, [self = shared_from_this()](error_code ec) { self->connected(ec); });
  }

  void connected(error_code ec) {
    if (ec) {
      return fail(timed_out_ ? "connect timed out after " + duration_text(limits_.timeout) : "connect: " + ec.message());
    }
    send_all();
  }

  // Every command in one write: the server answers them in order, so a poll
  // costs one write and the reads its replies need, not a round trip per
  // command (a memcached poll's four commands: a third of its CPU).
  void send_all() {
    std::string commands;
    for (const auto& request : requests_) commands += request.command;
    pipeline_ = std::move(commands);
    assembler_.emplace(requests_.front().is_last_line, limits_.max_reply_bytes);
    asio::async_write(socket_, asio::buffer(pipeline_), [self = shared_from_this()](error_code ec, std::size_t) {
      if (ec) return self->fail_io("sending " + self->current_command(), ec);
      self->read_more();
    });
  }

  void read_more() {
    socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](error_code ec, std::size_t n) {
      self->absorb(ec, std::string_view(self->chunk_.data(), n));
    });
  }

  void absorb(error_code ec, std::string_view piece) {
    auto state = assembler_->feed(piece);
    while (state == ReplyAssembler::State::Complete) {
      std::string following = assembler_->following();
      replies_.push_back(assembler_->take());
      if (replies_.size() == requests_.size()) {
        // One reply per command: anything after the last is not ours to guess at.
        if (!following.empty()) return fail("unexpected bytes after the reply to " + command_name(requests_.back().command));
        return succeed();
      }
      assembler_.emplace(requests_[replies_.size()].is_last_line, limits_.max_reply_bytes);
      state = assembler_->feed(following);
    }
    if (state == ReplyAssembler::State::TooLarge) {
      return fail("reply to " + current_command() + " exceeds " + std::to_string(limits_.max_reply_bytes) + " bytes");
    }
    if (ec == asio::error::eof) {
      return fail("connection closed by the server " +
                  std::string(assembler_->size() == 0 ? "before" : "in the middle of") + " the reply to " +
                  current_command());
    }
    if (ec) return fail_io("reading the reply to " + current_command(), ec);
    read_more();
  }

  std::string current_command() const { return command_name(requests_[replies_.size()].command); }

  void fail_io(const std::string& doing, error_code ec) {
    if (timed_out_) {
      return fail("no complete reply to " + current_command() + " within " + duration_text(limits_.timeout));
    }
    fail(doing + ": " + ec.message());
  }

  void fail(std::string message) { finish(Error{std::move(message)}); }
  void succeed() { finish(std::move(replies_)); }

  void finish(Result<std::vector<std::string>> result) {
    if (finished_) return;
    finished_ = true;
    timer_.cancel();
    error_code ignored;
    socket_.close(ignored);
    done_(std::move(result));
  }

  asio::generic::stream_protocol::socket socket_;
  asio::steady_timer timer_;
  asio::ip::tcp::resolver resolver_;
  Endpoint endpoint_;
  std::vector<TextRequest> requests_;
  ExchangeLimits limits_;
  ExchangeDone done_;
  std::string pipeline_;  // the commands, written at once
  std::vector<std::string> replies_;
  std::optional<ReplyAssembler> assembler_;  // of the reply being read
  std::array<char, 16384> chunk_{};
  bool timed_out_ = false;
  bool resolving_ = false;
  bool finished_ = false;
};

}  // namespace

void exchange_text(asio::io_context& io, const Endpoint& endpoint, std::vector<TextRequest> requests,
                   ExchangeLimits limits, ExchangeDone done) {
  std::make_shared<TextExchange>(io, endpoint, std::move(requests), limits, std::move(done))->start();
}

}  // namespace mwx
