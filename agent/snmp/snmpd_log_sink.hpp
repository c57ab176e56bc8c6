#pragma once
// Inside snmpd, our log lines go to snmpd's log (snmp_log), wherever its
// -L options send its own. Only snmpd's thread may call net-snmp: a line
// logged on another thread (the collectors') waits in a queue, and an
// eventfd that snmpd's event loop watches has it written there.

#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <spdlog/sinks/base_sink.h>

namespace mwx {

class SnmpdLogSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  SnmpdLogSink();  // on snmpd's thread; throws std::system_error when no eventfd can be made
  ~SnmpdLogSink() override;
  SnmpdLogSink(const SnmpdLogSink&) = delete;
  SnmpdLogSink& operator=(const SnmpdLogSink&) = delete;

  int fd() const { return fd_; }
  // On snmpd's thread: writes what other threads logged, oldest first.
  void write_queued();

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override;
  void flush_() override {}

 private:
  const std::thread::id snmpd_thread_ = std::this_thread::get_id();
  int fd_;
  std::vector<std::pair<int, std::string>> queued_;  // syslog priority, line
};

}  // namespace mwx
