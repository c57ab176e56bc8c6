#pragma once
// The k-way merge of runs of entries, each run in OID order, that both the
// snapshot builder (its lanes) and the poller's publish (one part per
// instance) rely on. A Run has done(), oid() and advance().

#include <algorithm>
#include <string>
#include <vector>

#include "agent/base/oid.hpp"
#include "agent/snapshot/front_coded_oids.hpp"

namespace mwx {

// Calls emit(run_number, run, previous_oid) for every entry in OID order
// (previous_oid is empty for the first); returns an error, and stops, at an
// OID that two entries share.
template <class Run, class Emit>
std::string merge_in_order(std::vector<Run>& runs, Emit&& emit) {
  // A heap of run numbers, the run with the lowest key on top.
  const auto later = [&runs](std::size_t a, std::size_t b) { return compare_oids(runs[a].oid(), runs[b].oid()) > 0; };
  std::vector<std::size_t> heads;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    if (!runs[r].done()) heads.push_back(r);
  }
  std::make_heap(heads.begin(), heads.end(), later);
  OidBuffer last;
  bool first = true;
  while (!heads.empty()) {
    std::pop_heap(heads.begin(), heads.end(), later);
    const std::size_t r = heads.back();
    Run& run = runs[r];
    if (!first && compare_oids(last.view(), run.oid()) == 0) {
      return "two values for the same OID " + format_oid(run.oid());
    }
    // A run goes on without the heap for as long as it stays below every
    // other run's head (a run is in strictly ascending order).
    const Run* others = heads.size() > 1 ? &runs[heads.front()] : nullptr;
    do {
      const OidView oid = run.oid();
      emit(r, run, first ? OidView{} : last.view());
      last.assign(oid);
      first = false;
      run.advance();
    } while (!run.done() && (others == nullptr || compare_oids(run.oid(), others->oid()) < 0));
    if (run.done()) {
      heads.pop_back();
    } else {
      std::push_heap(heads.begin(), heads.end(), later);
    }
  }
  return {};
}

}  // namespace mwx
