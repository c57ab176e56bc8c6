#pragma once
// gearmand's events (agent/events/event.hpp), per function.

#include "agent/events/event.hpp"

namespace mwx::gearman::events {

inline constexpr NotificationType jobs_waiting_high{20, "mwxGearmanJobsWaitingHigh", kValueObject | kThresholdObject};
inline constexpr NotificationType jobs_waiting_normal{21, "mwxGearmanJobsWaitingNormal", kValueObject | kThresholdObject};
inline constexpr NotificationType no_worker_alarm{22, "mwxGearmanNoWorker", kValueObject};
inline constexpr NotificationType worker_back{23, "mwxGearmanWorkerBack", kValueObject};

inline constexpr EventSpec waiting_jobs{
    "waiting_jobs", EventKind::above, "waiting jobs", "jobs", 100, 50, std::chrono::seconds(300),
    &jobs_waiting_high, &jobs_waiting_normal, "a function's jobs waiting for a worker"};
inline constexpr EventSpec no_worker{
    "no_worker", EventKind::condition, "jobs waiting and no worker", "", 0, 0, std::chrono::seconds(300),
    &no_worker_alarm, &worker_back, "a function has waiting jobs and no worker registered"};

inline constexpr const EventSpec* all[] = {&waiting_jobs, &no_worker};

}  // namespace mwx::gearman::events
