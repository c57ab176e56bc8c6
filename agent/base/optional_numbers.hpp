#pragma once
// Numbers by field, each present or absent: 8 bytes and a bit a field,
// where std::optional takes 16. A memcached instance keeps its last sample
// (some 160 such fields, more with slab classes) until its next poll.

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace mwx {

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

}  // namespace mwx
