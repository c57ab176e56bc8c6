#pragma once
// What one poll of a gearmand job server yields, typed.

#include <cstdint>
#include <string>
#include <vector>

namespace mwx::gearman {

// One line of 'status': FUNCTION TOTAL RUNNING AVAILABLE_WORKERS.
struct FunctionStatus {
  std::string name;
  std::uint64_t total = 0;      // queued jobs, the running ones included (gearmand's count)
  std::uint64_t running = 0;
  std::uint64_t available = 0;  // workers registered for the function, busy or not

  std::uint64_t waiting() const { return total - running; }  // parse_status guarantees running <= total
};

struct Sample {
  std::string version;                    // from 'version'
  std::vector<FunctionStatus> functions;  // from 'status', in the server's order
  std::uint64_t worker_connections = 0;   // from 'workers': connections that registered a function
};

// The instance row's totals.
struct Summary {
  std::uint64_t functions = 0;
  std::uint64_t total_jobs = 0;
  std::uint64_t running_jobs = 0;
  std::uint64_t waiting_jobs = 0;
  std::uint64_t starved_functions = 0;  // jobs waiting and no worker registered
};

Summary summarize(const Sample& sample);

}  // namespace mwx::gearman
