#include "handlers/gearman/parse.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <string>

#include "agent/base/parse_helpers.hpp"
#include "agent/base/text_values.hpp"

namespace mwx::gearman {
namespace {

// The lines of a list reply before its '.', or why there are none.
Result<std::vector<std::string_view>> list_lines(std::string_view reply) {
  std::vector<std::string_view> lines;
  while (!reply.empty()) {
    const auto taken = take_line(reply);
    if (!taken) return Error{"reply ends in the middle of a line"};
    const std::string_view line = *taken;
    if (line == ".") {
      if (!reply.empty()) return Error{"data after the final '.'"};
      return lines;
    }
    if (line.substr(0, 4) == "ERR ") return Error{"server answered '" + excerpt(line) + "'"};
    lines.push_back(line);
  }
  return Error{"reply has no final '.' line"};
}

// "OK TEXT", the one line of a single-line reply, less its line end.
Result<std::string_view> ok_line(std::string_view reply, const char* what) {
  std::string_view line = reply;
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.substr(0, 3) != "OK " || line.size() == 3) {
    return Error{std::string("unexpected ") + what + " reply '" + excerpt(line) + "'"};
  }
  return line.substr(3);
}

// The number in `field` of function `name`'s line, or an error naming both.
Result<std::uint64_t> count_field(std::string_view name, std::string_view field, const char* what) {
  const auto value = parse_unsigned(field);
  if (!value) return Error{"function '" + excerpt(name) + "': " + what + " is not a number: '" + excerpt(field) + "'"};
  return *value;
}

}  // namespace

bool is_unknown_command(std::string_view reply) { return reply.substr(0, 20) == "ERR UNKNOWN_COMMAND "; }

bool is_last_list_line(std::string_view line) { return line == "." || line.substr(0, 4) == "ERR "; }

bool is_single_line(std::string_view) { return true; }

namespace {

// One line of 'status' or 'prioritystatus': FUNCTION, then numbers.
struct FunctionLine {
  std::string_view name;
  std::array<std::uint64_t, 4> counts{};
};

// The lines of a list reply of functions, tab-separated: the name, then one
// number for each of `count_names` (which name them in errors). A
// function listed twice is an error.
Result<std::vector<FunctionLine>> function_lines(std::string_view reply, std::span<const char* const> count_names) {
  auto lines = list_lines(reply);
  if (!lines) return Error{lines.error()};
  std::vector<FunctionLine> out;
  std::vector<std::string_view> names;
  out.reserve(lines.value().size());
  names.reserve(lines.value().size());
  for (const auto line : lines.value()) {
    const auto fields = split_fields(line, '\t');
    if (fields.size() != count_names.size() + 1) {
      return Error{"line '" + excerpt(line) + "' has " + std::to_string(fields.size()) +
                   " tab-separated fields, expected " + std::to_string(count_names.size() + 1)};
    }
    FunctionLine parsed{fields[0]};
    for (std::size_t i = 0; i < count_names.size(); ++i) {
      auto value = count_field(fields[0], fields[i + 1], count_names[i]);
      if (!value) return Error{value.error()};
      parsed.counts[i] = value.value();
    }
    out.push_back(parsed);
    names.push_back(parsed.name);
  }
  if (const auto dup = first_duplicate(names)) {
    return Error{"function '" + excerpt(*dup) + "' is listed twice"};
  }
  return out;
}

}  // namespace

Result<std::vector<FunctionStatus>> parse_status(std::string_view reply) {
  static constexpr const char* kCounts[] = {"total", "running", "available workers"};
  auto lines = function_lines(reply, kCounts);
  if (!lines) return Error{lines.error()};
  std::vector<FunctionStatus> functions;
  functions.reserve(lines.value().size());
  for (const auto& [name, counts] : lines.value()) {
    if (counts[1] > counts[0]) {
      return Error{"function '" + excerpt(name) + "': running " + std::to_string(counts[1]) + " exceeds total " +
                   std::to_string(counts[0])};
    }
    functions.push_back({std::string(name), counts[0], counts[1], counts[2]});
  }
  return functions;
}

Result<std::vector<std::pair<std::string, QueuedByPriority>>> parse_prioritystatus(std::string_view reply) {
  static constexpr const char* kCounts[] = {"high", "normal", "low", "available workers"};
  auto lines = function_lines(reply, kCounts);
  if (!lines) return Error{lines.error()};
  std::vector<std::pair<std::string, QueuedByPriority>> functions;
  functions.reserve(lines.value().size());
  for (const auto& [name, counts] : lines.value()) {
    functions.emplace_back(std::string(name), QueuedByPriority{counts[0], counts[1], counts[2]});
  }
  return functions;
}

Result<Connections> parse_workers(std::string_view reply) {
  auto lines = list_lines(reply);
  if (!lines) return Error{lines.error()};
  Connections connections;
  for (const auto line : lines.value()) {
    // FD ADDRESS CLIENT-ID : FUNCTION..., by words: an IPv6 address has
    // colons of its own, and gearmand prints some oddly ("::%1754350352",
    // "::3531:3438:3000:0%1754350352"), so the ':' word is the separator.
    const auto words = split_words(line);
    if (words.size() < 4 || !parse_unsigned(words[0]) || words[3] != ":") {
      return Error{"unexpected worker line '" + excerpt(line) + "'"};
    }
    ++connections.total;
    if (words.size() > 4) ++connections.workers;
    // A connection counts once for each function, however often it lists it.
    const auto functions = std::span(words).subspan(4);
    for (std::size_t i = 0; i < functions.size(); ++i) {
      if (std::find(functions.begin(), functions.begin() + i, functions[i]) != functions.begin() + i) continue;
      ++connections.registered[std::string(functions[i])];
    }
  }
  return connections;
}

Result<std::string> parse_version(std::string_view reply) {
  auto text = ok_line(reply, "version");
  if (!text) return Error{text.error()};
  return std::string(text.value());
}

Result<std::uint64_t> parse_pid(std::string_view reply) {
  auto text = ok_line(reply, "getpid");
  if (!text) return Error{text.error()};
  const auto pid = parse_unsigned(text.value());
  if (!pid) return Error{"unexpected getpid reply '" + excerpt(text.value()) + "'"};
  return *pid;
}

namespace {

// Sums latch at the maximum instead of wrapping: a hostile server's huge
// numbers must not come out as small ones.
void add_saturating(std::uint64_t& sum, std::uint64_t value) {
  sum = value > UINT64_MAX - sum ? UINT64_MAX : sum + value;
}

}  // namespace

Summary summarize(const Sample& sample) {
  Summary summary;
  summary.functions = sample.functions.size();
  for (const auto& f : sample.functions) {
    add_saturating(summary.total_jobs, f.total);
    add_saturating(summary.running_jobs, f.running);
    add_saturating(summary.waiting_jobs, f.waiting());
    if (f.waiting() > 0 && f.available == 0) ++summary.starved_functions;
  }
  const std::uint64_t without_function = sample.connections.total - sample.connections.workers;
  summary.client_connections = without_function > 0 ? without_function - 1 : 0;  // less the agent's own
  return summary;
}

}  // namespace mwx::gearman
