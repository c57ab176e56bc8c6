#pragma once

#include "agent/mib/column.hpp"

namespace mwx {

// The columns every instance table has, at the same arcs in each (the MIB
// conventions of docs/architecture.md): the first five and the block from
// arc 100. A column's name here is the suffix of its table's prefix:
// mwxMemcached + Status. Arc 1 is the index, the instance name.
namespace instance_column {
inline constexpr Column endpoint{2, "Endpoint", SnmpType::OctetString};
inline constexpr Column status{3, "Status", SnmpType::Integer, {kInstanceStatusLabels}};
inline constexpr Column last_poll_age{4, "LastPollAge", SnmpType::Unsigned32, {}, "seconds"};
inline constexpr Column last_error{5, "LastError", SnmpType::OctetString};
inline constexpr Column label{100, "Label", SnmpType::OctetString};
inline constexpr Column last_poll_duration{101, "LastPollDuration", SnmpType::Unsigned32, {}, "milliseconds"};
inline constexpr Column polls{102, "Polls", SnmpType::Counter64};
inline constexpr Column poll_failures{103, "PollFailures", SnmpType::Counter64};
inline constexpr Column agent_discontinuity_time{104, "AgentDiscontinuityTime", SnmpType::OctetString, kDateAndTime};
inline constexpr Column agent_discontinuity_age{105, "AgentDiscontinuityAge", SnmpType::Unsigned32, {}, "seconds"};
inline constexpr const Column* all[] = {&endpoint, &status,        &last_poll_age,          &last_error,
                                        &label,    &last_poll_duration, &polls,             &poll_failures,
                                        &agent_discontinuity_time, &agent_discontinuity_age};
}  // namespace instance_column

}  // namespace mwx
