#pragma once
// Pure parsers of gearmand's text admin protocol. List replies end with a
// line holding a single '.'; an error is one line "ERR CODE text".

#include <string_view>
#include <vector>

#include "agent/base/result.hpp"
#include "handlers/gearman/sample.hpp"

namespace mwx::gearman {

// The line that ends a reply to 'status' or 'workers'.
bool is_last_list_line(std::string_view line);
// 'version' answers one line.
bool is_single_line(std::string_view line);

Result<std::vector<FunctionStatus>> parse_status(std::string_view reply);
// Counts the connections that registered at least one function; the admin
// connection asking, and clients, are listed with none.
Result<std::uint64_t> parse_workers(std::string_view reply);
Result<std::string> parse_version(std::string_view reply);

}  // namespace mwx::gearman
