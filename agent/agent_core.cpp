#include "agent/agent_core.hpp"

#include "agent/base/logging.hpp"

namespace mwx {
namespace {

std::shared_ptr<spdlog::logger> agent_log() { return logger("agent"); }

}  // namespace

AgentCore::AgentCore(std::string config_path, Configuration configuration)
    : config_path_(std::move(config_path)), config_(configuration.config),
      poller_(store_, AgentState{}, poller_options(config_),
              [this](std::vector<Event> events) { events_.push(std::move(events)); }),
      notifier_(config_.event_backlog, &send_notification,
                [this](std::uint64_t lost) { count_lost_events(lost); }) {
  poller_.start(std::move(configuration.instances));
}

AgentCore::~AgentCore() { poller_.stop(); }

void AgentCore::notify(bool deliverable) { notifier_.submit(events_.take(), deliverable); }

void AgentCore::deliver_held() {
  if (const auto sent = notifier_.deliver_held(); sent > 0) {
    agent_log()->info("sent {} notification(s) held while snmpd was away", sent);
  }
  lost_logged_ = false;
}

void AgentCore::count_lost_events(std::uint64_t lost) {
  if (!lost_logged_) {
    agent_log()->warn("snmpd is away and {} notification(s) are held (event_backlog); dropping the oldest",
                      config_.event_backlog);
    lost_logged_ = true;
  }
  poller_.count_lost_events(lost);
}

std::optional<Config> AgentCore::reload() { return reload(config_path_); }

std::optional<Config> AgentCore::reload(const std::string& path) {
  auto loaded = load_configuration(path);
  if (!loaded) {
    agent_log()->error("reload rejected, the running configuration stays (from {}):", config_path_);
    log_errors(*logger("config"), loaded.error());
    poller_.count_failed_reload();
    return std::nullopt;
  }
  Config next = loaded.value().config;
  set_log_level(next.log_level);
  agent_log()->info("configuration reloaded: {} instance(s)", loaded.value().instances.size());
  config_path_ = path;
  notifier_.set_backlog_limit(next.event_backlog);
  poller_.reconfigure(std::move(loaded.value().instances), poller_options(next));
  config_ = next;
  return next;
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

}  // namespace mwx
