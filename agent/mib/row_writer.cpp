#include "agent/mib/row_writer.hpp"

#include <algorithm>
#include <limits>

#include "agent/base/text_values.hpp"

namespace mwx {

std::string nested_label(std::string_view instance, std::string_view row) {
  std::string label(instance);
  label += '/';
  label += row;
  return label;
}
namespace {

// Gauge32 and Unsigned32 latch at their maximum instead of wrapping (RFC 2578).
std::uint64_t fit(SnmpType type, std::uint64_t value) {
  switch (type) {
    case SnmpType::Gauge32:
    case SnmpType::Unsigned32:
    case SnmpType::Counter32:
      return std::min<std::uint64_t>(value, std::numeric_limits<std::uint32_t>::max());
    default:
      return value;
  }
}

}  // namespace

OidView RowWriter::oid(const Column& column) {
  cell_.assign(entry_.begin(), entry_.end());
  cell_.push_back(column.arc);
  cell_.insert(cell_.end(), index_.begin(), index_.end());
  return cell_;
}

void RowWriter::number(const Column& column, std::uint64_t value) {
  out_.add_number(oid(column), column.type, fit(column.type, value), instance_, true, lane(column));
}

void RowWriter::number(const Column& column, std::optional<std::uint64_t> value) {
  if (value) number(column, *value);
}

void RowWriter::integer(const Column& column, std::int64_t value) {
  // Stored sign-extended, as the snapshot keeps every Integer.
  out_.add_number(oid(column), column.type, static_cast<std::uint64_t>(value), instance_, true, lane(column));
}

void RowWriter::text(const Column& column, std::string_view value) {
  out_.add_text(oid(column), value, instance_, true, lane(column));
}

void RowWriter::cell(const Column& column, const CellValue& cell) {
  const auto& value = cell.value();
  if (const auto* n = std::get_if<std::uint64_t>(&value)) {
    number(column, *n);
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    integer(column, *i);
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    text(column, *s);
  } else if (const auto* when = std::get_if<std::chrono::system_clock::time_point>(&value)) {
    if (column.syntax.is_date_and_time()) {
      text(column, date_and_time(*when));
    } else {
      out_.add_seconds_since(oid(column), steady_time_of(*when), instance_, true, lane(column));
    }
  }
}

void RowWriter::meta_text(const Column& column, std::string_view value) {
  out_.add_text(oid(column), value, instance_, false, lane(column));
}

void RowWriter::meta_number(const Column& column, std::uint64_t value) {
  out_.add_number(oid(column), column.type, fit(column.type, value), instance_, false, lane(column));
}

void RowWriter::meta_seconds_since(const Column& column, SteadyTime since) {
  out_.add_seconds_since(oid(column), since, instance_, false, lane(column));
}

void RowWriter::meta_status(const Column& column, InstanceStatus status) {
  out_.add_status(oid(column), status, instance_, lane(column));
}

}  // namespace mwx
