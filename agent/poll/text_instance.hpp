#pragma once
// An instance polled with one text-protocol exchange per interval
// (memcached, gearmand, Flare): the base sends the commands and records the
// outcome; the subsystem says what to send and turns the replies into data.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/config/config_file.hpp"
#include "agent/poll/endpoint.hpp"
#include "agent/poll/instance.hpp"
#include "agent/poll/text_exchange.hpp"

namespace mwx {

class TextProtocolInstance : public Instance {
 public:
  TextProtocolInstance(InstanceSettings settings, Endpoint endpoint, std::vector<TextRequest> requests,
                       std::size_t max_reply_bytes = kDefaultMaxReplyBytes);


 protected:
  void poll(boost::asio::io_context& io, std::function<void()> done) final;

  // Parses one poll's replies (in request order) into the new data; returns
  // why they are unusable instead, and then the poll fails.
  virtual std::optional<std::string> take_replies(const std::vector<std::string>& replies) = 0;

 private:
  void on_replies(Result<std::vector<std::string>> replies);

  Endpoint endpoint_;
  std::vector<TextRequest> requests_;
  std::size_t max_reply_bytes_;
};

// For subsystems configured as "DIRECTIVE NAME ENDPOINT [interval=S]
// [timeout=S]": checks the line and builds the instance, or says what is wrong.
Result<Endpoint> endpoint_argument(const InstanceLine& line, std::uint16_t default_port);
InstanceSettings settings_of(const InstanceLine& line);

// The on|off options a subsystem takes beside interval= and timeout=, each
// with its default; what the line says of each. Any other option is an error.
Result<std::map<std::string, bool>> on_off_options(const InstanceLine& line, std::map<std::string, bool> defaults);
// The line without its options, for endpoint_argument once they are read.
InstanceLine without_options(InstanceLine line);

template <class InstanceType>
Result<std::shared_ptr<Instance>> create_endpoint_instance(const InstanceLine& line, std::uint16_t default_port) {
  auto endpoint = endpoint_argument(line, default_port);
  if (!endpoint) return Error{endpoint.error()};
  return std::shared_ptr<Instance>(std::make_shared<InstanceType>(settings_of(line), std::move(endpoint).value()));
}

}  // namespace mwx
