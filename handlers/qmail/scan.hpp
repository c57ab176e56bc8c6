#pragma once
// Counts a qmail queue by reading its directories (no qmail-qstat, no fork).
// Counting needs readdir alone; the ages need the files' mtimes, and only
// files not seen at the last scan are stat()ed (handlers/qmail/oldest_file.hpp).

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include "agent/base/result.hpp"
#include "handlers/qmail/oldest_file.hpp"
#include "handlers/qmail/sample.hpp"

namespace mwx::qmail {

struct ScanClock {
  std::chrono::steady_clock::time_point deadline;  // the scan fails once this has passed
  std::time_t now;                                 // wall clock, for the ages
};

// What one scan leaves for the next of the same queue.
struct ScanMemory {
  AgeMemory mess, todo, info;
  bool valid = false;
};

// Every file is stat()ed again this often, whatever the memory holds: a
// bound on how long a file whose mtime was set back could go unnoticed.
inline constexpr std::time_t kRestatAllEvery = 3600;

// `queue_dir` is QMAILDIR/queue. Fails only when the queue directory itself
// cannot be opened, nothing in it could be read, or the deadline passed;
// otherwise every unreadable directory leaves its values absent and adds a
// problem. `memory` is read and replaced.
Result<Sample> scan_queue(const std::string& queue_dir, const ScanClock& clock, ScanMemory& memory);

// The problems of a sample as one line, for LastError.
std::string join_problems(const std::vector<std::string>& problems);

// A scan with no memory: every mess/ and todo/ file is stat()ed.
Result<Sample> scan_queue(const std::string& queue_dir, const ScanClock& clock);

}  // namespace mwx::qmail
