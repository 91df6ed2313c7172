// Bringing a database to the layout this build writes (see migrations.cpp).
#pragma once

#include <string>

#include "engine/store/sqlite.hpp"

namespace leadscore::store {

int latest_version();
// The SQL of step `index` (0 = the step to version 1); tests build old layouts with it.
const char* migration_step(int index);
int current_version(Database& db);
// Applies the missing steps in one write transaction; refuses a newer layout.
void migrate(Database& db, const std::string& path);

}  // namespace leadscore::store
