#include "agent/config/parse_context.hpp"

#include <algorithm>
#include <charconv>

namespace mwx::config {
namespace {

constexpr std::chrono::milliseconds kMinPeriod{100};
constexpr std::chrono::milliseconds kMaxPeriod{86'400'000};
constexpr std::size_t kMaxNameLength = 32;

}  // namespace

std::optional<std::uint64_t> ParseContext::whole_number(const std::string& what, const std::string& value, int line,
                                                        std::uint64_t min, std::uint64_t max, const char* kind) {
  std::uint64_t parsed = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc() || end != value.data() + value.size() || parsed < min || parsed > max) {
    fail(line, "bad " + what + " '" + value + "'; expected " + kind + " from " + std::to_string(min) + " to " +
                   std::to_string(max));
    return std::nullopt;
  }
  return parsed;
}

std::optional<std::chrono::milliseconds> ParseContext::period(const std::string& value, const std::string& what,
                                                              int line) {
  const auto parsed = parse_seconds(value);
  if (!parsed || *parsed < kMinPeriod || *parsed > kMaxPeriod) {
    fail(line, "bad " + what + " '" + value + "'; expected seconds from 0.1 to 86400, e.g. 10 or 2.5");
    return std::nullopt;
  }
  return parsed;
}

bool valid_instance_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
  });
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace mwx::config
