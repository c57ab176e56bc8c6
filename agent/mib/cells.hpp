#pragma once
// A table's columns together with how a row's value is read for each: one
// declaration that the row writer walks (RowWriter::cells) and the catalog
// lists (MibCatalog::add_cells), so that a column is declared, listed and
// written in one place.

#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>

#include "agent/mib/column.hpp"

namespace mwx {

// A cell's value as read from a row: absent (nullopt, or an empty
// optional), an unsigned number (served as the column's type), a signed one
// (an Integer32 or enumeration), text, or a point in time (a DateAndTime
// column prints it; the Unsigned32 age column beside it counts the seconds
// since, at answer time).
class CellValue {
 public:
  using Value = std::variant<std::monostate, std::uint64_t, std::int64_t, std::string,
                             std::chrono::system_clock::time_point>;

  CellValue() = default;
  CellValue(std::nullopt_t) {}
  template <std::unsigned_integral T>
  CellValue(T number) : value_(static_cast<std::uint64_t>(number)) {}
  template <std::signed_integral T>
  CellValue(T number) : value_(static_cast<std::int64_t>(number)) {}
  CellValue(std::string text) : value_(std::move(text)) {}
  CellValue(std::chrono::system_clock::time_point when) : value_(when) {}
  template <class T>
  CellValue(const std::optional<T>& value) {
    if (value) *this = CellValue(*value);
  }

  const Value& value() const { return value_; }

 private:
  Value value_;
};

template <class Row>
struct Cell {
  Column column;
  CellValue (*read)(const Row& row);
};

template <class Row>
using CellList = std::span<const Cell<Row>>;

}  // namespace mwx
