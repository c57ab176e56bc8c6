#pragma once
// What one scan of a qmail queue yields. A value that could not be read is
// absent (nullopt) and `problems` says why; it is never a zero.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mwx::qmail {

struct Sample {
  std::optional<std::uint64_t> queue_messages;   // files under mess/*/ (qmail-qstat's first number)
  std::optional<std::uint64_t> todo_messages;    // files in todo/, and todo/*/ with big-todo (its second)
  std::optional<std::uint64_t> local_messages;   // files under local/*/
  std::optional<std::uint64_t> remote_messages;  // files under remote/*/
  std::optional<std::uint64_t> bounce_messages;  // files in bounce/
  // Seconds since the oldest file's mtime; 0 for an empty directory.
  std::optional<std::uint64_t> oldest_message_age;       // over mess/*/: since it was queued
  std::optional<std::uint64_t> oldest_todo_age;          // over todo/
  // Over info/*/: since qmail-send preprocessed it, which is the time
  // qmail-qread shows and where queuelifetime starts counting.
  std::optional<std::uint64_t> oldest_preprocessed_age;
  std::optional<std::uint64_t> split;  // subdirectories of mess/: conf-split as found on disk
  std::vector<std::string> problems;   // "cannot read /var/qmail/queue/local: Permission denied"

  bool anything_read() const {
    return queue_messages || todo_messages || local_messages || remote_messages || bounce_messages;
  }
};

}  // namespace mwx::qmail
