#include "agent/base/text_values.hpp"

#include <ctime>

namespace mwx {

std::string display_string(std::string_view text, std::size_t max_length) {
  std::string out(text.substr(0, max_length));
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e) c = '?';
  }
  return out;
}

std::string excerpt(std::string_view text, std::size_t max_length) {
  std::string out;
  for (const char c : text.substr(0, max_length)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte <= 0x7e && byte != '\\') {
      out += c;
    } else {
      static const char hex[] = "0123456789abcdef";
      out += {'\\', 'x', hex[byte >> 4], hex[byte & 0xf]};
    }
  }
  if (text.size() > max_length) out += "...";
  return out;
}

std::string date_and_time(std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
  const auto deciseconds = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000 / 100;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  const int year = utc.tm_year + 1900;
  return std::string{static_cast<char>(year >> 8),       static_cast<char>(year & 0xff),
                     static_cast<char>(utc.tm_mon + 1),  static_cast<char>(utc.tm_mday),
                     static_cast<char>(utc.tm_hour),     static_cast<char>(utc.tm_min),
                     static_cast<char>(utc.tm_sec),      static_cast<char>(deciseconds),
                     '+',                                0,
                     0};
}

std::string duration_text(std::chrono::milliseconds period) {
  const auto ms = period.count();
  if (ms < 1000) return std::to_string(ms) + "ms";
  std::string text = std::to_string(ms / 1000);
  if (ms % 1000 != 0) {
    std::string fraction = std::to_string(1000 + ms % 1000).substr(1);
    while (fraction.back() == '0') fraction.pop_back();
    text += "." + fraction;
  }
  return text + "s";
}

}  // namespace mwx
