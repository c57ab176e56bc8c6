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

// Whether a reply is gearmand's refusal of a command it does not have
// ("ERR UNKNOWN_COMMAND ..."): 'prioritystatus' and 'getpid' are younger
// than 'status'.
bool is_unknown_command(std::string_view reply);

Result<std::vector<FunctionStatus>> parse_status(std::string_view reply);
// Each listed function's queued jobs by priority, in the server's order.
Result<std::vector<std::pair<std::string, QueuedByPriority>>> parse_prioritystatus(std::string_view reply);
// The connections, those that registered at least one function, and the
// functions each registered; the admin connection asking, and clients,
// are listed with none.
Result<Connections> parse_workers(std::string_view reply);
Result<std::string> parse_version(std::string_view reply);
// 'getpid' answers "OK PID".
Result<std::uint64_t> parse_pid(std::string_view reply);

}  // namespace mwx::gearman
