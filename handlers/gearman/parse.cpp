#include "handlers/gearman/parse.hpp"

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

}  // namespace

bool is_last_list_line(std::string_view line) { return line == "." || line.substr(0, 4) == "ERR "; }

bool is_single_line(std::string_view) { return true; }

Result<std::vector<FunctionStatus>> parse_status(std::string_view reply) {
  auto lines = list_lines(reply);
  if (!lines) return Error{lines.error()};
  std::vector<FunctionStatus> functions;
  functions.reserve(lines.value().size());
  for (const auto line : lines.value()) {
    const auto fields = split_fields(line, '\t');
    if (fields.size() != 4) {
      return Error{"line '" + excerpt(line) + "' has " + std::to_string(fields.size()) +
                   " tab-separated fields, expected 4"};
    }
    FunctionStatus status{std::string(fields[0]), 0, 0, 0};
    const std::pair<std::uint64_t*, const char*> numbers[] = {
        {&status.total, "total"}, {&status.running, "running"}, {&status.available, "available workers"}};
    for (std::size_t i = 0; i < 3; ++i) {
      const auto value = parse_unsigned(fields[i + 1]);
      if (!value) {
        return Error{"function '" + excerpt(fields[0]) + "': " + numbers[i].second + " is not a number: '" +
                     excerpt(fields[i + 1]) + "'"};
      }
      *numbers[i].first = *value;
    }
    if (status.running > status.total) {
      return Error{"function '" + excerpt(fields[0]) + "': running " + std::to_string(status.running) +
                   " exceeds total " + std::to_string(status.total)};
    }
    functions.push_back(std::move(status));
  }
  std::vector<std::string_view> names;
  names.reserve(functions.size());
  for (const auto& f : functions) names.push_back(f.name);
  if (const auto dup = first_duplicate(names)) return Error{"function '" + excerpt(*dup) + "' is listed twice"};
  return functions;
}

Result<std::uint64_t> parse_workers(std::string_view reply) {
  auto lines = list_lines(reply);
  if (!lines) return Error{lines.error()};
  std::uint64_t workers = 0;
  for (const auto line : lines.value()) {
    // FD ADDRESS CLIENT-ID : FUNCTION..., by words: an IPv6 address has
    // colons of its own, and gearmand prints some oddly ("::%1754350352",
    // "::3531:3438:3000:0%1754350352"), so the ':' word is the separator.
    const auto words = split_words(line);
    if (words.size() < 4 || !parse_unsigned(words[0]) || words[3] != ":") {
      return Error{"unexpected worker line '" + excerpt(line) + "'"};
    }
    if (words.size() > 4) ++workers;
  }
  return workers;
}

Result<std::string> parse_version(std::string_view reply) {
  std::string_view line = reply;
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.substr(0, 3) != "OK " || line.size() == 3) return Error{"unexpected version reply '" + excerpt(line) + "'"};
  return std::string(line.substr(3));
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
  return summary;
}

}  // namespace mwx::gearman
