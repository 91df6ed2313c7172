// Bringing a database to the layout this build writes (see migrations.cpp).
#pragma once

#include <cstdint>
#include <string>

#include "engine/store/sqlite.hpp"

namespace leadscore::store {

// A stored score's key is model * lead_key_span + lead (layout version 3), so one model's
// scores are one contiguous key range; lead ids must stay below the span.
inline constexpr std::int64_t lead_key_span = std::int64_t(1) << 40;

int latest_version();
// The SQL of step `index` (0 = the step to version 1); tests build old layouts with it.
const char* migration_step(int index);
int current_version(Database& db);
// Throws StoreError (naming `path`) unless `version` is one this build can read or migrate:
// 0 (an empty file) up to latest_version(). A newer file needs a newer leadscore; a negative
// one was never written by any leadscore and must not index the steps.
void check_known_version(int version, const std::string& path);
// Throws StoreError ("damaged database PATH: ...") unless every table of the current layout
// is there with its columns (name, type, NOT NULL, key) and every index of it exists. Other
// objects (a user's own views or indexes) are allowed. Compared with the layout the steps
// build in memory, so it cannot drift from them.
void check_layout(Database& db, const std::string& path);
// Applies the missing steps in one write transaction; refuses a newer layout.
void migrate(Database& db, const std::string& path);

}  // namespace leadscore::store
