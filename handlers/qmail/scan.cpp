#include "handlers/qmail/scan.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <optional>

#include "agent/base/unique_fd.hpp"

namespace mwx::qmail {
namespace {

// How often (in directory entries) the scan looks at the clock.
constexpr unsigned kEntriesPerClockCheck = 512;

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

// The files of one queue directory: those directly in it and those in its
// subdirectories (the conf-split buckets).
struct Tally {
  std::uint64_t top_files = 0;
  std::uint64_t nested_files = 0;
  std::vector<std::string> buckets;  // the subdirectories' names
  bool ages_failed = false;          // some file's mtime could not be read
  std::optional<std::time_t> oldest_mtime;
};

class QueueScanner {
 public:
  QueueScanner(int queue_fd, std::string queue_dir, const ScanClock& clock)
      : queue_fd_(queue_fd), queue_dir_(std::move(queue_dir)), clock_(clock) {}

  // The tally of queue/NAME, or nullopt after adding a problem. With `ages`,
  // also the oldest mtime, using and then replacing what the last scan
  // remembered (`remembered`, null if nothing).
  std::optional<Tally> tally(const char* name, AgeMemory* ages = nullptr, const AgeMemory* remembered = nullptr) {
    if (timed_out_) return std::nullopt;
    const std::string path = queue_dir_ + "/" + name;
    UniqueFd root(::openat(queue_fd_, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (root.get() < 0) {
      cannot_read(path, errno);
      return std::nullopt;
    }
    Tally tally;
    std::optional<OldestFile> oldest;
    if (ages) {
      const bool restat_all = !remembered || clock_.now - remembered->taken >= kRestatAllEvery;
      oldest.emplace(remembered, restat_all);
    }
    if (!read_directory(root.get(), path, /*bucket=*/-1, tally, oldest ? &*oldest : nullptr)) return std::nullopt;
    if (oldest) {
      const auto found = oldest->find(root.get(), tally.buckets);
      tally.ages_failed = tally.ages_failed || !found.ok;
      tally.oldest_mtime = found.mtime;
      if (tally.ages_failed) problems_.push_back("could not read the age of every file in " + path);
      *ages = std::move(*oldest).memory(clock_.now);
    }
    return tally;
  }

  std::uint64_t age_of(const Tally& tally) const {
    if (!tally.oldest_mtime) return 0;  // no files
    return clock_.now > *tally.oldest_mtime ? static_cast<std::uint64_t>(clock_.now - *tally.oldest_mtime) : 0;
  }

  bool timed_out() const { return timed_out_; }
  // What could not be read; the queue's own subdirectories that failed
  // alike in one line ("cannot read info, local, remote, bounce in
  // /var/qmail/queue: Permission denied"), so LastError holds them all.
  std::vector<std::string> problems() {
    for (const auto& [error, names] : unreadable_subdirectories_) {
      std::string line = "cannot read ";
      for (std::size_t i = 0; i < names.size(); ++i) line += (i > 0 ? ", " : "") + names[i];
      problems_.push_back(line + " in " + queue_dir_ + ": " + error);
    }
    unreadable_subdirectories_.clear();
    return std::move(problems_);
  }

 private:
  // Reads the directory open as `fd`: the tallied one when `bucket` is -1,
  // else its subdirectory tally.buckets[bucket]. Leaves `fd` open.
  bool read_directory(int fd, const std::string& path, int bucket, Tally& tally, OldestFile* oldest) {
    // fdopendir takes over the descriptor it is given: give it a duplicate.
    const int own_fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (own_fd < 0) return cannot_read(path, errno);
    DirHandle dir(::fdopendir(own_fd));
    if (!dir) {
      const int error = errno;
      ::close(own_fd);
      return cannot_read(path, error);
    }
    for (;;) {
      errno = 0;  // readdir's end and its failure differ only in errno
      const dirent* entry = ::readdir(dir.get());
      if (entry == nullptr) break;
      if (++entries_seen_ % kEntriesPerClockCheck == 0 && std::chrono::steady_clock::now() > clock_.deadline) {
        timed_out_ = true;
        return false;
      }
      if (!read_entry(fd, path, bucket, *entry, tally, oldest)) return false;
    }
    if (errno != 0) return cannot_read(path, errno);
    return true;
  }

  // One entry of a directory: a bucket to read, or a file to count and
  // date. False stops the scan.
  bool read_entry(int fd, const std::string& path, int bucket, const dirent& entry, Tally& tally,
                  OldestFile* oldest) {
    const char* name = entry.d_name;
    if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) return true;
    bool is_directory = entry.d_type == DT_DIR;
    std::optional<std::time_t> mtime;
    if (entry.d_type == DT_UNKNOWN) {  // some filesystems leave the type out
      struct stat status {};
      if (::fstatat(fd, name, &status, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) return true;  // moved on since readdir: qmail moves files all the time
        return cannot_read(path + "/" + name, errno);
      }
      is_directory = S_ISDIR(status.st_mode);
      mtime = status.st_mtime;
    }
    if (is_directory) {
      // qmail's layout is at most one level deep.
      return bucket >= 0 || read_bucket(fd, path, name, tally, oldest);
    }
    if (oldest) {
      const auto seen = oldest->see(fd, name, bucket, mtime);
      if (seen == OldestFile::Seen::vanished) return true;
      if (seen == OldestFile::Seen::failed) tally.ages_failed = true;
    }
    ++(bucket < 0 ? tally.top_files : tally.nested_files);
    return true;
  }

  bool read_bucket(int parent_fd, const std::string& parent_path, const char* name, Tally& tally,
                   OldestFile* oldest) {
    const std::string path = parent_path + "/" + name;
    UniqueFd fd(::openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return cannot_read(path, errno);
    tally.buckets.emplace_back(name);
    return read_directory(fd.get(), path, static_cast<int>(tally.buckets.size() - 1), tally, oldest);
  }

  // Adds the problem; returns false, for the callers to pass on.
  bool cannot_read(const std::string& path, int error) {
    const std::string prefix = queue_dir_ + "/";
    if (path.rfind(prefix, 0) == 0 && path.find('/', prefix.size()) == std::string::npos) {
      unreadable_subdirectories_[std::strerror(error)].push_back(path.substr(prefix.size()));
    } else {
      problems_.push_back("cannot read " + path + ": " + std::strerror(error));
    }
    return false;
  }

  int queue_fd_;
  std::string queue_dir_;
  const ScanClock& clock_;
  std::uint64_t entries_seen_ = 0;
  bool timed_out_ = false;
  std::vector<std::string> problems_;
  std::map<std::string, std::vector<std::string>> unreadable_subdirectories_;  // by error, in scan order
};

}  // namespace

Result<Sample> scan_queue(const std::string& queue_dir, const ScanClock& clock, ScanMemory& memory) {
  UniqueFd queue(::open(queue_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (queue.get() < 0) return Error{"cannot open " + queue_dir + ": " + std::strerror(errno)};
  QueueScanner scanner(queue.get(), queue_dir, clock);
  ScanMemory next;
  Sample sample;
  // mess/ as qmail-qstat counts it: the files in its split subdirectories.
  if (auto mess = scanner.tally("mess", &next.mess, memory.valid ? &memory.mess : nullptr)) {
    sample.queue_messages = mess->nested_files;
    sample.split = mess->buckets.size();
    if (!mess->ages_failed) sample.oldest_message_age = scanner.age_of(*mess);
  }
  if (auto todo = scanner.tally("todo", &next.todo, memory.valid ? &memory.todo : nullptr)) {
    sample.todo_messages = todo->top_files + todo->nested_files;  // flat, or split by big-todo
    if (!todo->ages_failed) sample.oldest_todo_age = scanner.age_of(*todo);
  }
  // info/ is qmails' own (0700): readable where local/ and remote/ are.
  if (auto info = scanner.tally("info", &next.info, memory.valid ? &memory.info : nullptr)) {
    if (!info->ages_failed) sample.oldest_preprocessed_age = scanner.age_of(*info);
  }
  if (auto local = scanner.tally("local")) sample.local_messages = local->nested_files;
  if (auto remote = scanner.tally("remote")) sample.remote_messages = remote->nested_files;
  if (auto bounce = scanner.tally("bounce")) sample.bounce_messages = bounce->top_files;
  if (scanner.timed_out()) {
    memory = {};  // half a walk: start over
    return Error{"the scan of " + queue_dir + " did not finish within the timeout"};
  }
  next.valid = true;
  memory = std::move(next);
  sample.problems = scanner.problems();
  if (!sample.anything_read()) return Error{join_problems(sample.problems)};
  return sample;
}

std::string join_problems(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& problem : problems) out += (out.empty() ? "" : "; ") + problem;
  return out;
}

Result<Sample> scan_queue(const std::string& queue_dir, const ScanClock& clock) {
  ScanMemory none;
  return scan_queue(queue_dir, clock, none);
}

}  // namespace mwx::qmail
