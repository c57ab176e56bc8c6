#pragma once
// memcached's reply framing, "STAT name value\r\n" ... "END\r\n", which
// Flare's index server and nodes share.

#include <string_view>
#include <vector>

#include "agent/base/result.hpp"

namespace mwx::memcached {

struct StatLine {
  std::string_view name;
  std::string_view value;  // may be empty ("STAT 24:info ")
};

// The line that ends a reply to any 'stats' command (END, or an error).
bool is_last_reply_line(std::string_view line);

// Splits a reply into its STAT lines; checks framing and duplicates. The
// views point into `reply`.
Result<std::vector<StatLine>> split_stat_lines(std::string_view reply);

}  // namespace mwx::memcached
