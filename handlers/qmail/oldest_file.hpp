#pragma once
// Finds the oldest modification time among a queue directory's files while
// stat()ing as few of them as possible. qmail names each message file by
// its inode number and never changes its mtime, so a file seen at the last
// scan keeps the mtime remembered then. A name can be reused by a newer
// message (a new file on a freed inode): a remembered mtime is then older
// than the truth, never newer. So the smallest remembered mtime is checked
// with one stat(); if it holds, nothing else can be older.

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mwx::qmail {

// The mtimes of one directory's numerically named files at the last scan.
struct AgeMemory {
  std::vector<std::pair<std::uint64_t, std::time_t>> mtimes;  // sorted by name
  std::time_t taken = 0;                                      // wall clock of the scan that stat()ed all
};

class OldestFile {
 public:
  // Without `previous` (or with `restat_all`), every file is stat()ed.
  OldestFile(const AgeMemory* previous, bool restat_all);

  enum class Seen { ok, vanished, failed };
  // A file readdir found in `dir_fd`; `bucket` is its subdirectory's index
  // in the caller's list, or -1 for a file at the top. `known_mtime` if the
  // caller already stat()ed it.
  Seen see(int dir_fd, const char* name, int bucket, std::optional<std::time_t> known_mtime);

  // After the walk: the oldest mtime, checked as above; nullopt if there
  // were no files. `root_fd` is the tallied directory, `buckets` the names
  // of its subdirectories. Fails (nullopt in `ok`) if a check failed.
  struct Oldest {
    bool ok = true;
    std::optional<std::time_t> mtime;
  };
  Oldest find(int root_fd, const std::vector<std::string>& buckets);

  // What the next scan may reuse.
  AgeMemory memory(std::time_t now) &&;

  std::uint64_t stat_calls() const { return stat_calls_; }

 private:
  struct File {
    std::time_t mtime;
    std::uint64_t number;
    int bucket;
    bool checked;  // stat()ed during this scan
  };

  const AgeMemory* previous_;
  bool restat_all_;
  std::vector<File> files_;                       // numerically named
  std::optional<std::time_t> oldest_unnumbered_;  // other names, always stat()ed
  std::uint64_t stat_calls_ = 0;
  std::time_t taken_ = 0;
};

}  // namespace mwx::qmail
