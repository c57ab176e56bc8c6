// mwagentx.so: the agent loaded into snmpd (`dlmod mwagentx`), serving
// MWAGENTX-MIB from the same core, snapshots and handler as the subagent,
// at the speed of snmpd's own tables. snmpd's thread does everything that
// touches net-snmp; the collectors run on their own thread, as in the
// subagent, and never call it.
//
// How snmpd calls us:
//   start   init_mwagentx() while it reads snmpd.conf (the dlmod line), then
//           our mwagentxConfig line; the agent starts from snmpd's event
//           loop, once the whole file is read.
//   SIGHUP  PRE_UPDATE_CONFIG; then, as snmpd.conf is read again, dlmod
//           unloads every module and loads it again: deinit_mwagentx(),
//           init_mwagentx(). The collectors and their state live on through
//           it, and from the event loop the agent reloads its own file, as
//           the subagent does on its SIGHUP.
//   unload  deinit_mwagentx() outside a reload (a SET of UCD-DLMOD-MIB's
//           dlmodStatus), or snmpd's shutdown: everything stops.

#include <cctype>
#include <dlfcn.h>
#include <memory>
#include <optional>
#include <string>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>
#include <spdlog/sinks/null_sink.h>

#include "agent/agent_core.hpp"
#include "agent/base/logging.hpp"
#include "agent/command_line.hpp"
#include "agent/mib/agent_group.hpp"
#include "agent/snmp/snmp_handler.hpp"
#include "agent/snmp/snmpd_log_sink.hpp"
#include "agent/subsystem.hpp"

extern "C" {
// dlmod's entry points: the module's name is "mwagentx".
void init_mwagentx();
void deinit_mwagentx();
}

namespace mwx {
namespace {

constexpr char kConfigDirective[] = "mwagentxConfig";

std::shared_ptr<spdlog::logger> module_log() { return logger("agent"); }

// snmpd dlcloses us during a reload while the collectors' thread runs on,
// and an alarm set then calls us back: our code must stay mapped.
void stay_loaded() {
  Dl_info self{};
  if (dladdr(reinterpret_cast<void*>(&init_mwagentx), &self) == 0 || self.dli_fname == nullptr) return;
  dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
}

class Module {
 public:
  Module() : log_sink_(std::make_shared<SnmpdLogSink>()) { log_to(log_sink_); }

  ~Module() {
    if (apply_alarm_ != 0) snmp_alarm_unregister(apply_alarm_);
    stop();
    log_sink_->write_queued();
    log_to(std::make_shared<spdlog::sinks::null_sink_mt>());
  }

  // init_mwagentx()
  void attach() {
    attached_ = true;
    config_path_ = kDefaultConfigPath;  // unless a mwagentxConfig line follows the dlmod line
    // No release function: snmpd frees the dlmod line, and with it unloads
    // us, before it would reach ours.
    snmpd_register_config_handler(kConfigDirective, &Module::read_config_path, nullptr, "PATH (of mwagentx.conf)");
    listen_to_snmpd_once();
    register_readfd(log_sink_->fd(), &Module::on_log_queued, this);
    apply_soon();
  }

  // deinit_mwagentx(); unless snmpd is reloading, the module is deleted next.
  void detach() {
    attached_ = false;
    stop_serving();
    unregister_readfd(log_sink_->fd());
    snmpd_unregister_config_handler(kConfigDirective);
  }

  bool reloading() const { return reloading_; }

  static Module* instance;

 private:
  // From snmpd's event loop, after snmpd.conf has been read (again).
  static void apply(unsigned int, void*) {
    Module* self = instance;
    self->apply_alarm_ = 0;
    self->reloading_ = false;
    if (!self->attached_) {  // the reload dropped our dlmod line
      delete self;
      instance = nullptr;
      return;
    }
    try {
      // A new file is loaded before anything stops: one with errors (or
      // none at a new mwagentxConfig path) leaves the running one serving.
      if (self->core_) {
        self->core_->reload(self->config_path_);
      } else {
        self->start();
      }
      self->serve();
    } catch (const std::exception& e) {
      module_log()->error("not serving MWAGENTX-MIB: {}", e.what());
    }
  }

