#include "handlers/memcached/parse.hpp"

#include "agent/base/parse_helpers.hpp"
#include "agent/base/text_values.hpp"
#include "handlers/memcached/stat_lines.hpp"

#include <algorithm>
#include <map>
#include <span>
#include <string>
#include <utility>

namespace mwx::memcached {
namespace {

// rusage_* is printed as SECONDS.FRACTION (memcached's code, "%ld.%06ld");
// protocol.txt documents SECONDS:MICROSECONDS. Both are accepted.
std::optional<std::uint64_t> parse_microseconds(std::string_view text) {
  const auto sep = text.find_first_of(".:");
  const auto seconds = parse_unsigned(text.substr(0, sep));
  if (!seconds || *seconds > UINT64_MAX / 1'000'000 - 1) return std::nullopt;
  if (sep == std::string_view::npos) return *seconds * 1'000'000;
  const std::string_view fraction = text.substr(sep + 1);
  const auto digits = parse_unsigned(fraction);
  if (!digits || fraction.size() > 6) return std::nullopt;
  std::uint64_t micros = *digits;
  if (text[sep] == '.') {
    for (std::size_t i = fraction.size(); i < 6; ++i) micros *= 10;
  }
  return *seconds * 1'000'000 + micros;
}

Error bad_value(std::string_view name, std::string_view value) {
  return Error{"stat '" + excerpt(name) + "' is not a number: '" + excerpt(value) + "'"};
}

bool is_plain_error(std::string_view reply) { return reply == "ERROR\r\n" || reply == "ERROR\n"; }

// The fields of 'stats' served, by the name memcached gives them.
constexpr std::pair<std::string_view, Stat> kStatNames[] = {
    {"pid", Stat::pid},
    {"uptime", Stat::uptime},
    {"curr_connections", Stat::curr_connections},
    {"total_connections", Stat::total_connections},
    {"connection_structures", Stat::connection_structures},
    {"rejected_connections", Stat::rejected_connections},
    {"listen_disabled_num", Stat::listen_disabled_num},
    {"curr_items", Stat::curr_items},
    {"total_items", Stat::total_items},
    {"bytes", Stat::bytes},
    {"limit_maxbytes", Stat::limit_maxbytes},
    {"cmd_get", Stat::cmd_get},
    {"cmd_set", Stat::cmd_set},
    {"cmd_flush", Stat::cmd_flush},
    {"get_hits", Stat::get_hits},
    {"get_misses", Stat::get_misses},
    {"get_expired", Stat::get_expired},
    {"delete_hits", Stat::delete_hits},
    {"delete_misses", Stat::delete_misses},
    {"incr_hits", Stat::incr_hits},
    {"incr_misses", Stat::incr_misses},
    {"decr_hits", Stat::decr_hits},
    {"decr_misses", Stat::decr_misses},
    {"evictions", Stat::evictions},
    {"reclaimed", Stat::reclaimed},
    {"expired_unfetched", Stat::expired_unfetched},
    {"evicted_unfetched", Stat::evicted_unfetched},
    {"bytes_read", Stat::bytes_read},
    {"bytes_written", Stat::bytes_written},
    {"threads", Stat::threads},
    {"rusage_user", Stat::rusage_user},
    {"rusage_system", Stat::rusage_system},
    {"response_obj_oom", Stat::response_obj_oom},
    {"response_obj_count", Stat::response_obj_count},
    {"response_obj_bytes", Stat::response_obj_bytes},
    {"read_buf_count", Stat::read_buf_count},
    {"read_buf_bytes", Stat::read_buf_bytes},
    {"read_buf_bytes_free", Stat::read_buf_bytes_free},
    {"read_buf_oom", Stat::read_buf_oom},
    {"reserved_fds", Stat::reserved_fds},
    {"cmd_touch", Stat::cmd_touch},
    {"cmd_meta", Stat::cmd_meta},
    {"get_flushed", Stat::get_flushed},
    {"cas_misses", Stat::cas_misses},
    {"cas_hits", Stat::cas_hits},
    {"cas_badval", Stat::cas_badval},
    {"touch_hits", Stat::touch_hits},
    {"touch_misses", Stat::touch_misses},
    {"store_too_large", Stat::store_too_large},
    {"store_no_memory", Stat::store_no_memory},
    {"auth_cmds", Stat::auth_cmds},
    {"auth_errors", Stat::auth_errors},
    {"accepting_conns", Stat::accepting_conns},
    {"time_in_listen_disabled_us", Stat::time_in_listen_disabled_us},
    {"conn_yields", Stat::conn_yields},
    {"hash_power_level", Stat::hash_power_level},
    {"hash_bytes", Stat::hash_bytes},
    {"hash_is_expanding", Stat::hash_is_expanding},
    {"slab_reassign_rescues", Stat::slab_reassign_rescues},
    {"slab_reassign_chunk_rescues", Stat::slab_reassign_chunk_rescues},
    {"slab_reassign_evictions_nomem", Stat::slab_reassign_evictions_nomem},
    {"slab_reassign_inline_reclaim", Stat::slab_reassign_inline_reclaim},
    {"slab_reassign_busy_items", Stat::slab_reassign_busy_items},
    {"slab_reassign_busy_deletes", Stat::slab_reassign_busy_deletes},
    {"slab_reassign_running", Stat::slab_reassign_running},
    {"slabs_moved", Stat::slabs_moved},
    {"lru_crawler_running", Stat::lru_crawler_running},
    {"lru_crawler_starts", Stat::lru_crawler_starts},
    {"lru_maintainer_juggles", Stat::lru_maintainer_juggles},
    {"malloc_fails", Stat::malloc_fails},
    {"log_worker_dropped", Stat::log_worker_dropped},
    {"log_worker_written", Stat::log_worker_written},
    {"log_watcher_skipped", Stat::log_watcher_skipped},
    {"log_watcher_sent", Stat::log_watcher_sent},
    {"log_watchers", Stat::log_watchers},
    {"unexpected_napi_ids", Stat::unexpected_napi_ids},
    {"round_robin_fallback", Stat::round_robin_fallback},
    {"slab_global_page_pool", Stat::slab_global_page_pool},
    {"evicted_active", Stat::evicted_active},
    {"crawler_reclaimed", Stat::crawler_reclaimed},
    {"crawler_items_checked", Stat::crawler_items_checked},
    {"lrutail_reflocked", Stat::lrutail_reflocked},
    {"moves_to_cold", Stat::moves_to_cold},
    {"moves_to_warm", Stat::moves_to_warm},
    {"moves_within_lru", Stat::moves_within_lru},
    {"direct_reclaims", Stat::direct_reclaims},
    {"lru_bumps_dropped", Stat::lru_bumps_dropped},
    {"pointer_size", Stat::pointer_size},
    {"get_extstore", Stat::get_extstore},
    {"get_aborted_extstore", Stat::get_aborted_extstore},
    {"get_oom_extstore", Stat::get_oom_extstore},
    {"recache_from_extstore", Stat::recache_from_extstore},
    {"miss_from_extstore", Stat::miss_from_extstore},
    {"badcrc_from_extstore", Stat::badcrc_from_extstore},
    {"extstore_compact_lost", Stat::extstore_compact_lost},
    {"extstore_compact_rescues", Stat::extstore_compact_rescues},
    {"extstore_compact_skipped", Stat::extstore_compact_skipped},
    {"extstore_page_allocs", Stat::extstore_page_allocs},
    {"extstore_page_evictions", Stat::extstore_page_evictions},
    {"extstore_page_reclaims", Stat::extstore_page_reclaims},
    {"extstore_pages_free", Stat::extstore_pages_free},
    {"extstore_pages_used", Stat::extstore_pages_used},
    {"extstore_objects_evicted", Stat::extstore_objects_evicted},
    {"extstore_objects_read", Stat::extstore_objects_read},
    {"extstore_objects_written", Stat::extstore_objects_written},
    {"extstore_objects_used", Stat::extstore_objects_used},
    {"extstore_bytes_evicted", Stat::extstore_bytes_evicted},
    {"extstore_bytes_written", Stat::extstore_bytes_written},
    {"extstore_bytes_read", Stat::extstore_bytes_read},
    {"extstore_bytes_used", Stat::extstore_bytes_used},
    {"extstore_bytes_fragmented", Stat::extstore_bytes_fragmented},
    {"extstore_limit_maxbytes", Stat::extstore_limit_maxbytes},
    {"extstore_io_queue", Stat::extstore_io_queue},
};
static_assert(std::size(kStatNames) == kStatCount, "every Stat has its name in 'stats'");

const std::map<std::string_view, Stat, std::less<>>& stat_names() {
  static const std::map<std::string_view, Stat, std::less<>> names(std::begin(kStatNames), std::end(kStatNames));
  return names;
}

// 'stats items' says items:N:FIELD, 'stats slabs' says N:FIELD.
using SlabFields = std::map<std::string_view, SlabStat, std::less<>>;

const SlabFields& item_fields() {
  static const SlabFields fields{
      {"number", SlabStat::items},
      {"age", SlabStat::age},
      {"evicted", SlabStat::evicted},
      {"evicted_nonzero", SlabStat::evicted_nonzero},
      {"evicted_time", SlabStat::evicted_time},
      {"outofmemory", SlabStat::outofmemory},
      {"number_hot", SlabStat::number_hot},
      {"number_warm", SlabStat::number_warm},
      {"number_cold", SlabStat::number_cold},
      {"age_hot", SlabStat::age_hot},
      {"age_warm", SlabStat::age_warm},
      {"mem_requested", SlabStat::mem_requested},
      {"tailrepairs", SlabStat::tailrepairs},
      {"reclaimed", SlabStat::reclaimed},
      {"expired_unfetched", SlabStat::expired_unfetched},
      {"evicted_unfetched", SlabStat::evicted_unfetched},
      {"evicted_active", SlabStat::evicted_active},
      {"crawler_reclaimed", SlabStat::crawler_reclaimed},
      {"crawler_items_checked", SlabStat::crawler_items_checked},
      {"lrutail_reflocked", SlabStat::lrutail_reflocked},
      {"moves_to_cold", SlabStat::moves_to_cold},
      {"moves_to_warm", SlabStat::moves_to_warm},
      {"moves_within_lru", SlabStat::moves_within_lru},
      {"direct_reclaims", SlabStat::direct_reclaims},
      {"hits_to_hot", SlabStat::hits_to_hot},
      {"hits_to_warm", SlabStat::hits_to_warm},
      {"hits_to_cold", SlabStat::hits_to_cold},
      {"hits_to_temp", SlabStat::hits_to_temp},
  };
  return fields;
}

const SlabFields& slab_fields() {
  static const SlabFields fields{
      {"chunk_size", SlabStat::chunk_size},
      {"total_pages", SlabStat::total_pages},
      {"used_chunks", SlabStat::used_chunks},
      {"free_chunks", SlabStat::free_chunks},
      {"chunks_per_page", SlabStat::chunks_per_page},
      {"total_chunks", SlabStat::total_chunks},
      {"free_chunks_end", SlabStat::free_chunks_end},
      {"get_hits", SlabStat::get_hits},
      {"cmd_set", SlabStat::cmd_set},
      {"delete_hits", SlabStat::delete_hits},
      {"incr_hits", SlabStat::incr_hits},
      {"decr_hits", SlabStat::decr_hits},
      {"cas_hits", SlabStat::cas_hits},
      {"cas_badval", SlabStat::cas_badval},
      {"touch_hits", SlabStat::touch_hits},
  };
  return fields;
}

constexpr std::uint64_t kMaxSlabClass = 255;

// Adds the per-class values of one reply; `prefix` is "items:" or "".
Result<bool> collect_slab_fields(std::string_view reply, std::string_view prefix,
                                 const SlabFields& fields,
                                 std::map<std::uint32_t, SlabClass>& classes) {
  auto lines = split_stat_lines(reply);
  if (!lines) return Error{lines.error()};
  for (const auto& [name, value] : lines.value()) {
    std::string_view rest = name;
    if (rest.substr(0, prefix.size()) != prefix) continue;  // e.g. active_slabs, total_malloced
    rest.remove_prefix(prefix.size());
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) continue;
    const auto field = fields.find(rest.substr(colon + 1));
    if (field == fields.end()) continue;
    const auto id = parse_unsigned(rest.substr(0, colon));
    if (!id || *id == 0 || *id > kMaxSlabClass) {
      return Error{"stat '" + excerpt(name) + "' has a bad slab class id"};
    }
    const auto number = parse_unsigned(value);
    if (!number) return bad_value(name, value);
    SlabClass& slab = classes[static_cast<std::uint32_t>(*id)];
    slab.id = static_cast<std::uint32_t>(*id);
    slab.set(field->second, *number);
  }
  return true;
}

}  // namespace

