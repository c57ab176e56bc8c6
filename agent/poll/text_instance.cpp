#include "agent/poll/text_instance.hpp"

#include <boost/asio/io_context.hpp>

namespace mwx {

TextProtocolInstance::TextProtocolInstance(InstanceSettings settings, Endpoint endpoint,
                                           std::vector<TextRequest> requests, std::size_t max_reply_bytes)
    : Instance(std::move(settings)), endpoint_(std::move(endpoint)), requests_(std::move(requests)),
      max_reply_bytes_(max_reply_bytes) {}

void TextProtocolInstance::poll(boost::asio::io_context& io, std::function<void()> done) {
  // The exchange holds this instance until it ends, even if a reload drops it.
  auto self = std::static_pointer_cast<TextProtocolInstance>(shared_from_this());
  exchange_text(io, endpoint_, requests_, {settings().timeout, max_reply_bytes_},
                [self, done = std::move(done)](Result<std::vector<std::string>> replies) {
                  self->on_replies(std::move(replies));
                  done();
                });
}

void TextProtocolInstance::on_replies(Result<std::vector<std::string>> replies) {
  if (!replies) return fail_poll(replies.error());
  guarded([&] {
    if (auto error = take_replies(replies.value())) return fail_poll(std::move(*error));
    record_success();
  });
}

Result<Endpoint> endpoint_argument(const InstanceLine& line, std::uint16_t default_port) {
  if (line.args.size() != 1) return Error{"expected: " + line.subsystem + " NAME ENDPOINT"};
  if (!line.options.empty()) {
    return Error{"unknown option '" + line.options.front().first + "='; " + line.subsystem +
                 " takes interval= and timeout="};
  }
  return parse_endpoint(line.args[0], default_port);
}

Result<std::map<std::string, bool>> on_off_options(const InstanceLine& line, std::map<std::string, bool> defaults) {
  for (const auto& [key, value] : line.options) {
    const auto option = defaults.find(key);
    if (option == defaults.end()) {
      std::string names = "interval=";
      for (const auto& [name, _] : defaults) names += ", " + name + "=";
      return Error{"unknown option '" + key + "='; " + line.subsystem + " takes " + names + " and timeout="};
    }
    if (value != "on" && value != "off") return Error{key + " must be on or off, not '" + value + "'"};
    option->second = value == "on";
  }
  return defaults;
}

InstanceLine without_options(InstanceLine line) {
  line.options.clear();
  return line;
}

InstanceSettings settings_of(const InstanceLine& line) {
  return {line.subsystem, line.name, line.args.empty() ? "" : line.args[0], line.interval, line.timeout,
          line.identity};
}

}  // namespace mwx
