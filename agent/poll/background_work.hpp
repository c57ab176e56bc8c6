#pragma once
// Where collectors that must block (reading directories, procfs, netlink)
// run their work: a small pool of threads at low CPU priority, so that a
// big scan never stalls the poller thread or competes with the services
// it measures.

#include <functional>
#include <memory>
#include <mutex>

namespace boost::asio {
class io_context;
}

namespace mwx {

// Runs `work` on one of the background threads.
void run_in_background(std::function<void()> work);

// Hands results from background threads back to an io_context's thread,
// or drops them if that io_context has been destroyed meanwhile (a
// collection stuck in a hung filesystem may outlive the poller).
class ResultGate {
 public:
  // The gate of `io`, created with it on first use and closed when `io` is
  // destroyed.
  static std::shared_ptr<ResultGate> of(boost::asio::io_context& io);

  explicit ResultGate(boost::asio::io_context& io) : io_(&io) {}
  // From any thread.
  void post(std::function<void()> handler);
  void close();

 private:
  std::mutex mutex_;
  boost::asio::io_context* io_;  // null once closed
};

}  // namespace mwx
