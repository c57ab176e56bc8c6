#include "agent/events/event_catalog.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "agent/events/event_log.hpp"
#include "agent/events/instance_events.hpp"
#include "agent/events/threshold_watch.hpp"
#include "agent/mib/mib_root.hpp"

namespace mwx {
namespace {

std::string_view kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::change: return "change";
    case EventKind::above: return "above";
    case EventKind::below: return "below";
    case EventKind::condition: return "condition";
  }
  return "";
}

const std::map<std::string_view, std::vector<const EventSpec*>>& events_by_subsystem() {
  static const auto table = [] {
    std::map<std::string_view, std::vector<const EventSpec*>> out;
    for (const auto& subsystem : subsystem_events()) {
      auto& list = out[subsystem.subsystem];
      list.push_back(&instance_events::down);
      list.insert(list.end(), subsystem.events.begin(), subsystem.events.end());
    }
    return out;
  }();
  return table;
}

}  // namespace

std::string event_type_label(std::string_view notification_name) {
  std::string label(notification_name.substr(notification_name.rfind("mwx", 0) == 0 ? 3 : 0));
  if (!label.empty()) label[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(label[0])));
  return label;
}

std::span<const EventSpec* const> events_of(std::string_view subsystem) {
  const auto& table = events_by_subsystem();
  const auto found = table.find(subsystem);
  if (found == table.end()) return {};
  return found->second;
}

const EventSpec* find_event(std::string_view subsystem, std::string_view name) {
  for (const EventSpec* spec : events_of(subsystem)) {
    if (spec->name == name) return spec;
  }
  return nullptr;
}

const std::vector<const NotificationType*>& all_notifications() {
  static const auto list = [] {
    std::vector<const NotificationType*> out;
    for (const auto& [_, specs] : events_by_subsystem()) {
      for (const EventSpec* spec : specs) {
        for (const NotificationType* type : {spec->alarm, spec->clear}) {
          if (type != nullptr) out.push_back(type);
        }
      }
    }
    std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->arc < b->arc; });
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }();
  return list;
}

Oid notification_oid(const NotificationType& type) { return concat(mwx_mib_root(), {0, type.arc}); }

std::span<const EnumLabel> event_type_labels() {
  // The labels' text must outlive the spans that point into it.
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto* type : all_notifications()) out.push_back(event_type_label(type->name));
    return out;
  }();
  static const std::vector<EnumLabel> labels = [] {
    std::vector<EnumLabel> out;
    const auto& types = all_notifications();
    for (std::size_t i = 0; i < types.size(); ++i) out.push_back({static_cast<std::int64_t>(types[i]->arc), names[i]});
    return out;
  }();
  return labels;
}

void print_events(std::ostream& out) {
  for (const auto* type : all_notifications()) {
    out << "notification\t" << type->name << '\t' << format_oid(notification_oid(*type));
    for (const Column* column : notification_objects(*type)) out << '\t' << column->name;
    out << '\n';
  }
  for (const EventKind kind : {EventKind::above, EventKind::below}) {
    const auto lines = threshold_lines(kind);
    const bool above = kind == EventKind::above;
    out << "comparison\t" << kind_name(kind) << '\t' << comparison_operator(lines.alarm) << '\t'
        << (above ? "rising" : "falling") << '\t' << comparison_operator(lines.clear) << '\t'
        << (above ? "falling" : "rising") << '\n';
  }
  for (const auto& [subsystem, specs] : events_by_subsystem()) {
    for (const EventSpec* spec : specs) {
      out << "event\t" << subsystem << '\t' << spec->name << '\t' << kind_name(spec->kind) << '\t';
      if (spec->has_thresholds()) {
        out << spec->rising << '\t' << spec->falling;
      } else {
        out << "-\t-";
      }
      out << '\t' << (spec->has_hold() ? std::to_string(spec->hold.count()) : "-") << '\t'
          << (spec->unit.empty() ? "-" : spec->unit) << '\t' << spec->alarm->name;
      if (spec->clear != nullptr) out << ',' << spec->clear->name;
      out << '\t' << spec->description << '\n';
    }
  }
}

}  // namespace mwx
