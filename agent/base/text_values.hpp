#pragma once
// Encodings of SNMPv2-TC text types.

#include <chrono>
#include <string>
#include <string_view>

namespace mwx {

// A DisplayString of at most `max_length` bytes: bytes outside printable
// ASCII (a backend's garbage) become '?', so no client chokes on them.
std::string display_string(std::string_view text, std::size_t max_length = 255);

// Up to `max_length` bytes of a backend's text for an error message, with
// anything unprintable escaped as \xNN and "..." when cut.
std::string excerpt(std::string_view text, std::size_t max_length = 64);

// A period as people write it in this agent's messages: "500ms" under a
// second, "2s" or "2.5s" from one second on.
std::string duration_text(std::chrono::milliseconds period);

// The 11-octet DateAndTime of a UTC time ("+0:0" time zone).
std::string date_and_time(std::chrono::system_clock::time_point time);

}  // namespace mwx
