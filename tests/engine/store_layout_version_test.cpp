// The layout version in `PRAGMA user_version` comes from the file, so any 32-bit value can
// arrive: only 0 (empty) to latest_version() may be read or migrated. Anything else is refused
// with the file's name, and the file is left as it was.
#include <doctest/doctest.h>

#include <climits>
#include <filesystem>
#include <string>

#include "engine/store/migrations.hpp"
#include "engine/store/sqlite.hpp"
#include "leadscore/store.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using leadscore::Store;
using leadscore::StoreError;
using leadscore::testing::TempDir;

namespace {

std::int64_t query(const fs::path& db, const char* sql) {
  leadscore::store::Database raw(db.string(), SQLITE_OPEN_READONLY);
  leadscore::store::Statement s = raw.prepare(sql);
  REQUIRE(s.step());
  return s.integer(0);
}

// A current leadscore database whose version is then overwritten with `version`.
fs::path database_with_version(const TempDir& dir, int version) {
  const fs::path db = dir.path / "leads.db";
  { Store::open(db, Store::Mode::read_write); }
  leadscore::store::Database raw(db.string(), SQLITE_OPEN_READWRITE);
  raw.exec(("PRAGMA user_version = " + std::to_string(version)).c_str());
  return db;
}

std::string open_error(const fs::path& db, Store::Mode mode) {
  try {
    Store::open(db, mode);
  } catch (const StoreError& e) {
    return e.what();
  }
  return "(opened)";
}

}  // namespace

TEST_SUITE("store_layout_version") {
  TEST_CASE("a negative layout version is refused by both modes and the file is untouched") {
    for (int version : {-1, -2, -3, -1000, INT_MIN}) {
      CAPTURE(version);
      TempDir dir;
      const fs::path db = database_with_version(dir, version);
      const std::int64_t objects = query(db, "SELECT count(*) FROM sqlite_master");
      for (Store::Mode mode : {Store::Mode::read_write, Store::Mode::read_only}) {
        const std::string message = open_error(db, mode);
        CAPTURE(message);
        CHECK(message.find(db.string() + ": ") == 0);
        CHECK(message.find("layout version " + std::to_string(version) +
                           ", which no leadscore "
                           "writes") != std::string::npos);
        CHECK(message.find("damaged or not a leadscore database") != std::string::npos);
      }
      CHECK(query(db, "PRAGMA user_version") == version);
      CHECK(query(db, "SELECT count(*) FROM sqlite_master") == objects);
    }
  }

  // migrate() is also reached on its own (it re-reads the version under the write lock), so it
  // must refuse by itself and not rely on the caller's check.
  TEST_CASE("migrate() refuses a version outside the known range before running any step") {
    for (int version : {-2, -1, leadscore::store::latest_version() + 1, INT_MAX}) {
      CAPTURE(version);
      TempDir dir;
      const fs::path db = dir.path / "raw.db";
      {
        leadscore::store::Database raw(db.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        raw.exec(("PRAGMA user_version = " + std::to_string(version)).c_str());
        try {
          leadscore::store::migrate(raw, db.string());
          FAIL("migrate should have refused");
        } catch (const StoreError& e) {
          const std::string message = e.what();
          CHECK(message.find(db.string() + ": the database has layout version " +
                             std::to_string(version)) == 0);
        }
      }
      CHECK(query(db, "SELECT count(*) FROM sqlite_master") == 0);
      CHECK(query(db, "PRAGMA user_version") == version);
    }
  }
}
