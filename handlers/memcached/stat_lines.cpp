#include "handlers/memcached/stat_lines.hpp"

#include <string>

#include "agent/base/parse_helpers.hpp"
#include "agent/base/text_values.hpp"

namespace mwx::memcached {

bool is_last_reply_line(std::string_view line) {
  return line == "END" || line == "ERROR" || line.substr(0, 13) == "CLIENT_ERROR " ||
         line.substr(0, 13) == "SERVER_ERROR ";
}

Result<std::vector<StatLine>> split_stat_lines(std::string_view reply) {
  std::vector<StatLine> lines;
  bool ended = false;
  while (!reply.empty()) {
    const auto taken = take_line(reply);
    if (!taken) return Error{"reply ends in the middle of a line"};
    std::string_view line = *taken;
    if (ended) return Error{"data after END"};
    if (line == "END") {
      ended = true;
      continue;
    }
    if (line.substr(0, 5) != "STAT ") {
      const std::string shown = excerpt(line);
      return Error{is_last_reply_line(line) ? "server answered '" + shown + "'" : "unexpected line '" + shown + "'"};
    }
    line.remove_prefix(5);
    const auto space = line.find(' ');
    const std::string_view name = line.substr(0, space);
    if (name.empty()) return Error{"STAT line without a name"};
    const std::string_view value = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
    lines.push_back({name, value});
  }
  if (!ended) return Error{"reply has no END line"};
  std::vector<std::string_view> names;
  names.reserve(lines.size());
  for (const auto& l : lines) names.push_back(l.name);
  if (const auto dup = first_duplicate(names)) return Error{"stat '" + excerpt(*dup) + "' appears twice"};
  return lines;
}

}  // namespace mwx::memcached
