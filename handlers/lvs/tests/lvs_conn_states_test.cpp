// Connection entries by state, counted from /proc/net/ip_vs_conn as Debian's
// 6.1 kernel wrote it, against ipvsadm -Lnc of the same moment.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "agent/base/inet_address.hpp"
#include "agent/base/parse_helpers.hpp"
#include "fixtures.hpp"
#include "handlers/lvs/conn_states.hpp"

namespace mwx::lvs {
namespace {

using StateCounts = std::map<std::string, std::map<std::string, std::uint64_t>>;

// ipvsadm -Lnc: "TCP 01:35  TIME_WAIT   CLIENT VIRTUAL DEST" after two header lines.
StateCounts ipvsadm_counts(const std::string& text) {
  StateCounts counts;
  std::istringstream lines(text);
  std::string line;
  for (int header = 0; header < 2; ++header) std::getline(lines, line);
  while (std::getline(lines, line)) {
    const auto words = split_words(line);
    ++counts[std::string(words[0]) + " " + std::string(words[4])][std::string(words[2])];
  }
  return counts;
}

std::string protocol_text(Protocol protocol) {
  return protocol == Protocol::tcp ? "TCP" : protocol == Protocol::udp ? "UDP" : "SCTP";
}

// The counter's table in ipvsadm's terms (templates are ASSURED here).
StateCounts counted(const ConnTable& table) {
  constexpr std::pair<ConnState, const char*> kNames[] = {
      {ConnState::established, "ESTABLISHED"}, {ConnState::syn_sent, "SYN_SENT"}, {ConnState::syn_recv, "SYN_RECV"},
      {ConnState::fin_wait, "FIN_WAIT"},       {ConnState::time_wait, "TIME_WAIT"}, {ConnState::close, "CLOSE"},
      {ConnState::close_wait, "CLOSE_WAIT"},   {ConnState::last_ack, "LAST_ACK"},   {ConnState::templates, "ASSURED"},
      {ConnState::other, "other"}};
  StateCounts counts;
  for (const auto& [key, service] : table.services) {
    const auto& [protocol, family, octets, port] = key;
    auto& states = counts[protocol_text(protocol) + " " + endpoint_text(octets, port)];
    std::uint64_t sum = 0;
    for (const auto& [state, name] : kNames) {
      if (service[state] > 0) states[name] = service[state];
      sum += service[state];
    }
    EXPECT_EQ(sum, service.entries);
  }
  return counts;
}

Result<ConnTable> count_in_chunks(const std::string& text, std::size_t chunk, std::uint64_t limit = 1000) {
  ConnCounter counter(limit);
  for (std::size_t at = 0; at < text.size(); at += chunk) {
    if (!counter.feed(std::string_view(text).substr(at, chunk))) break;
  }
  return counter.finish();
}

const std::string kConnFile = "lvs/real-kernel-6.1/proc_net_ip_vs_conn.txt";

TEST(LvsConnStates, CountsAreThoseOfIpvsadm) {
  auto table = count_in_chunks(test::read_fixture(kConnFile), 1 << 20);
  ASSERT_TRUE(table.ok()) << table.error();
  EXPECT_EQ(table.value().entries, 65u);
  EXPECT_EQ(counted(table.value()), ipvsadm_counts(test::read_fixture("lvs/real-kernel-6.1/ipvsadm-Lnc.txt")));
}

TEST(LvsConnStates, AnyChunkingCountsTheSame) {
  const std::string text = test::read_fixture(kConnFile);
  const auto whole = count_in_chunks(text, text.size());
  ASSERT_TRUE(whole.ok());
  for (std::size_t chunk : {1, 2, 7, 64, 100, 4096}) {
    auto table = count_in_chunks(text, chunk);
    ASSERT_TRUE(table.ok()) << chunk << ": " << table.error();
    EXPECT_EQ(counted(table.value()), counted(whole.value())) << chunk;
  }
  // Without the last newline, the last entry still counts.
  auto unterminated = count_in_chunks(text.substr(0, text.size() - 1), 10);
  ASSERT_TRUE(unterminated.ok());
  EXPECT_EQ(unterminated.value().entries, 65u);
}

TEST(LvsConnStates, TheCountStopsAtTheLimit) {
  auto table = count_in_chunks(test::read_fixture(kConnFile), 4096, 10);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table.value().entries, 10u);
  EXPECT_EQ(table.value().end, ConnCountEnd::at_limit);
  const auto path = test::fixture_path(kConnFile);
  auto limited = count_connections(path, 10, std::chrono::steady_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(limited.ok()) << limited.error();
  EXPECT_EQ(limited.value().end, ConnCountEnd::at_limit);
  EXPECT_EQ(limited.value().entries, 10u);
  // A table of exactly the limit was read whole.
  auto whole = count_connections(path, 65, std::chrono::steady_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole.value().end, ConnCountEnd::complete);
  EXPECT_EQ(whole.value().entries, 65u);
  EXPECT_EQ(count_in_chunks(test::read_fixture(kConnFile), 7, 65).value().end, ConnCountEnd::complete);
  EXPECT_EQ(count_in_chunks(test::read_fixture(kConnFile), 7, 64).value().end, ConnCountEnd::at_limit);
  auto late = count_connections(path, 1000, std::chrono::steady_clock::now() - std::chrono::seconds(1));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late.value().end, ConnCountEnd::at_deadline);
}

TEST(LvsConnStates, StatesTemplatesAndProtocols) {
  const std::string text =
      "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n"
      "TCP C6336402 E8A6 C000020A 0050 CB007112 0050 SYN_RECV         30\n"
      "TCP C6336402 E8A7 C000020A 0050 CB007112 0050 FIN_WAIT         30\n"
      "TCP C6336400 0000 C000020A 0050 CB007112 0050 NONE            300\n"
      "UDP C6336402 1234 C000020A 0035 CB007112 0035 UDP              60\n"
      "SCTP C6336402 1234 C000020C 0F1C CB007112 0F1C ESTABLISHED     60\n"
      "IP  C6336400 0000 00000005 0000 CB007112 0000 NONE            300\n"
      "TCP C6336402 E8A8 C000020A 0050 CB007112 0050 LISTEN           30 sip 7a\n";
  auto table = count_in_chunks(text, 5);
  ASSERT_TRUE(table.ok()) << table.error();
  const auto& services = table.value().services;
  EXPECT_EQ(table.value().entries, 7u);  // the firewall mark's template too
  ASSERT_EQ(services.size(), 3u);
  const auto& tcp = services.at({Protocol::tcp, 4, std::string("\xc0\x00\x02\x0a", 4), 80});
  EXPECT_EQ(tcp.entries, 4u);
  EXPECT_EQ(tcp[ConnState::syn_recv], 1u);
  EXPECT_EQ(tcp[ConnState::fin_wait], 1u);
  EXPECT_EQ(tcp[ConnState::templates], 1u);
  EXPECT_EQ(tcp[ConnState::other], 1u);
  EXPECT_EQ(services.at({Protocol::udp, 4, std::string("\xc0\x00\x02\x0a", 4), 53})[ConnState::other], 1u);
  EXPECT_EQ(services.at({Protocol::sctp, 4, std::string("\xc0\x00\x02\x0c", 4), 3868})[ConnState::established], 1u);
}

TEST(LvsConnStates, AGarbledEntryFailsTheCountNamingItsLine) {
  const std::string header = "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n";
  for (const auto& [entry, line] : std::vector<std::pair<std::string, std::string>>{
           {"TCP C6336402 E8A6 C000020A 0050 CB007112\n", "2"},
           {"TCP C6336402 E8A6 C00002 0050 CB007112 0050 ESTABLISHED 30\n", "2"},
           {"TCP C6336402 E8A6 C000020A 50 CB007112 0050 ESTABLISHED 30\n", "2"},
           {"TCP C6336402 E8A6 C000020X 0050 CB007112 0050 ESTABLISHED 30\n", "2"}}) {
    auto table = count_in_chunks(header + entry, 3);
    ASSERT_FALSE(table.ok()) << entry;
    if (entry.find("C000020X") == std::string::npos) {
      EXPECT_TRUE(table.error().starts_with("ip_vs_conn line " + line + ": not an entry")) << table.error();
    } else {
      EXPECT_TRUE(table.error().starts_with("ip_vs_conn: a bad virtual address")) << table.error();
    }
  }
  // A line without end is refused once it is longer than any the kernel writes.
  auto endless = count_in_chunks(header + std::string(100000, 'x'), 1000);
  ASSERT_FALSE(endless.ok());
  EXPECT_EQ(endless.error(), "ip_vs_conn line 2: longer than 4096 bytes");
  auto missing = count_connections("/nonexistent/ip_vs_conn", 10, std::chrono::steady_clock::now() + std::chrono::seconds(1));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), "cannot read /nonexistent/ip_vs_conn: No such file or directory");
}

}  // namespace
}  // namespace mwx::lvs
