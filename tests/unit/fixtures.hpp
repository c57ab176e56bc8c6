#pragma once
// Reads committed fixtures byte for byte. Each subsystem keeps its own in
// handlers/<subsystem>/fixtures/; a fixture is named by the subsystem and
// its path there: "memcached/1.6.18/stats.txt".

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace mwx::test {

inline std::string fixture_path(const std::string& relative) {
  const auto slash = relative.find('/');
  return std::string(MWX_HANDLERS) + "/" + relative.substr(0, slash) + "/fixtures/" + relative.substr(slash + 1);
}

inline std::string read_fixture(const std::string& relative) {
  std::ifstream in(fixture_path(relative), std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + relative);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void write_fixture(const std::string& relative, const std::string& text) {
  std::ofstream(fixture_path(relative), std::ios::binary) << text;
}

// MWX_UPDATE_GOLDEN=1 rewrites golden files instead of comparing with them.
inline bool updating_golden() {
  const char* v = std::getenv("MWX_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

// Compares `printed` with the golden file at `relative`, or rewrites it
// under MWX_UPDATE_GOLDEN=1.
inline void expect_golden(const std::string& relative, const std::string& printed) {
  if (updating_golden()) return write_fixture(relative, printed);
  EXPECT_EQ(printed, read_fixture(relative)) << "MWX_UPDATE_GOLDEN=1 regenerates " << relative;
}

}  // namespace mwx::test
