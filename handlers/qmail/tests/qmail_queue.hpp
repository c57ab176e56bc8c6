#pragma once
// Builds qmail queue trees the way qmail lays them out (queue/mess/N/,
// todo/, local/N/, remote/N/, info/N/, bounce/, intd/), in a temporary
// directory that is removed afterwards. Tests know how many files they
// made: the expected counts never come from the code under test.

#include <fcntl.h>
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

namespace mwx::test {

class QueueTree {
 public:
  explicit QueueTree(int split = 23, bool big_todo = false) : split_(split), big_todo_(big_todo) {
    char pattern[] = "/tmp/mwx-qmail-XXXXXX";
    root_ = ::mkdtemp(pattern);
    for (const char* dir : {"mess", "info", "local", "remote"}) {
      for (int i = 0; i < split; ++i) std::filesystem::create_directories(queue() / dir / std::to_string(i));
    }
    for (const char* dir : {"todo", "intd", "bounce", "pid", "lock"}) std::filesystem::create_directories(queue() / dir);
    if (big_todo) {
      for (int i = 0; i < split; ++i) std::filesystem::create_directories(queue() / "todo" / std::to_string(i));
    }
  }
  ~QueueTree() { std::filesystem::remove_all(root_); }
  QueueTree(const QueueTree&) = delete;
  QueueTree& operator=(const QueueTree&) = delete;

  std::filesystem::path root() const { return root_; }
  std::filesystem::path queue() const { return root_ / "queue"; }

  // A message as qmail-queue leaves it once committed: mess/ and todo/
  // files named by the message's number, in its split bucket. `age`
  // backdates both files.
  void queue_message(long number, std::time_t age = 0) {
    touch(queue() / "mess" / bucket(number) / std::to_string(number), age);
    touch(todo_path(number), age);
  }

  // After qmail-send preprocessed it (`age` seconds ago): todo/ gone,
  // info/ and the delivery lists there.
  void preprocess(long number, bool local, bool remote, std::time_t age = 0) {
    std::filesystem::remove(todo_path(number));
    touch(queue() / "info" / bucket(number) / std::to_string(number), age);
    if (local) touch(queue() / "local" / bucket(number) / std::to_string(number));
    if (remote) touch(queue() / "remote" / bucket(number) / std::to_string(number));
  }

  void bounce(long number) { touch(queue() / "bounce" / std::to_string(number)); }

  static void touch(const std::filesystem::path& path, std::time_t age = 0) {
    std::ofstream(path) << "x";
    if (age == 0) return;
    const std::time_t when = std::time(nullptr) - age;
    const timespec times[2] = {{when, 0}, {when, 0}};
    ::utimensat(AT_FDCWD, path.c_str(), times, 0);
  }

 private:
  std::string bucket(long number) const { return std::to_string(number % split_); }
  std::filesystem::path todo_path(long number) const {
    return big_todo_ ? queue() / "todo" / bucket(number) / std::to_string(number)
                     : queue() / "todo" / std::to_string(number);
  }

  int split_;
  bool big_todo_;
  std::filesystem::path root_;
};

}  // namespace mwx::test
