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
