// mwagentx: the AgentX subagent. main() wires the parts together: the
// configuration, the poller thread, and net-snmp on this (main) thread.

#include <csignal>
#include <filesystem>
#include <iostream>
#include <malloc.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "agent/agent_core.hpp"
#include "agent/base/logging.hpp"
#include "agent/command_line.hpp"
#include "agent/config_loader.hpp"
#include "agent/events/event_catalog.hpp"
#include "agent/mib/agent_group.hpp"
#include "agent/mib/dump.hpp"
#include "agent/poll/poller.hpp"
#include "agent/snmp/agentx_session.hpp"
#include "agent/subsystem.hpp"

namespace {

using mwx::CommandLine;
using mwx::Configuration;

constexpr int kExitOk = 0, kExitConfig = 1, kExitUsage = 2;

// A poll of a big table allocates its snapshot and sample in a few large
// blocks and frees the previous ones. glibc raises its mmap threshold after
// each free of a mapped block, up to 32 MiB, and then keeps such blocks in
// its heaps: fixed at 1 MiB, the biggest are mapped and unmapped (smaller
// ones would cost a page fault a page at every publish: a thousand
// instances spent a quarter of their CPU so at 64 KiB), the rest is handed
// back by the poller's trim. Two arenas (this thread, the poller) are enough.
void keep_rss_at_what_is_live() {
  mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
  mallopt(M_ARENA_MAX, 2);
}

mwx::AgentxOptions agentx_options(const mwx::Config& config, const CommandLine& line) {
  return {line.agentx_socket.value_or(config.agentx_socket), config.agentx_ping_interval};
}

// Signals arrive through a signalfd in net-snmp's event loop; they are
// blocked before any thread starts, so no thread is interrupted.
int block_signals_into_fd() {
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a vanished peer is an error code, not a death
  return signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
}

// The subagent: the agent's core and an AgentX session to snmpd.
class Agent {
 public:
  Agent(const CommandLine& line, Configuration configuration)
      : line_(line), session_options_(agentx_options(configuration.config, line)),
        core_(line.config_path, std::move(configuration)) {}

  int run(int signal_fd) {
    const mwx::MibCatalog catalog = mwx::full_catalog();
    mwx::AgentxSession session(session_options_, core_.store(), catalog);
    session.watch_readable(signal_fd, [&] { drain_signals(signal_fd); });
    session.watch_readable(core_.events_fd(), [&] { core_.notify(session.registered()); });
    session.on_registered([&] { core_.deliver_held(); });
    log_->info("mwagentx {} started with {}", mwx::agent_version(), core_.config_path());
    while (!stopping_) session.process_events();
    log_->info("stopping");
    return kExitOk;
  }

 private:
  void drain_signals(int fd) {
    signalfd_siginfo info{};
    while (read(fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
      if (info.ssi_signo == SIGHUP) {
        reload();
      } else {
        stopping_ = true;
      }
    }
  }

  void reload() {
    const auto next = core_.reload();
    if (!next) return;
    const mwx::AgentxOptions wanted = agentx_options(*next, line_);
    if (wanted.socket != session_options_.socket || wanted.ping_interval != session_options_.ping_interval) {
      log_->warn("agentx_socket and agentx_ping_interval changes take effect at the next start");
    }
  }

  const CommandLine& line_;
  const mwx::AgentxOptions session_options_;  // what the session runs with, whatever a reload reads
  mwx::AgentCore core_;
  std::shared_ptr<spdlog::logger> log_ = mwx::logger("agent");
  bool stopping_ = false;
};

int run_agent(CommandLine line, Configuration configuration) {
  // daemon() changes to /: a relative -c must still name the same file at
  // the next SIGHUP.
  std::error_code ec;
  if (auto absolute = std::filesystem::absolute(line.config_path, ec); !ec) line.config_path = absolute.string();
  mwx::setup_logging(line.foreground);
  mwx::set_log_level(configuration.config.log_level);
  if (!line.foreground && daemon(0, 0) != 0) {
    mwx::logger("agent")->error("cannot become a daemon: {}", std::strerror(errno));
    return kExitConfig;
  }
  const int signal_fd = block_signals_into_fd();
  if (signal_fd < 0) {
    mwx::logger("agent")->error("signalfd: {}", std::strerror(errno));
    return kExitConfig;
  }
  try {
    Agent agent(line, std::move(configuration));
    return agent.run(signal_fd);
  } catch (const std::exception& e) {
    mwx::logger("agent")->error("{}", e.what());
    return kExitConfig;
  }
}

}  // namespace

int main(int argc, char** argv) {
  keep_rss_at_what_is_live();
  auto parsed = mwx::parse_command_line(argc, argv);
  if (!parsed) {
    std::cerr << "mwagentx: " << parsed.error() << "\n\n" << mwx::usage_text();
    return kExitUsage;
  }
  const CommandLine& line = parsed.value();
  switch (line.mode) {
    case CommandLine::Mode::Help: std::cout << mwx::usage_text(); return kExitOk;
    case CommandLine::Mode::Version: std::cout << "mwagentx " << mwx::agent_version() << '\n'; return kExitOk;
    case CommandLine::Mode::ListObjects: mwx::print_catalog(mwx::full_catalog(), std::cout); return kExitOk;
    case CommandLine::Mode::ListEvents: mwx::print_events(std::cout); return kExitOk;
    default: break;
  }
  auto configuration = mwx::load_configuration(line.config_path);
  if (!configuration) {
    std::cerr << configuration.error() << '\n';
    return kExitConfig;
  }
  switch (line.mode) {
    case CommandLine::Mode::Check:
      std::cout << line.config_path << ": OK, " << configuration.value().instances.size() << " instance(s)\n";
      return kExitOk;
    case CommandLine::Mode::Dump: {
      mwx::setup_logging(true);
      mwx::set_log_level("error");  // the dump shows each instance's state itself
      const auto snapshot = mwx::poll_all_once(configuration.value().instances, mwx::AgentState{});
      if (!snapshot) return kExitConfig;
      mwx::print_snapshot(*snapshot, mwx::full_catalog(), std::cout);
      return kExitOk;
    }
    default:
      return run_agent(line, std::move(configuration).value());
  }
}
