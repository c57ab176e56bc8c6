#include "agent/base/logging.hpp"

#include <mutex>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>

namespace mwx {
namespace {

std::mutex mutex;
spdlog::sink_ptr shared_sink;
spdlog::level::level_enum current_level = spdlog::level::info;

spdlog::sink_ptr make_stderr_sink() {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_pattern("%Y-%m-%d %H:%M:%S.%e %l [%n] %v");
  return sink;
}

}  // namespace

void setup_logging(bool foreground) {
  if (foreground) {
    log_to(make_stderr_sink());
    return;
  }
  // syslog stamps time and host itself.
  auto sink = std::make_shared<spdlog::sinks::syslog_sink_mt>("mwagentx", LOG_PID, LOG_DAEMON, false);
  sink->set_pattern("[%n] %v");
  log_to(std::move(sink));
}

void log_to(spdlog::sink_ptr sink) {
  std::lock_guard lock(mutex);
  shared_sink = std::move(sink);
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->sinks() = {shared_sink}; });
}

bool set_log_level(const std::string& level) {
  static const char* const names[] = {"trace", "debug", "info", "warn", "error"};
  for (const char* name : names) {
    if (level == name) {
      std::lock_guard lock(mutex);
      current_level = spdlog::level::from_str(level);
      spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->set_level(current_level); });
      return true;
    }
  }
  return false;
}

std::shared_ptr<spdlog::logger> logger(const std::string& name) {
  std::lock_guard lock(mutex);
  if (auto existing = spdlog::get(name)) return existing;
  if (!shared_sink) shared_sink = make_stderr_sink();
  auto created = std::make_shared<spdlog::logger>(name, shared_sink);
  created->set_level(current_level);
  spdlog::register_logger(created);
  return created;
}

}  // namespace mwx
