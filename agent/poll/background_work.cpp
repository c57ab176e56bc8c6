#include "agent/poll/background_work.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/execution_context.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace mwx {
namespace {

// Two threads: one collection stuck in a hung filesystem still leaves one
// for the others.
constexpr int kThreads = 2;
// nice 10: a scan of a 100,000-message queue yields the CPU to the mail
// server. On Linux a thread id names just that thread.
constexpr int kNiceness = 10;

void lower_this_threads_priority() {
  thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kNiceness);  // best effort
}

// Lives as long as its io_context: Asio shuts services down first thing in
// the io_context's destructor, which closes the gate.
class GateService : public boost::asio::execution_context::service {
 public:
  using key_type = GateService;
  static boost::asio::execution_context::id id;

  explicit GateService(boost::asio::execution_context& context)
      : service(context), gate_(std::make_shared<ResultGate>(static_cast<boost::asio::io_context&>(context))) {}

  std::shared_ptr<ResultGate> gate() const { return gate_; }

 private:
  void shutdown() override { gate_->close(); }

  std::shared_ptr<ResultGate> gate_;
};

boost::asio::execution_context::id GateService::id;

}  // namespace

void run_in_background(std::function<void()> work) {
  // Never destroyed: its destructor would join a thread stuck in a hung
  // filesystem, and the agent could not exit. Those threads die with the
  // process.
  static auto* const pool = new boost::asio::thread_pool(kThreads);
  boost::asio::post(*pool, [work = std::move(work)] {
    lower_this_threads_priority();
    work();
  });
}

std::shared_ptr<ResultGate> ResultGate::of(boost::asio::io_context& io) {
  return boost::asio::use_service<GateService>(io).gate();
}

void ResultGate::post(std::function<void()> handler) {
  std::lock_guard lock(mutex_);  // held while posting: the io_context cannot go away meanwhile
  if (io_ != nullptr) boost::asio::post(*io_, std::move(handler));
}

void ResultGate::close() {
  std::lock_guard lock(mutex_);
  io_ = nullptr;
}

}  // namespace mwx
