#include "handlers/lvs/conn_states.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "agent/base/text_values.hpp"
#include "agent/base/unique_fd.hpp"
#include "handlers/lvs/procfs.hpp"

namespace mwx::lvs {
namespace {

// ip_vs_conn's columns: Pro FromIP FPrt ToIP TPrt DestIP DPrt State
// Expires, then PEName and PEData for a persistence engine's entries.
constexpr std::size_t kFields = 9;
// The kernel's lines are under 200 bytes (two IPv6 addresses and a
// persistence engine's data among the longest); a longer one is garbage.
constexpr std::size_t kMaxLine = 4096;
enum Field { kProtocol, kFromIp, kFromPort, kToIp, kToPort, kDestIp, kDestPort, kState, kExpires };

// Up to `fields.size()` words of `line`; how many there were.
std::size_t split_words(std::string_view line, std::array<std::string_view, kFields>& fields) {
  std::size_t count = 0, at = 0;
  while (count < fields.size()) {
    while (at < line.size() && line[at] == ' ') ++at;
    if (at == line.size()) break;
    const std::size_t end = std::min(line.find(' ', at), line.size());
    fields[count++] = line.substr(at, end - at);
    at = end;
  }
  return count;
}

ConnState state_of(std::string_view state, std::string_view client_port) {
  struct Named {
    std::string_view name;
    ConnState state;
  };
  static constexpr Named kNamed[] = {
      {"ESTABLISHED", ConnState::established}, {"TIME_WAIT", ConnState::time_wait},
      {"SYN_RECV", ConnState::syn_recv},       {"FIN_WAIT", ConnState::fin_wait},
      {"SYN_SENT", ConnState::syn_sent},       {"CLOSE", ConnState::close},
      {"CLOSE_WAIT", ConnState::close_wait},   {"LAST_ACK", ConnState::last_ack},
      {"ASSURED", ConnState::templates},
  };
  for (const auto& named : kNamed) {
    if (state == named.name) return named.state;
  }
  // A persistence template that no connection has used yet.
  if (state == "NONE" && client_port == "0000") return ConnState::templates;
  return ConnState::other;
}

bool hex_digits(std::string_view text, std::size_t digits) {
  return text.size() == digits && text.find_first_not_of("0123456789ABCDEFabcdef") == std::string_view::npos;
}

// The entry's virtual service as /proc/net/ip_vs writes an address:
// "PROTOCOL ADDRESS:PORT", IPv6 in brackets.
void service_text(const std::array<std::string_view, kFields>& fields, std::string& key) {
  const bool v6 = fields[kToIp].size() == 39;
  key.assign(fields[kProtocol]);
  key += v6 ? " [" : " ";
  key += fields[kToIp];
  key += v6 ? "]:" : ":";
  key += fields[kToPort];
}

// The typed key of a text key, or nullopt for a protocol no service has
// (IP: a firewall-mark service's template).
Result<std::optional<ConnServiceKey>> typed_key(std::string_view text) {
  const auto space = text.find(' ');
  const auto protocol = parse_protocol(text.substr(0, space));
  if (!protocol || *protocol == Protocol::fwmark) return std::optional<ConnServiceKey>();
  const auto address = parse_address_port(text.substr(space + 1));
  if (!address) return Error{"ip_vs_conn: a bad virtual address in '" + excerpt(text) + "'"};
  const auto& [where, port] = *address;
  return std::optional<ConnServiceKey>(ConnServiceKey{*protocol, where.family, where.octets, port});
}

}  // namespace

bool ConnCounter::count_line(std::string_view line) {
  ++lines_;
  if (lines_ == 1 && line.starts_with("Pro ")) return true;  // the header
  std::array<std::string_view, kFields> fields;
  if (split_words(line, fields) < kFields || !hex_digits(fields[kFromPort], 4) || !hex_digits(fields[kToPort], 4) ||
      (fields[kToIp].size() != 8 && fields[kToIp].size() != 39)) {
    error_ = "ip_vs_conn line " + std::to_string(lines_) + ": not an entry: '" + excerpt(line) + "'";
    return false;
  }
  service_text(fields, key_);
  auto found = by_text_.find(key_);
  if (found == by_text_.end()) found = by_text_.emplace(key_, ConnCounts{}).first;
  ConnCounts& counts = found->second;
  ++counts.entries;
  ++counts.by_state[static_cast<std::size_t>(state_of(fields[kState], fields[kFromPort]))];
  ++entries_;
  return true;
}

bool ConnCounter::feed(std::string_view chunk) {
  while (error_.empty() && !chunk.empty()) {
    if (entries_ >= limit_) {
      limited_ = true;
      return false;
    }
    const auto newline = chunk.find('\n');
    if (partial_.size() + std::min(newline, chunk.size()) > kMaxLine) {
      error_ = "ip_vs_conn line " + std::to_string(lines_ + 1) + ": longer than " + std::to_string(kMaxLine) + " bytes";
      return false;
    }
    if (newline == std::string_view::npos) {
      partial_.append(chunk);
      return true;
    }
    if (partial_.empty()) {
      count_line(chunk.substr(0, newline));
    } else {
      partial_.append(chunk.substr(0, newline));
      count_line(partial_);
      partial_.clear();
    }
    chunk.remove_prefix(newline + 1);
  }
  return error_.empty();
}

Result<ConnTable> ConnCounter::finish() {
  if (error_.empty() && !partial_.empty()) {
    if (entries_ >= limit_) limited_ = true;
    else count_line(partial_);
  }
  partial_.clear();
  if (!error_.empty()) return Error{error_};
  ConnTable table;
  table.entries = entries_;
  table.end = limited_ ? ConnCountEnd::at_limit : ConnCountEnd::complete;
  for (const auto& [text, counts] : by_text_) {
    auto key = typed_key(text);
    if (!key) return Error{key.error()};
    if (key.value()) table.services.emplace(std::move(*key.value()), counts);
  }
  return table;
}

Result<ConnTable> count_connections(const std::string& path, std::uint64_t limit,
                                    std::chrono::steady_clock::time_point deadline) {
  const auto started = std::chrono::steady_clock::now();
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return Error{"cannot read " + path + ": " + std::strerror(errno)};
  // The kernel's seq_file hands out whole entries per read.
  constexpr std::size_t kChunk = 256 * 1024;
  const auto buffer = std::make_unique<char[]>(kChunk);
  ConnCounter counter(limit);
  bool late = false;
  for (;;) {
    if (std::chrono::steady_clock::now() >= deadline) {
      late = true;
      break;
    }
    const ssize_t got = ::read(fd.get(), buffer.get(), kChunk);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Error{"cannot read " + path + ": " + std::strerror(errno)};
    if (got == 0 || !counter.feed(std::string_view(buffer.get(), static_cast<std::size_t>(got)))) break;
  }
  auto table = counter.finish();
  if (!table) return table;
  if (late) table.value().end = ConnCountEnd::at_deadline;
  table.value().counted_at = std::chrono::system_clock::now();
  table.value().duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return table;
}

}  // namespace mwx::lvs
