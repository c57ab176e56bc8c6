#include "agent/snmp/agentx_session.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include "agent/base/logging.hpp"
#include "agent/snmp/snmp_handler.hpp"

namespace mwx {
namespace {

constexpr char kAppName[] = "mwagentx";
// Each AgentX request waits at most 1 s and is sent twice: a master that
// accepts and never answers stalls this thread (signals included) for 2 s
// per attempt, not net-snmp's default of 1 s x 6.
constexpr long kAgentxTimeoutMicroseconds = 1'000'000;
constexpr int kAgentxRetries = 1;
// What net-snmp logs when the master refuses a registration (another
// agent holds the subtree); it does not tell its caller otherwise.
constexpr std::string_view kRegistrationRefused = "registering pdu failed";

struct ConnectionState {
  std::string socket;
  netsnmp_session* session = nullptr;  // net-snmp's session with the master, while connected
  bool connected = false;
  bool ever_connected = false;
  // Registration happens right after the connection, inside the same
  // net-snmp call; its outcome is known once that call returns.
  bool registration_outcome_pending = false;
  bool registration_refused = false;
  bool registered = false;
  bool refusal_logged = false;
};
ConnectionState connection;

std::shared_ptr<spdlog::logger> agentx_log() { return logger("agentx"); }

// net-snmp's own messages go to our log, under [netsnmp].
int forward_netsnmp_log(int, int, void* server_arg, void*) {
  const auto* message = static_cast<const snmp_log_message*>(server_arg);
  std::string_view text = message->msg != nullptr ? message->msg : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (text.empty()) return 0;
  if (text.find(kRegistrationRefused) != std::string_view::npos) {
    connection.registration_refused = true;
    return 0;  // reported once, with the reason, by confirm_registration()
  }
  auto log = logger("netsnmp");
  if (message->priority <= LOG_ERR) {
    log->error("{}", text);
  } else if (message->priority <= LOG_WARNING) {
    log->warn("{}", text);
  } else {  // its connect/disconnect notices repeat what [agentx] logs
    log->debug("{}", text);
  }
  return 0;
}

int on_master_connected(int, int, void* session, void*) {
  connection.session = static_cast<netsnmp_session*>(session);
  if (!connection.connected) {
    agentx_log()->debug("{} AgentX master at {}", connection.ever_connected ? "reconnected to" : "connected to",
                        connection.socket);
  }
  connection.connected = true;
  connection.registration_outcome_pending = true;
  connection.registration_refused = false;
  return 0;
}

int on_master_lost(int, int, void*, void*) {
  if (connection.connected) {
    agentx_log()->warn("lost the AgentX master at {}; reconnecting every {} s", connection.socket,
                       netsnmp_ds_get_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL));
  }
  connection.session = nullptr;
  connection.connected = false;
  connection.registered = false;
  return 0;
}

// Ends the connection to the master outside any net-snmp callback. Left to
// snmp_shutdown(), net-snmp sends its Close from inside a shutdown callback
// and waits there for the answer; a master that leaves meanwhile (snmpd
// stopped at the same moment) makes net-snmp unregister callbacks from
// inside that callback, which its lock refuses with an assertion. A master
// drops a subagent's registrations when its connection ends, Close or not
// (RFC 2741, 7.1.8; snmpd logs nothing either way), so: a master already
// gone is noticed first, then the connection is shut, and the Close that
// snmp_shutdown() sends fails at once instead of waiting.
void end_master_connection() {
  agent_check_and_process(0);
  if (connection.session == nullptr) return;
  void* session = snmp_sess_pointer(connection.session);
  netsnmp_transport* transport = session != nullptr ? snmp_sess_transport(session) : nullptr;
  if (transport != nullptr && transport->sock >= 0) ::shutdown(transport->sock, SHUT_RDWR);
}

void on_fd_readable(int, void* data) { (*static_cast<std::function<void()>*>(data))(); }

// net-snmp does not say why a connect failed; for a unix socket we can.
std::string why_unreachable(const std::string& address) {
  std::string path = address;
  if (path.rfind("unix:", 0) == 0) path.erase(0, 5);
  if (path.empty() || path.front() != '/') return "";
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return std::string(" (") + std::strerror(errno) + ")";
  if (!S_ISSOCK(st.st_mode)) return " (not a socket)";
  if (access(path.c_str(), R_OK | W_OK) != 0) {
    return fmt::format(" ({}: the socket is uid {} gid {} mode {:o}; we run as uid {} gid {}; see agentXPerms)",
                       std::strerror(errno), st.st_uid, st.st_gid, st.st_mode & 07777, geteuid(), getegid());
  }
  return "";
}

}  // namespace