Result<GeneralStats> parse_stats(std::string_view reply) {
  auto lines = split_stat_lines(reply);
  if (!lines) return Error{lines.error()};
  GeneralStats stats;
  for (const auto& [name, value] : lines.value()) {
    if (name == "version") {
      stats.version = std::string(value);
      continue;
    }
    const auto known = stat_names().find(name);
    if (known == stat_names().end()) continue;
    const bool is_rusage = known->second == Stat::rusage_user || known->second == Stat::rusage_system;
    const auto number = is_rusage ? parse_microseconds(value) : parse_unsigned(value);
    if (!number) return bad_value(name, value);
    stats.set(known->second, *number);
  }
  return stats;
}

namespace {

bool is_flag_word(std::string_view value) { return value == "yes" || value == "no" || value == "on" || value == "off"; }

// A tunable's text, if it reads as its kind.
std::optional<Error> read_tunable(std::string_view name, std::string_view value, Settings& settings) {
  for (std::size_t i = 0; i < kTunableCount; ++i) {
    if (kTunables[i].name != name) continue;
    const bool readable = kTunables[i].kind == TunableKind::flag     ? is_flag_word(value)
                          : kTunables[i].kind == TunableKind::number ? parse_unsigned(value).has_value()
                                                                     : value.size() <= 32;
    if (!readable) return Error{"setting '" + excerpt(name) + "' is not what memcached prints: '" + excerpt(value) + "'"};
    if (!settings.tunables.set(static_cast<Tunable>(i), value)) return Error{"'stats settings' is too long"};
  }
  return std::nullopt;
}

}  // namespace

