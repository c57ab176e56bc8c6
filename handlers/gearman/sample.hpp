#pragma once
// What one poll of a gearmand job server yields, typed.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mwx::gearman {

// The jobs of one function waiting in each priority's queue (a running job
// is in none): one line of 'prioritystatus', FUNCTION HIGH NORMAL LOW
// AVAILABLE_WORKERS.
struct QueuedByPriority {
  std::uint64_t high = 0;
  std::uint64_t normal = 0;
  std::uint64_t low = 0;
};

// One function: a line of 'status' (FUNCTION TOTAL RUNNING
// AVAILABLE_WORKERS), its line of 'prioritystatus' and its registrations
// in 'workers'. The replies are taken one after another, so a function
// may be in one and not the other.
struct FunctionStatus {
  std::string name;
  std::uint64_t total = 0;      // queued jobs, the running ones included (gearmand's count)
  std::uint64_t running = 0;
  std::uint64_t available = 0;  // workers registered for the function, busy or not
  bool in_status = true;        // false: only 'prioritystatus' listed it, and the three above are unknown
  std::optional<QueuedByPriority> queued{};  // absent: not in 'prioritystatus', or no such command
  std::uint64_t registered = 0;            // connections 'workers' lists with the function

  std::uint64_t waiting() const { return total - running; }  // parse_status guarantees running <= total
};

// What 'workers' lists: one line per connection to gearmand.
struct Connections {
  std::uint64_t total = 0;    // every connection, the agent's own admin connection included
  std::uint64_t workers = 0;  // those that registered at least one function
  std::map<std::string, std::uint64_t, std::less<>> registered;  // function -> connections registering it
};

struct Sample {
  std::string version;                    // from 'version'
  std::optional<std::uint64_t> pid;       // from 'getpid'; absent where gearmand has no such command
  std::vector<FunctionStatus> functions;  // from 'status' in the server's order, then any only in 'prioritystatus'
  Connections connections;                // from 'workers'
};

// The instance row's totals.
struct Summary {
  std::uint64_t functions = 0;
  std::uint64_t total_jobs = 0;
  std::uint64_t running_jobs = 0;
  std::uint64_t waiting_jobs = 0;
  std::uint64_t starved_functions = 0;  // jobs waiting and no worker registered
  // Connections that registered no function, the agent's own admin
  // connection left out: clients, and other admin connections.
  std::uint64_t client_connections = 0;
};

Summary summarize(const Sample& sample);

}  // namespace mwx::gearman
