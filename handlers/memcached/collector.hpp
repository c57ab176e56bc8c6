#pragma once
// A memcached instance: polls 'stats', 'stats settings', 'stats items' and
// 'stats slabs' over one connection, then parses and derives the sample.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/base/result.hpp"
#include "agent/config/config_file.hpp"
#include "agent/poll/endpoint.hpp"
#include "agent/poll/instance.hpp"
#include "agent/poll/text_instance.hpp"
#include "handlers/memcached/mib.hpp"
#include "handlers/memcached/sample.hpp"

namespace mwx::memcached {

inline constexpr std::uint16_t kDefaultPort = 11211;

// The commands of one poll, in the order build_sample expects their
// replies; 'stats conns' last, with `connections`.
std::vector<TextRequest> poll_requests(bool connections = false);

// 'stats conns' takes about 110 bytes a connection: with conns=on a reply
// may have 16 MiB (some 150,000 connections).
inline constexpr std::size_t kMaxConnsReplyBytes = 16 * 1024 * 1024;

// Pure: the four (or five, with 'stats conns') replies of one poll, the previous successful sample (or
// nullptr) and the current time make the new sample, or an error that says
// which reply was bad and why.
Result<Sample> build_sample(const std::vector<std::string>& replies, const Sample* previous,
                            std::chrono::system_clock::time_point now);

class MemcachedInstance final : public TextProtocolInstance {
 public:
  struct Options {
    // false leaves mwxMemcachedSlabTable out for this instance (slabs=off):
    // its classes are still read, for the events and the instance's own columns.
    bool slab_rows = true;
    // true asks 'stats conns' too (conns=on): connections by state and by
    // listening address; off by default, its reply grows with the clients.
    bool connections = false;
  };
  MemcachedInstance(InstanceSettings settings, Endpoint endpoint, Options options);

  void write_rows(SnapshotBuilder& out) const override;

 private:
  std::optional<std::string> take_replies(const std::vector<std::string>& replies) override;
  void forget_data() override { serving_ = false; }
  // Thresholds, refused connections and restarts (events.hpp).
  void detect_events(const Sample* previous, const Sample& sample);

  std::optional<Sample> previous_;  // the last successful poll, for deltas
  bool serving_ = false;            // previous_ is served: the instance is up
  bool slab_rows_;
};

Result<std::shared_ptr<Instance>> create_instance(const InstanceLine& line);

}  // namespace mwx::memcached