Result<Settings> parse_settings(std::string_view reply) {
  Settings settings;
  if (is_plain_error(reply)) return settings;
  auto lines = split_stat_lines(reply);
  if (!lines) return Error{lines.error()};
  for (const auto& [name, value] : lines.value()) {
    std::optional<std::uint64_t>* target = name == "maxconns"        ? &settings.maxconns
                                           : name == "maxbytes"      ? &settings.maxbytes
                                           : name == "item_size_max" ? &settings.item_size_max
                                                                     : nullptr;
    if (target) {
      *target = parse_unsigned(value);
      if (!*target) return bad_value(name, value);
    } else if (name == "evictions") {
      if (value != "on" && value != "off") {
        return Error{"setting 'evictions' is neither on nor off: '" + excerpt(value) + "'"};
      }
      settings.evictions = value == "on";
    } else if (auto error = read_tunable(name, value, settings)) {
      return std::move(*error);
    }
  }
  return settings;
}

Result<std::vector<SlabClass>> parse_items_and_slabs(std::string_view items_reply, std::string_view slabs_reply) {
  std::map<std::uint32_t, SlabClass> classes;
  if (!is_plain_error(items_reply)) {
    auto ok = collect_slab_fields(items_reply, "items:", item_fields(), classes);
    if (!ok) return Error{"stats items: " + ok.error()};
  }
  if (!is_plain_error(slabs_reply)) {
    auto ok = collect_slab_fields(slabs_reply, "", slab_fields(), classes);
    if (!ok) return Error{"stats slabs: " + ok.error()};
  }
  std::vector<SlabClass> out;
  out.reserve(classes.size());
  for (auto& [id, slab] : classes) out.push_back(std::move(slab));
  return out;
}

Result<SlabTotals> parse_slab_totals(std::string_view slabs_reply) {
  SlabTotals totals;
  if (is_plain_error(slabs_reply)) return totals;
  auto lines = split_stat_lines(slabs_reply);
  if (!lines) return Error{"stats slabs: " + lines.error()};
  for (const auto& [name, value] : lines.value()) {
    auto* total = name == "active_slabs" ? &totals.active_slabs
                  : name == "total_malloced" ? &totals.total_malloced
                                             : nullptr;
    if (total == nullptr) continue;
    const auto number = parse_unsigned(value);
    if (!number) return Error{"stats slabs: " + bad_value(name, value).message};
    *total = number;
  }
  return totals;
}

}  // namespace mwx::memcached
