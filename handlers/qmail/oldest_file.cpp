#include "handlers/qmail/oldest_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace mwx::qmail {
namespace {

std::optional<std::uint64_t> number_of(const char* name) {
  const char* end = name + std::strlen(name);
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(name, end, value);
  if (ec != std::errc() || ptr != end || name == end) return std::nullopt;
  return value;
}

}  // namespace

OldestFile::OldestFile(const AgeMemory* previous, bool restat_all)
    : previous_(previous), restat_all_(restat_all || previous == nullptr) {
  if (!restat_all_) taken_ = previous_->taken;
}

OldestFile::Seen OldestFile::see(int dir_fd, const char* name, int bucket, std::optional<std::time_t> known_mtime) {
  const auto number = number_of(name);
  if (number && !known_mtime && !restat_all_) {
    const auto& remembered = previous_->mtimes;
    const auto it = std::lower_bound(remembered.begin(), remembered.end(), std::make_pair(*number, std::time_t{}),
                                     [](const auto& a, const auto& b) { return a.first < b.first; });
    if (it != remembered.end() && it->first == *number) {
      files_.push_back({it->second, *number, bucket, false});
      return Seen::ok;
    }
  }
  std::time_t mtime = 0;
  if (known_mtime) {
    mtime = *known_mtime;
  } else {
    struct stat status {};
    ++stat_calls_;
    if (::fstatat(dir_fd, name, &status, AT_SYMLINK_NOFOLLOW) != 0) {
      return errno == ENOENT ? Seen::vanished : Seen::failed;  // moved on since readdir, or unreadable
    }
    mtime = status.st_mtime;
  }
  if (number) {
    files_.push_back({mtime, *number, bucket, true});
  } else if (!oldest_unnumbered_ || mtime < *oldest_unnumbered_) {
    oldest_unnumbered_ = mtime;
  }
  return Seen::ok;
}

OldestFile::Oldest OldestFile::find(int root_fd, const std::vector<std::string>& buckets) {
  // A min-heap on mtime: check the smallest remembered one until the
  // smallest is one stat()ed during this scan. Among equal mtimes a checked
  // file comes first: one checked file of the oldest time is enough.
  const auto later = [](const File& a, const File& b) {
    return a.mtime != b.mtime ? a.mtime > b.mtime : (!a.checked && b.checked);
  };
  std::make_heap(files_.begin(), files_.end(), later);
  while (!files_.empty() && !files_.front().checked) {
    std::pop_heap(files_.begin(), files_.end(), later);
    File& candidate = files_.back();
    std::string path = std::to_string(candidate.number);
    if (candidate.bucket >= 0) path = buckets[static_cast<std::size_t>(candidate.bucket)] + "/" + path;
    struct stat status {};
    ++stat_calls_;
    if (::fstatat(root_fd, path.c_str(), &status, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT) return {false, std::nullopt};
      files_.pop_back();  // gone: out of the heap and of the memory
      continue;
    }
    candidate.mtime = status.st_mtime;
    candidate.checked = true;
    std::push_heap(files_.begin(), files_.end(), later);
  }
  std::optional<std::time_t> oldest = oldest_unnumbered_;
  if (!files_.empty() && (!oldest || files_.front().mtime < *oldest)) oldest = files_.front().mtime;
  return {true, oldest};
}

AgeMemory OldestFile::memory(std::time_t now) && {
  AgeMemory out;
  out.taken = restat_all_ ? now : taken_;
  out.mtimes.reserve(files_.size());
  for (const auto& file : files_) out.mtimes.emplace_back(file.number, file.mtime);
  std::sort(out.mtimes.begin(), out.mtimes.end());
  return out;
}

}  // namespace mwx::qmail
