#pragma once
// Pure parsers of memcached's text replies ("STAT name value\r\n" ... "END\r\n").
// Every value mwagentx serves is checked; a malformed reply, a duplicated
// stat or a value that is not a number fails with a message naming it.

#include <string_view>
#include <vector>

#include "agent/base/result.hpp"
#include "handlers/memcached/sample.hpp"
#include "handlers/memcached/stat_lines.hpp"

namespace mwx::memcached {

Result<GeneralStats> parse_stats(std::string_view reply);
// These three accept a plain "ERROR" reply (Flare nodes lack the commands)
// as "nothing known".
Result<Settings> parse_settings(std::string_view reply);
Result<std::vector<SlabClass>> parse_items_and_slabs(std::string_view items_reply, std::string_view slabs_reply);
Result<SlabTotals> parse_slab_totals(std::string_view slabs_reply);
// 'stats conns', counted by state and listening address (conns.cpp).
Result<ConnectionCounts> parse_conns(std::string_view reply);

}  // namespace mwx::memcached