// The handler's registration with net-snmp and what it reads.
struct AgentxSession::Handler {
  Handler(const SnapshotStore& store, const MibCatalog& catalog, std::chrono::seconds retry)
      : context{store, catalog}, retry_interval(retry) {}

  void register_with_netsnmp() {
    if (!register_snapshot_handler(context)) throw std::runtime_error("net-snmp: cannot register mwxMIB");
  }

  // Logs a confirmed registration once per connection; a refused one is
  // logged once per change and tried again every retry interval.
  void confirm_registration() {
    if (!connection.registration_outcome_pending) return;
    connection.registration_outcome_pending = false;
    if (!connection.registration_refused) {
      agentx_log()->info("{} AgentX master at {}; mwxMIB registered",
                         connection.ever_connected ? "reconnected to" : "connected to", connection.socket);
      connection.registered = connection.ever_connected = true;
      connection.refusal_logged = false;
      if (on_registered) on_registered();
      return;
    }
    if (!connection.refusal_logged) {
      agentx_log()->error("the AgentX master at {} refused to register mwxMIB (does another agent serve it?); "
                          "retrying every {} s",
                          connection.socket, retry_interval.count());
      connection.refusal_logged = true;
    }
    snmp_alarm_register(static_cast<unsigned>(retry_interval.count()), 0, &Handler::retry, this);
  }

  static void retry(unsigned int, void* self) {
    if (!connection.connected || connection.registered) return;
    // Registering again sends the AgentX Register PDU again.
    unregister_snapshot_handler();
    connection.registration_outcome_pending = true;
    connection.registration_refused = false;
    static_cast<Handler*>(self)->register_with_netsnmp();
  }

  HandlerContext context;
  std::chrono::seconds retry_interval;
  std::function<void()> on_registered;
};

AgentxSession::AgentxSession(const AgentxOptions& options, const SnapshotStore& store, const MibCatalog& catalog)
    : handler_(std::make_unique<Handler>(store, catalog, options.ping_interval)) {
  connection.socket = options.socket;

  snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, forward_netsnmp_log, nullptr);
  snmp_enable_calllog();

  netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);  // subagent
  netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, options.socket.c_str());
  // We log connection changes ourselves, once each, not on every retry.
  netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_NO_CONNECTION_WARNINGS, 1);
  // Timers run from the event loop, not from SIGALRM.
  netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
  // Our configuration is ours: net-snmp reads no .conf files and keeps no state on disk.
  netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
  netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
  netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
  netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
  setenv("MIBS", "", 1);  // the agent resolves no MIB names

  snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START, on_master_connected, nullptr);
  snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP, on_master_lost, nullptr);

  if (init_agent(kAppName) != 0) throw std::runtime_error("net-snmp: init_agent failed");
  handler_->register_with_netsnmp();
  register_sysor_entry();
  // Set after init_agent, which resets it; before init_snmp, whose first
  // connect attempt schedules the reconnect timer only if it is set.
  netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
                     static_cast<int>(options.ping_interval.count()));
  netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_TIMEOUT, kAgentxTimeoutMicroseconds);
  netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_RETRIES, kAgentxRetries);
  init_snmp(kAppName);
  handler_->confirm_registration();
  if (!connection.connected) {
    agentx_log()->warn("no AgentX master at {} yet{}; retrying every {} s", options.socket,
                       why_unreachable(options.socket), options.ping_interval.count());
  }
}

AgentxSession::~AgentxSession() {
  end_master_connection();
  snmp_shutdown(kAppName);
}

void AgentxSession::watch_readable(int fd, std::function<void()> on_readable) {
  register_readfd(fd, on_fd_readable, &on_readable_.emplace_back(std::move(on_readable)));
}

bool AgentxSession::registered() const { return connection.registered; }

void AgentxSession::on_registered(std::function<void()> callback) { handler_->on_registered = std::move(callback); }

void AgentxSession::process_events() {
  agent_check_and_process(1);
  handler_->confirm_registration();
}

}  // namespace mwx
