#include "agent/config_loader.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "agent/subsystem.hpp"

namespace mwx {
namespace {

constexpr std::size_t kMaxConfigBytes = 4 * 1024 * 1024;

const Subsystem* find_subsystem(const std::string& directive) {
  for (const auto& s : subsystems()) {
    if (s.directive == directive) return &s;
  }
  return nullptr;
}

}  // namespace

Result<Configuration> configuration_from_text(std::string_view text, const std::string& filename) {
  auto parsed = parse_config(text, filename, subsystem_directives());
  Configuration out{std::move(parsed.config), {}};
  std::vector<ConfigError> errors = std::move(parsed.errors);
  for (const auto& line : out.config.instances) {
    const Subsystem* subsystem = find_subsystem(line.subsystem);
    auto instance = subsystem->create(line);
    if (!instance) {
      errors.push_back({line.line, line.origin + ": " + line.subsystem + " " + line.name + ": " + instance.error() +
                                       " (usage: " + std::string(subsystem->usage) + ")"});
      continue;
    }
    out.instances.push_back(std::move(instance).value());
  }
  if (!errors.empty()) return Error{join_errors(std::move(errors))};
  return out;
}

Result<Configuration> load_configuration(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{path + ": cannot open: " + std::strerror(errno)};
  std::string text(kMaxConfigBytes + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (file.bad()) return Error{path + ": cannot read: " + std::strerror(errno)};
  text.resize(static_cast<std::size_t>(file.gcount()));
  if (text.size() > kMaxConfigBytes) return Error{path + ": larger than 4 MiB; is this the right file?"};
  return configuration_from_text(text, path);
}

}  // namespace mwx
