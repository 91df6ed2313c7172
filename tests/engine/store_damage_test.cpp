// A damaged or altered database file: every failure names the file, SQLite's "malformed" and
// "not a database" become "damaged database FILE: ...", and a file that lacks part of the
// layout is refused on open instead of failing (or reading nothing) part way through.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/store/sqlite.hpp"
#include "leadscore/store.hpp"
#include "tests/support/store_project.hpp"

namespace fs = std::filesystem;
using leadscore::Store;
using leadscore::StoreError;
using leadscore::testing::StoreProject;

namespace {

// Opens the store and reads from it; returns the error, or "" when all of it worked.
std::string use_error(const fs::path& db, Store::Mode mode) {
  try {
    auto store = Store::open(db, mode);
    store->counts();
    store->changes(std::nullopt, std::nullopt, std::nullopt);
    store->lead("L1");
  } catch (const StoreError& e) {
    return e.what();
  }
  return "";
}

bool starts_with(const std::string& text, const std::string& start) {
  return text.rfind(start, 0) == 0;
}

void overwrite(const fs::path& file, std::streamoff at, const std::string& bytes) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(at);
  f.write(bytes.data(), std::streamsize(bytes.size()));
  REQUIRE(f.good());
}

void exec(const fs::path& db, const char* sql) {
  leadscore::store::Database raw(db.string(), SQLITE_OPEN_READWRITE);
  raw.exec(sql);
}

}  // namespace

TEST_SUITE("store_damage") {
  TEST_CASE("a failing statement names the database file") {
    StoreProject p;
    leadscore::store::Database raw(p.database().string(), SQLITE_OPEN_READONLY);
    leadscore::store::Statement insert = raw.prepare("INSERT INTO names(name) VALUES ('x')");
    try {
      insert.run();
      FAIL("a write through a read-only connection should fail");
    } catch (const StoreError& e) {
      const std::string message = e.what();
      CHECK(starts_with(message, p.database().string() + ": "));
      CHECK(message.find("attempt to write a readonly database") != std::string::npos);
    }
  }

  TEST_CASE("a truncated file is a damaged database, named, in both modes") {
    StoreProject p;
    fs::resize_file(p.database(), fs::file_size(p.database()) / 2);
    for (Store::Mode mode : {Store::Mode::read_only, Store::Mode::read_write}) {
      const std::string message = use_error(p.database(), mode);
      CAPTURE(message);
      CHECK(starts_with(message, "damaged database " + p.database().string() + ": "));
      CHECK(message.find("malformed") != std::string::npos);
    }
  }

  TEST_CASE("a file with a garbage header is a damaged database, named") {
    StoreProject p;
    overwrite(p.database(), 0, std::string(100, 'x'));
    for (Store::Mode mode : {Store::Mode::read_only, Store::Mode::read_write}) {
      const std::string message = use_error(p.database(), mode);
      CAPTURE(message);
      CHECK(starts_with(message,
                        "damaged database " + p.database().string() + ": file is not a database"));
    }
  }

  TEST_CASE("a missing table, column or index is refused on open") {
    struct Alteration {
      const char* sql;
      const char* message;
    };
    for (const Alteration& a : {
             Alteration{"DROP TABLE band_changes", "table `band_changes` is missing"},
             Alteration{"DROP INDEX events_by_source_key",
                        "the index `events_by_source_key` is missing"},
             Alteration{"ALTER TABLE leads DROP COLUMN first_seen",
                        "table `leads` lacks the column `first_seen INTEGER`"},
             Alteration{"ALTER TABLE imports RENAME COLUMN rows TO n",
                        "table `imports` lacks the column `rows INTEGER NOT NULL`"},
         }) {
      CAPTURE(a.sql);
      StoreProject p;
      exec(p.database(), a.sql);
      for (Store::Mode mode : {Store::Mode::read_only, Store::Mode::read_write}) {
        const std::string message = use_error(p.database(), mode);
        CAPTURE(message);
        CHECK(starts_with(message, "damaged database " + p.database().string() + ": " + a.message));
      }
    }
  }

  TEST_CASE("objects of the user's own beside the layout are allowed") {
    StoreProject p;
    exec(p.database(),
         "CREATE VIEW hot AS SELECT * FROM scores WHERE band = 'hot';"
         "CREATE INDEX my_outcomes ON outcomes(result); CREATE TABLE my_notes (x)");
    CHECK(use_error(p.database(), Store::Mode::read_write) == "");
    CHECK(use_error(p.database(), Store::Mode::read_only) == "");
  }

  // Before the layout check these exited 0: the commands never read the dropped index.
  TEST_CASE("through the command line: a damaged database stops every command with exit 2") {
    StoreProject p;
    REQUIRE(p.run("score --as-of 2026-06-01").status == 0);
    exec(p.database(), "DROP INDEX events_by_source_key");
    for (const char* command : {"score --as-of 2026-06-01", "changes", "explain --lead L1",
                                "replay --lead L1", "calibrate", "import leads leads.csv"}) {
      CAPTURE(command);
      auto run = p.run(command);
      CHECK(run.status == 2);
      CHECK(run.err.find("leadscore: error: damaged database " + p.database().string() +
                         ": the index `events_by_source_key` is missing") != std::string::npos);
    }
  }
}