  void apply_soon() {
    if (apply_alarm_ == 0) apply_alarm_ = snmp_alarm_register(0, 0, &Module::apply, nullptr);
  }

  void start() {
    auto loaded = load_configuration(config_path_);
    if (!loaded) {
      module_log()->error("not serving MWAGENTX-MIB: {} has errors (fix it, then reload snmpd):", config_path_);
      log_errors(*logger("config"), loaded.error());
      return;
    }
    set_log_level(loaded.value().config.log_level);
    const auto instances = loaded.value().instances.size();
    core_ = std::make_unique<AgentCore>(config_path_, std::move(loaded).value());
    module_log()->info("mwagentx {} started in snmpd with {}: {} instance(s)", agent_version(), config_path_,
                       instances);
  }

  void stop() {
    stop_serving();
    core_.reset();  // joins the collectors' thread
  }

  void serve() {
    if (serving_ || !core_) return;
    handler_context_.emplace(HandlerContext{core_->store(), catalog_});
    if (!register_snapshot_handler(*handler_context_)) {
      module_log()->error("snmpd refused to register mwxMIB (does another module or subagent serve it?)");
      handler_context_.reset();
      return;
    }
    register_sysor_entry();
    register_readfd(core_->events_fd(), &Module::on_events, this);
    serving_ = true;
  }

  void stop_serving() {
    if (!serving_) return;
    unregister_readfd(core_->events_fd());
    unregister_sysor_entry();
    unregister_snapshot_handler();
    handler_context_.reset();
    serving_ = false;
  }

  // snmpd itself rejects the directive without a value, naming the line.
  static void read_config_path(const char*, char* line) {
    std::string path = line;
    while (!path.empty() && std::isspace(static_cast<unsigned char>(path.back()))) path.pop_back();
    instance->config_path_ = path;
  }

  // Registered once and never removed: snmpd unloads modules from inside
  // its shutdown callbacks, where removing one is refused. Our code stays
  // mapped (stay_loaded()); with no module loaded they do nothing.
  static void listen_to_snmpd_once() {
    static bool listening = false;
    if (listening) return;
    listening = true;
    snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_PRE_UPDATE_CONFIG, &Module::on_reload, nullptr);
    snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_SHUTDOWN, &Module::on_shutdown, nullptr);
  }
  static int on_reload(int, int, void*, void*) {
    if (instance == nullptr) return 0;
    instance->reloading_ = true;
    instance->apply_soon();
    return 0;
  }
  // Where snmpd exits without unloading its modules (Debian's 5.9 does
  // unload them), the collectors stop here, before exit() runs the
  // destructors of what they use.
  static int on_shutdown(int, int, void*, void*) {
    if (instance != nullptr) instance->stop();
    return 0;
  }
  static void on_log_queued(int, void* self) { static_cast<Module*>(self)->log_sink_->write_queued(); }
  static void on_events(int, void* self) { static_cast<Module*>(self)->core_->notify(true); }

  std::shared_ptr<SnmpdLogSink> log_sink_;
  std::string config_path_ = kDefaultConfigPath;
  std::unique_ptr<AgentCore> core_;
  const MibCatalog catalog_ = full_catalog();
  std::optional<HandlerContext> handler_context_;
  bool attached_ = false;
  bool reloading_ = false;  // from PRE_UPDATE_CONFIG until apply()
  bool serving_ = false;
  unsigned int apply_alarm_ = 0;
};

Module* Module::instance = nullptr;

}  // namespace
}  // namespace mwx

void init_mwagentx() {
  using mwx::Module;
  try {
    if (Module::instance == nullptr) {
      mwx::stay_loaded();
      Module::instance = new Module;
    }
    Module::instance->attach();
  } catch (const std::exception& e) {
    snmp_log(LOG_ERR, "mwagentx: cannot start: %s\n", e.what());
  }
}

void deinit_mwagentx() {
  using mwx::Module;
  if (Module::instance == nullptr) return;
  Module::instance->detach();
  if (Module::instance->reloading()) return;  // apply() ends the reload, or the unload
  delete Module::instance;
  Module::instance = nullptr;
}
