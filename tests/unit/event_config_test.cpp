#include <gtest/gtest.h>

#include "agent/config_loader.hpp"
#include "agent/events/event_catalog.hpp"
#include "agent/subsystem.hpp"

namespace mwx {
namespace {

using std::chrono::seconds;

const std::string kInstances = "memcached a 127.0.0.1:1\nmemcached b 127.0.0.1:2\ngearman jobs 127.0.0.1\n";

Result<Configuration> load(const std::string& text) { return configuration_from_text(text, "test.conf"); }

std::string error_of(const std::string& text) {
  auto result = load(text);
  EXPECT_FALSE(result.ok()) << "accepted:\n" << text;
  return result.ok() ? std::string{} : result.error();
}

EventSetting setting(const Configuration& config, const std::string& instance, const std::string& event) {
  for (const auto& i : config.instances) {
    if (i->settings().name == instance) return i->event_settings().of(*find_event(i->settings().subsystem, event));
  }
  ADD_FAILURE() << "no instance " << instance;
  return {};
}

TEST(EventConfig, DefaultsThenTheSubsystemThenTheInstance) {
  auto loaded = load(kInstances +
                     "event memcached/b connection_usage rising=95\n"
                     "event memcached connection_usage rising=90 falling=60\n"
                     "event memcached hit_ratio off\n"
                     "event gearman no_worker for=30\n"
                     "event_holdoff 5\nevent_log_size 7\nevent_backlog 3\n");
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  const auto& config = loaded.value();
  const auto a = setting(config, "a", "connection_usage"), b = setting(config, "b", "connection_usage");
  EXPECT_EQ(a.rising, 90u);
  EXPECT_EQ(a.falling, 60u);
  EXPECT_EQ(b.rising, 95u);
  EXPECT_EQ(b.falling, 60u);
  EXPECT_FALSE(setting(config, "a", "hit_ratio").enabled);
  EXPECT_TRUE(setting(config, "a", "evicted_item_age").enabled);
  EXPECT_EQ(setting(config, "a", "evicted_item_age").falling, 86400u);
  EXPECT_EQ(setting(config, "jobs", "no_worker").hold, seconds(30));
  EXPECT_EQ(setting(config, "jobs", "waiting_jobs").hold, seconds(300));
  EXPECT_EQ(poller_options(config.config).events.holdoff, seconds(5));
  EXPECT_EQ(poller_options(config.config).events.log_size, 7u);
  EXPECT_EQ(config.config.event_backlog, 3u);
}

// Event lines after kInstances (lines 1-3), and the error each gives.
struct Mistake {
  std::string lines;
  std::string error;
};

const std::string kNotBelow = "; the alarm ends beyond the other threshold, so falling < rising";
const std::string kEventUsage = "event SUBSYSTEM[/INSTANCE] NAME [on|off] [rising=N] [falling=N] [for=SECONDS]";

// "memcached, gearman, qmail, flare, lvs": every subsystem, in its order.
std::string subsystem_list() {
  std::string out;
  for (auto name : subsystem_directives()) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

const Mistake kMistakes[] = {
    {"event memcached connection_usag rising=1",
     "test.conf:4: unknown memcached event 'connection_usag'; expected one of: down, restarted, "
     "connection_usage, rejected_connections, evicted_item_age, hit_ratio"},
    {"event memcache down off", "test.conf:4: unknown subsystem 'memcache' in 'event'; expected one of: " +
                                    subsystem_list()},
    {"event memcached/c down off", "test.conf:4: event memcached/c: no memcached instance named 'c'"},
    {"event memcached down rising=3", "test.conf:4: event down has no thresholds; it takes on or off"},
    {"event gearman no_worker rising=3",
     "test.conf:4: event no_worker has no thresholds; it takes on or off and for="},
    {"event memcached down for=3", "test.conf:4: event down takes no for="},
    {"event memcached connection_usage rising=50 falling=60",
     "test.conf:4: event connection_usage: falling=60 is not below rising=50" + kNotBelow},
    // On the line, for an "above" and a "below" event: a steady value there
    // would alarm and clear at every poll.
    {"event memcached connection_usage rising=80 falling=80",
     "test.conf:4: event connection_usage: falling=80 is not below rising=80" + kNotBelow},
    {"event memcached hit_ratio rising=80 falling=80",
     "test.conf:4: event hit_ratio: falling=80 is not below rising=80" + kNotBelow},
    // The instance's line lowers rising below the subsystem's falling.
    {"event memcached connection_usage falling=60\nevent memcached/a connection_usage rising=50",
     "test.conf:5: event connection_usage: falling=60 is not below rising=50" + kNotBelow},
    {"event memcached down off\nevent memcached down on",
     "test.conf:5: event memcached down is set twice (first at test.conf:4)"},
    {"event memcached connection_usage rising=lots",
     "test.conf:4: bad rising= 'lots'; expected a number from 0 to 4294967295"},
    {"event memcached down maybe", "test.conf:4: unexpected 'maybe' in 'event'; expected: " + kEventUsage},
    {"event_holdoff -1", "test.conf:4: bad event_holdoff '-1'; expected whole seconds from 0 to 86400"},
    {"event memcached", "test.conf:4: 'event' needs a subsystem and an event name: " + kEventUsage},
};

TEST(EventConfig, MistakesNameFileAndLine) {
  for (const auto& mistake : kMistakes) EXPECT_EQ(error_of(kInstances + mistake.lines + "\n"), mistake.error);
}

TEST(EventCatalog, EveryNotificationHasItsOwnArcAndEveryEventItsNotifications) {
  std::set<OidArc> arcs;
  for (const auto* type : all_notifications()) EXPECT_TRUE(arcs.insert(type->arc).second) << type->name;
  EXPECT_EQ(event_type_labels().size(), all_notifications().size());
  EXPECT_EQ(event_type_label("mwxFlareFailover"), "flareFailover");
}

}  // namespace
}  // namespace mwx
