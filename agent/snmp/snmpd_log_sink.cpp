#include "agent/snmp/snmpd_log_sink.hpp"

#include <cerrno>
#include <cstdint>
#include <sys/eventfd.h>
#include <system_error>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

namespace mwx {
namespace {

int syslog_priority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug: return LOG_DEBUG;
    case spdlog::level::info: return LOG_INFO;
    case spdlog::level::warn: return LOG_WARNING;
    case spdlog::level::err: return LOG_ERR;
    default: return LOG_CRIT;
  }
}

void write_to_snmpd(int priority, const std::string& line) { snmp_log(priority, "%s", line.c_str()); }

}  // namespace

SnmpdLogSink::SnmpdLogSink() : fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  // snmpd stamps the time itself, when it is asked to (-Lf, syslog).
  set_pattern("[%n] %v");
}

SnmpdLogSink::~SnmpdLogSink() { close(fd_); }

void SnmpdLogSink::sink_it_(const spdlog::details::log_msg& message) {
  spdlog::memory_buf_t formatted;
  formatter_->format(message, formatted);
  std::string line(formatted.data(), formatted.size());
  const int priority = syslog_priority(message.level);
  if (std::this_thread::get_id() == snmpd_thread_) {
    write_to_snmpd(priority, line);
    return;
  }
  queued_.emplace_back(priority, std::move(line));
  const std::uint64_t one = 1;
  [[maybe_unused]] auto ignored = ::write(fd_, &one, sizeof one);  // full only if never read: lines still queue
}

void SnmpdLogSink::write_queued() {
  std::uint64_t count = 0;
  [[maybe_unused]] auto ignored = ::read(fd_, &count, sizeof count);
  std::vector<std::pair<int, std::string>> lines;
  {
    std::lock_guard lock(mutex_);
    lines.swap(queued_);
  }
  for (const auto& [priority, line] : lines) write_to_snmpd(priority, line);
}

}  // namespace mwx
