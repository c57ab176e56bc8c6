#include "handlers/lvs/discontinuity.hpp"

#include <algorithm>

namespace mwx::lvs {
namespace {

bool went_down(const std::optional<Traffic>& before, const std::optional<Traffic>& now) {
  if (!before || !now) return before.has_value() != now.has_value();  // netlink came or went
  return now->conns < before->conns || now->in_packets < before->in_packets ||
         now->out_packets < before->out_packets || now->in_bytes < before->in_bytes ||
         now->out_bytes < before->out_bytes;
}

// The row of `rows` (sorted by `key`) with the key of `row`, or nullptr.
template <class Row, class Key>
const Row* find_row(const std::vector<Row>& rows, const Row& row, Key key) {
  const auto it = std::lower_bound(rows.begin(), rows.end(), row,
                                   [&](const Row& a, const Row& b) { return key(a) < key(b); });
  return it != rows.end() && key(*it) == key(row) ? &*it : nullptr;
}

template <class Row>
void carry(Row& row, const Row* before, std::chrono::system_clock::time_point now) {
  row.discontinuity_time = before && !went_down(before->traffic, row.traffic) ? before->discontinuity_time : now;
}

}  // namespace

void mark_discontinuities(Sample& current, const Sample* previous, std::chrono::system_clock::time_point now) {
  const auto service_key = [](const Service& s) { return s.key(); };
  for (Service& service : current.services) {
    const Service* before = previous ? find_row(previous->services, service, service_key) : nullptr;
    carry(service, before, now);
    for (RealServer& real : service.real_servers) {
      carry(real, before ? find_row(before->real_servers, real, real_server_key) : nullptr, now);
    }
  }
  const bool totals_continue = previous && previous->totals && !went_down(previous->totals, current.totals);
  current.totals_discontinuity_time = totals_continue ? previous->totals_discontinuity_time : now;
}

}  // namespace mwx::lvs
