// What the store's source files share: the connection and the interned names.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/store/sqlite.hpp"
#include "leadscore/store.hpp"

namespace leadscore {

// An attribute version or outcome without a time is stored with this start (spec 8: such a
// version holds for every time), so it sorts first and primary keys stay NOT NULL.
inline constexpr std::int64_t no_time = std::numeric_limits<std::int64_t>::min();

// The times the store accepts from its file: |t| <= 2^53 ms (about 285 000 years either side
// of 1970; every importable time, years 0000-9999, is far inside). Differences and steps of
// such times never overflow 64 bits, and each is exact as a double, as the evaluator holds it.
inline constexpr std::int64_t max_stored_time = std::int64_t(1) << 53;
inline bool is_stored_time(std::int64_t t) {
  return t >= -max_stored_time && t <= max_stored_time;
}

// Ids of interned names and event types index dense tables (by id) in the scoring pass, so an
// id may exceed the table's row count by at most this much. SQLite hands out max + 1, so a file
// leadscore wrote has none beyond its row count; only a hand-edited one does.
inline constexpr std::int64_t id_slack = std::int64_t(1) << 16;

struct Store::Impl {
  Impl(const std::filesystem::path& file, Mode mode);

  // Id of a name in `names` (attributes, properties) or `event_types`, adding it when new.
  std::uint32_t name_id(std::string_view name);
  std::uint32_t event_type_id(std::string_view name);
  // Every id's text, indexed by id (gaps are empty).
  std::vector<std::string> all_names();
  std::vector<std::string> all_event_types();
  // After a rollback: ids handed out inside it no longer exist.
  void forget_interned();
  // Throws "damaged database FILE: WHAT" for a value in the file no leadscore writes.
  [[noreturn]] void damaged(const std::string& what) const;
  // `t` if it is a stored time (above); else throws, naming `what` (e.g. "an event of lead L1").
  std::int64_t checked_time(std::int64_t t, const char* what) const {
    return is_stored_time(t) ? t : bad_time(t, what);
  }
  [[noreturn]] std::int64_t bad_time(std::int64_t t, const std::string& what) const;

  std::filesystem::path path;
  Mode mode;
  store::Database db;

 private:
  std::uint32_t intern(std::unordered_map<std::string, std::uint32_t>& cache, const char* select,
                       const char* insert, std::string_view name);
  std::unordered_map<std::string, std::uint32_t> names_, types_;
};

std::int64_t now_ms();

}  // namespace leadscore
