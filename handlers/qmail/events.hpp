#pragma once
// qmail's events (agent/events/event.hpp).

#include "agent/events/event.hpp"

namespace mwx::qmail::events {

inline constexpr NotificationType queue_high{30, "mwxQmailQueueHigh", kValueObject | kThresholdObject};
inline constexpr NotificationType queue_normal{31, "mwxQmailQueueNormal", kValueObject | kThresholdObject};
inline constexpr NotificationType todo_stuck{32, "mwxQmailTodoStuck", kValueObject | kThresholdObject};
inline constexpr NotificationType todo_draining{33, "mwxQmailTodoDraining", kValueObject | kThresholdObject};

inline constexpr EventSpec queue_messages{
    "queue_messages", EventKind::above, "queue", "messages", 10000, 8000, {}, &queue_high, &queue_normal,
    "messages in the queue (qmail-qstat's first number)"};
inline constexpr EventSpec oldest_todo_age{
    "oldest_todo_age", EventKind::above, "oldest unprocessed message", "s", 600, 300, {}, &todo_stuck,
    &todo_draining, "age of the oldest message in todo/, in seconds: qmail-send is stuck"};

inline constexpr const EventSpec* all[] = {&queue_messages, &oldest_todo_age};

}  // namespace mwx::qmail::events
