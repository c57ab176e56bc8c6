// The poll's network conversation against a local server that misbehaves
// on purpose: every failure ends within the timeout with a clear message.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <thread>

#include "agent/poll/text_exchange.hpp"
#include "handlers/memcached/parse.hpp"

namespace mwx {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

// Accepts one connection on 127.0.0.1 and runs `behave` on it in a thread.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::function<void(tcp::socket&)> behave)
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this, behave = std::move(behave)] {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (!ec) behave(socket);
    });
  }
  ~ScriptedServer() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

std::string read_line(tcp::socket& socket) {
  std::string line;
  char c;
  while (asio::read(socket, asio::buffer(&c, 1)) == 1 && c != '\n') line += c;
  return line;
}

Result<std::vector<std::string>> run(std::uint16_t port, std::vector<std::string> commands,
                                     std::chrono::milliseconds timeout = 500ms, std::size_t max_bytes = 1 << 20,
                                     const std::string& host = "127.0.0.1") {
  asio::io_context io;
  std::vector<TextRequest> requests;
  for (auto& c : commands) requests.push_back({c, &memcached::is_last_reply_line});
  std::optional<Result<std::vector<std::string>>> result;
  exchange_text(io, Endpoint{Endpoint::Kind::Tcp, host, port, {}}, requests, {timeout, max_bytes},
                [&](Result<std::vector<std::string>> r) { result = std::move(r); });
  io.run();
  EXPECT_TRUE(result.has_value());
  return std::move(*result);
}

TEST(TextExchange, SeveralCommandsOnOneConnection) {
  ScriptedServer server([](tcp::socket& s) {
    for (int i = 0; i < 2; ++i) {
      const std::string command = read_line(s);
      const std::string reply = "STAT asked " + command.substr(0, command.size() - 1) + "\r\nEND\r\n";
      asio::write(s, asio::buffer(reply));
    }
  });
  auto result = run(server.port(), {"stats\r\n", "stats slabs\r\n"});
  ASSERT_TRUE(result.ok()) << result.error();
  EXPECT_EQ(result.value()[0], "STAT asked stats\r\nEND\r\n");
  EXPECT_EQ(result.value()[1], "STAT asked stats slabs\r\nEND\r\n");
}

// "localhost" comes from /etc/hosts on every Debian host; getaddrinfo may
// list ::1 first, where nothing listens: every address is tried.
TEST(TextExchange, AHostNameIsResolvedAndEachAddressTried) {
  ScriptedServer server([](tcp::socket& s) {
    read_line(s);
    asio::write(s, asio::buffer(std::string("END\r\n")));
  });
  auto result = run(server.port(), {"stats\r\n"}, 2000ms, 1 << 20, "localhost");
  ASSERT_TRUE(result.ok()) << result.error();
  EXPECT_EQ(result.value()[0], "END\r\n");
}

// RFC 6761: .invalid never resolves.
TEST(TextExchange, AHostNameThatDoesNotResolveIsAClearError) {
  const auto start = std::chrono::steady_clock::now();
  auto result = run(9, {"stats\r\n"}, 2000ms, 1 << 20, "nosuchhost.invalid");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().find("nosuchhost.invalid"), std::string::npos) << result.error();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms);
}

TEST(TextExchange, ServerThatNeverAnswersTimesOut) {
  ScriptedServer server([](tcp::socket& s) {
    read_line(s);
    std::this_thread::sleep_for(1s);
  });
  const auto start = std::chrono::steady_clock::now();
  auto result = run(server.port(), {"stats\r\n"}, 200ms);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "no complete reply to 'stats' within 200ms");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms);
}

TEST(TextExchange, SlowDripIsCutAtTheDeadline) {
  ScriptedServer server([](tcp::socket& s) {
    read_line(s);
    boost::system::error_code ec;
    for (int i = 0; i < 20 && !ec; ++i) {
      asio::write(s, asio::buffer("S", 1), ec);
      std::this_thread::sleep_for(50ms);
    }
  });
  auto result = run(server.port(), {"stats\r\n"}, 200ms);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "no complete reply to 'stats' within 200ms");
}

TEST(TextExchange, CloseInTheMiddleOfAReply) {
  ScriptedServer server([](tcp::socket& s) {
    read_line(s);
    asio::write(s, asio::buffer(std::string("STAT pid 1\r\nSTAT upt")));
  });
  auto result = run(server.port(), {"stats\r\n"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "connection closed by the server in the middle of the reply to 'stats'");
}

TEST(TextExchange, CloseBeforeAnyReply) {
  ScriptedServer server([](tcp::socket& s) { read_line(s); });
  auto result = run(server.port(), {"stats\r\n"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "connection closed by the server before the reply to 'stats'");
}

TEST(TextExchange, OversizedReplyIsCutAtTheBound) {
  ScriptedServer server([](tcp::socket& s) {
    read_line(s);
    const std::string line = "STAT filler " + std::string(1000, 'x') + "\r\n";
    boost::system::error_code ec;
    for (int i = 0; i < 10000 && !ec; ++i) asio::write(s, asio::buffer(line), ec);
  });
  auto result = run(server.port(), {"stats\r\n"}, 2000ms, 64 * 1024);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "reply to 'stats' exceeds 65536 bytes");
}

TEST(TextExchange, ConnectionRefused) {
  std::uint16_t port;
  {
    asio::io_context io;
    tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }  // closed: nothing listens there now
  auto result = run(port, {"stats\r\n"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "connect: Connection refused");
}

TEST(TextExchange, UnixSocketPathThatDoesNotExist) {
  asio::io_context io;
  std::optional<Result<std::vector<std::string>>> result;
  exchange_text(io, Endpoint{Endpoint::Kind::Unix, {}, 0, "/nonexistent/memcached.sock"},
                {{"stats\r\n", &memcached::is_last_reply_line}}, {500ms},
                [&](Result<std::vector<std::string>> r) { result = std::move(r); });
  io.run();
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->error(), "connect: No such file or directory");
}

}  // namespace
}  // namespace mwx
