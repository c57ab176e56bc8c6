#pragma once
// A gearmand instance: polls 'status', 'workers' and 'version' over one
// connection to the job server's port.

#include <optional>
#include <string>
#include <vector>

#include "agent/base/result.hpp"
#include "agent/config/config_file.hpp"
#include "agent/poll/text_instance.hpp"
#include "handlers/gearman/mib.hpp"
#include "handlers/gearman/sample.hpp"

namespace mwx::gearman {

inline constexpr std::uint16_t kDefaultPort = 4730;

// The commands of one poll, in the order build_sample expects their replies.
std::vector<TextRequest> poll_requests();

// Pure: one poll's three replies make a sample, or an error naming the bad reply.
Result<Sample> build_sample(const std::vector<std::string>& replies);

class GearmanInstance final : public TextProtocolInstance {
 public:
  GearmanInstance(InstanceSettings settings, Endpoint endpoint);

  void write_rows(SnapshotBuilder& out) const override;

 private:
  std::optional<std::string> take_replies(const std::vector<std::string>& replies) override;
  void forget_data() override { current_.reset(); }

  std::optional<Sample> current_;  // present while the instance is up
  std::uint64_t not_indexed_ = 0;  // of the last poll, to log changes once
};

Result<std::shared_ptr<Instance>> create_instance(const InstanceLine& line);

}  // namespace mwx::gearman
