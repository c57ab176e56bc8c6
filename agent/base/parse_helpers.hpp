#pragma once
// Small checks shared by the parsers of backend replies.

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace mwx {

// The whole text must be the number, or there is none (never atof's silent zero).
inline std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// An optional '-' and decimal digits, the whole text, within int64.
inline std::optional<std::int64_t> parse_signed(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  const auto magnitude = parse_unsigned(negative ? text.substr(1) : text);
  if (!magnitude || *magnitude > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  return negative ? -static_cast<std::int64_t>(*magnitude) : static_cast<std::int64_t>(*magnitude);
}

// The words of a line: runs of anything but spaces, tabs and carriage
// returns.
inline std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  constexpr std::string_view kBlanks = " \t\r";
  for (std::size_t at = line.find_first_not_of(kBlanks); at != std::string_view::npos;
       at = line.find_first_not_of(kBlanks, at)) {
    const auto end = std::min(line.find_first_of(kBlanks, at), line.size());
    words.push_back(line.substr(at, end - at));
    at = end;
  }
  return words;
}

// The fields of a line between `separator`s, empty ones included.
inline std::vector<std::string_view> split_fields(std::string_view line, char separator) {
  std::vector<std::string_view> fields;
  for (std::size_t at = 0;;) {
    const auto next = line.find(separator, at);
    fields.push_back(line.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
    if (next == std::string_view::npos) return fields;
    at = next + 1;
  }
}

// Takes the next line off `rest`, without its "\n" or "\r\n"; nullopt when
// `rest` holds no complete line.
inline std::optional<std::string_view> take_line(std::string_view& rest) {
  const auto newline = rest.find('\n');
  if (newline == std::string_view::npos) return std::nullopt;
  std::string_view line = rest.substr(0, newline);
  rest.remove_prefix(newline + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// The first name that appears a second time, if any: a reply listing a
// stat or a function twice is not one we can trust. Open addressing in a
// table of at least twice as many slots: a memcached poll checks some 1,500
// names, and sorting them cost a quarter of the poll.
inline std::optional<std::string_view> first_duplicate(std::span<const std::string_view> names) {
  std::size_t slots = 16;
  while (slots < 2 * names.size()) slots *= 2;
  std::vector<const std::string_view*> table(slots, nullptr);
  const std::hash<std::string_view> hash;
  for (const auto& name : names) {
    for (std::size_t at = hash(name) & (slots - 1);; at = (at + 1) & (slots - 1)) {
      if (table[at] == nullptr) {
        table[at] = &name;
        break;
      }
      if (*table[at] == name) return name;
    }
  }
  return std::nullopt;
}

}  // namespace mwx
