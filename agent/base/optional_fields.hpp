#pragma once
// Numbers and texts by field, each present or absent, stored compactly:
// a memcached instance keeps its last sample (some 160 numbers, more with
// slab classes, and 27 tunables) until its next poll, a thousand of them
// in a farm.

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mwx {

// 8 bytes and a bit a field, where std::optional<std::uint64_t> takes 16.
template <class Field, std::size_t N>
class OptionalNumbers {
 public:
  std::optional<std::uint64_t> get(Field field) const {
    const auto i = static_cast<std::size_t>(field);
    if (!present_[i]) return std::nullopt;
    return values_[i];
  }
  void set(Field field, std::uint64_t value) {
    const auto i = static_cast<std::size_t>(field);
    values_[i] = value;
    present_.set(i);
  }

 private:
  std::array<std::uint64_t, N> values_{};
  std::bitset<N> present_;
};

// The texts one after another in one string, where N std::optional<std::string>
// take 40 bytes each. A field is set once (a second set of it would leave
// its first text unused in the string).
template <class Field, std::size_t N>
class OptionalTexts {
 public:
  std::optional<std::string_view> get(Field field) const {
    const Place place = places_[static_cast<std::size_t>(field)];
    if (!place.present) return std::nullopt;
    return std::string_view(texts_).substr(place.begin, place.length);
  }
  // Texts are short (what a server prints for one setting); false, and
  // nothing set, when all of them would pass 64 KiB.
  bool set(Field field, std::string_view text) {
    if (texts_.size() + text.size() > kMaxBytes) return false;
    places_[static_cast<std::size_t>(field)] = {static_cast<std::uint16_t>(texts_.size()),
                                                static_cast<std::uint16_t>(text.size()), true};
    texts_ += text;
    return true;
  }

 private:
  static constexpr std::size_t kMaxBytes = 0xffff;
  struct Place {
    std::uint16_t begin = 0;
    std::uint16_t length = 0;
    bool present = false;
  };
  std::string texts_;
  std::array<Place, N> places_{};
};

}  // namespace mwx
