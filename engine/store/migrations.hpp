// Bringing a database to the layout this build writes (see migrations.cpp).
#pragma once

#include <string>

#include "engine/store/sqlite.hpp"

namespace leadscore::store {

int latest_version();
int current_version(Database& db);
// Applies the missing steps in one write transaction; refuses a newer layout.
void migrate(Database& db, const std::string& path);

}  // namespace leadscore::store
