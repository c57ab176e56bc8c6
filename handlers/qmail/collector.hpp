#pragma once
// A qmail queue: counted on a background thread by reading QMAILDIR/queue.

#include <optional>
#include <string>

#include "agent/base/result.hpp"
#include "agent/config/config_file.hpp"
#include "agent/poll/background_instance.hpp"
#include "handlers/qmail/mib.hpp"
#include "handlers/qmail/sample.hpp"
#include "handlers/qmail/scan.hpp"

namespace mwx::qmail {

inline constexpr const char* kDefaultQmailDir = "/var/qmail";

class QmailInstance final : public BackgroundInstance<Sample> {
 public:
  explicit QmailInstance(InstanceSettings settings);

  void write_rows(SnapshotBuilder& out) const override;

 private:
  Result<Sample> collect(std::chrono::steady_clock::time_point deadline) const override;
  void take(Sample sample) override;
  void forget_data() override { current_.reset(); }

  const std::string queue_dir_;    // QMAILDIR/queue
  std::optional<Sample> current_;  // present while the instance is up
  // The files' ages seen by the last scan. Used only inside collect(), of
  // which at most one runs at a time (BackgroundInstance).
  mutable ScanMemory memory_;
};

Result<std::shared_ptr<Instance>> create_instance(const InstanceLine& line);

}  // namespace mwx::qmail
