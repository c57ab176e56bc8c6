// mwagentx: the AgentX subagent. main() wires the parts together: the
// configuration, the poller thread, and net-snmp on this (main) thread.

#include <csignal>
#include <filesystem>
#include <iostream>
#include <malloc.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "agent/agent_mib.hpp"
#include "agent/agentx_session.hpp"
#include "agent/command_line.hpp"
#include "agent/config_loader.hpp"
#include "agent/dump.hpp"
#include "agent/event_catalog.hpp"
#include "agent/event_queue.hpp"
#include "agent/logging.hpp"
#include "agent/notifier.hpp"
#include "agent/poller.hpp"

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

void log_errors(spdlog::logger& log, const std::string& errors) {
  std::size_t at = 0;
  while (at < errors.size()) {
    auto end = errors.find('\n', at);
    if (end == std::string::npos) end = errors.size();
    log.error("{}", errors.substr(at, end - at));
    at = end + 1;
  }
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

class Agent {
 public:
  Agent(const CommandLine& line, Configuration configuration)
      : line_(line), config_(configuration.config),
        poller_(store_, mwx::AgentState{}, mwx::poller_options(config_),
                [this](std::vector<mwx::Event> events) { events_.push(std::move(events)); }),
        notifier_(config_.event_backlog, &mwx::send_notification,
                  [this](std::uint64_t lost) { count_lost_events(lost); }) {
    poller_.start(std::move(configuration.instances));
  }

  int run(int signal_fd) {
    mwx::AgentxSession session(agentx_options(config_, line_), store_);
    session.watch_readable(signal_fd, [&] { drain_signals(signal_fd); });
    session.watch_readable(events_.fd(), [&] { notifier_.submit(events_.take(), session.registered()); });
    session.on_registered([&] {
      if (const auto sent = notifier_.deliver_held(); sent > 0) {
        log_->info("sent {} notification(s) held while snmpd was away", sent);
      }
      lost_logged_ = false;
    });
    log_->info("mwagentx {} started with {}", mwx::agent_version(), line_.config_path);
    while (!stopping_) session.process_events();
    log_->info("stopping");
    poller_.stop();
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

  // On the net-snmp thread, while snmpd is away.
  void count_lost_events(std::uint64_t lost) {
    if (!lost_logged_) {
      log_->warn("snmpd is away and {} notification(s) are held (event_backlog); dropping the oldest",
                 config_.event_backlog);
      lost_logged_ = true;
    }
    poller_.count_lost_events(lost);
  }

  void reload() {
    auto loaded = mwx::load_configuration(line_.config_path);
    if (!loaded) {
      log_->error("reload rejected, the running configuration stays:");
      log_errors(*mwx::logger("config"), loaded.error());
      poller_.count_failed_reload();
      return;
    }
    const mwx::Config& next = loaded.value().config;
    if (agentx_options(next, line_).socket != agentx_options(config_, line_).socket ||
        next.agentx_ping_interval != config_.agentx_ping_interval) {
      log_->warn("agentx_socket and agentx_ping_interval changes take effect at the next start");
    }
    mwx::set_log_level(next.log_level);
    log_->info("configuration reloaded: {} instance(s)", loaded.value().instances.size());
    notifier_.set_backlog_limit(next.event_backlog);
    config_.event_backlog = next.event_backlog;
    poller_.reconfigure(std::move(loaded.value().instances), mwx::poller_options(next));
  }

  const CommandLine& line_;
  mwx::Config config_;
  mwx::SnapshotStore store_;
  mwx::EventQueue events_;  // before the poller, which pushes into it
  mwx::Poller poller_;
  mwx::Notifier notifier_;
  bool lost_logged_ = false;
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
