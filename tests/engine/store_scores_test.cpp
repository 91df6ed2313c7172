// Stored scores: a layout-2 database's scores carried over to the integer-keyed table, models
// kept apart in it, and every stored key valid even though a run writes without foreign-key
// enforcement.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "engine/store/migrations.hpp"
#include "engine/store/sqlite.hpp"
#include "leadscore/leadscore.hpp"
#include "leadscore/project.hpp"
#include "leadscore/store.hpp"
#include "tests/support/store_model.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using leadscore::Store;
using leadscore::Timestamp;
using leadscore::testing::TempDir;

namespace {

Timestamp at(const char* text) {
  auto t = leadscore::parse_timestamp(text);
  REQUIRE(t);
  return *t;
}

std::shared_ptr<const leadscore::Model> compile(const std::string& source) {
  auto compiled = leadscore::Model::compile(source, "model.score");
  for (const auto& d : compiled.diagnostics) MESSAGE(d.message);
  REQUIRE(compiled.model);
  return compiled.model;
}

// lead key -> band, as `score` reports it.
std::map<std::string, std::string> bands(Store& store, const leadscore::Model& model,
                                         const std::string& name, Timestamp as_of,
                                         leadscore::ScoreRunReport* report = nullptr) {
  std::map<std::string, std::string> out;
  auto r = store.score(model, name, as_of, std::nullopt, [&](const leadscore::LeadScoreLine& l) {
    out[std::string(l.lead_id)] = std::string(l.band);
  });
  if (report) *report = r;
  return out;
}

std::int64_t count(leadscore::store::Database& db, const char* sql) {
  leadscore::store::Statement s = db.prepare(sql);
  REQUIRE(s.step());
  return s.integer(0);
}

// Counts the stored scores (s) with their model (m) that satisfy `where`.
std::int64_t count_scores(leadscore::store::Database& db, const std::string& where,
                          const char* what = "count(*)") {
  const std::string sql = std::string("SELECT ") + what +
                          " FROM scores s JOIN models m ON m.id = s.model WHERE " + where;
  return count(db, sql.c_str());
}

// A layout-2 database (before scores were keyed by integer) with three leads and the scores
// of two models, as an older leadscore left it, then opened (and so migrated) by this one.
struct OldDatabase {
  OldDatabase();
  // The database as written so far, read with SQL.
  leadscore::store::Database raw() const {
    return leadscore::store::Database(file.string(), SQLITE_OPEN_READONLY);
  }

  TempDir dir;
  fs::path file = dir.path / "old.db";
  std::unique_ptr<Store> store;
  std::shared_ptr<const leadscore::Model> model = compile(leadscore::testing::store_model_text);
};

OldDatabase::OldDatabase() {
  {
    leadscore::store::Database raw(file.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    raw.exec(leadscore::store::migration_step(0));
    raw.exec(leadscore::store::migration_step(1));
    raw.exec("PRAGMA user_version = 2");
    raw.exec(R"sql(
INSERT INTO leads(id, key) VALUES (1, 'L1'), (2, 'L2'), (3, 'L3');
INSERT INTO score_runs(id, model, fingerprint, as_of, recorded_at, leads)
  VALUES (1, 'm', 'f', 0, 0, 3), (2, 'other', 'g', 0, 0, 2);
INSERT INTO scores(model, lead, run, score, band) VALUES
  ('m', 1, 1, 25, 'hot'), ('m', 2, 1, 0, 'cold'), ('m', 3, 1, 12, 'warm'),
  ('other', 1, 2, 1, 'x'), ('other', 3, 2, 2, 'y');
)sql");
  }
  store = Store::open(file, Store::Mode::read_write);
}

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("a layout-2 database keeps its scores, and the next run compares against them") {
    OldDatabase old;
    CHECK(old.store->schema_version() == leadscore::store::latest_version());
    CHECK(old.store->counts().scored == 5);
    {
      leadscore::store::Database raw = old.raw();
      CHECK(count(raw, "SELECT count(*) FROM models") == 2);
      // Each row's key is its model's range start plus the lead.
      CHECK(count_scores(raw, "s.key = m.id * 1099511627776 + s.lead") == 5);
      CHECK(count_scores(
                raw,
                "m.name = 'm' AND s.lead = 1 AND s.band = 'hot' AND s.score = 25 AND s.run = 1") ==
            1);
    }
    // The leads have no attributes or events now: all score 0 and fall to cold. L1 (hot) and
    // L3 (warm) change against the migrated scores; L2 was cold already.
    leadscore::ScoreRunReport report;
    auto scored = bands(*old.store, *old.model, "m", at("2026-06-01"), &report);
    CHECK(scored.size() == 3);
    CHECK(report.band_changes == 2);
    auto changes = old.store->changes(std::nullopt, std::nullopt, std::string("m"));
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].lead_id == "L3");
    CHECK(changes[0].old_band == "warm");
    CHECK(changes[0].old_score == 12);
    CHECK(changes[1].lead_id == "L1");
    CHECK(changes[1].old_band == "hot");
  }

  TEST_CASE("two models' scores are stored side by side and never overwrite each other") {
    OldDatabase old;
    bands(*old.store, *old.model, "m", at("2026-06-01"));
    bands(*old.store, *old.model, "third", at("2026-06-01"));
    leadscore::store::Database raw = old.raw();
    // 3 leads for m and for the new model; "other" keeps its two rows from before.
    CHECK(count(raw, "SELECT count(*) FROM scores") == 8);
    CHECK(count_scores(raw, "m.name = 'other' AND s.run = 2") == 2);
    CHECK(count_scores(raw, "m.name = 'third' AND s.band = 'cold'") == 3);
    CHECK(count_scores(raw, "m.name = 'm'", "count(DISTINCT run)") == 1);
  }

  TEST_CASE("every key a run writes is valid although the write does not enforce them") {
    OldDatabase old;
    bands(*old.store, *old.model, "m", at("2026-06-01"));
    old.store->score(*old.model, "m", at("2026-07-01"), std::string("L2"),
                     [](const leadscore::LeadScoreLine&) {});
    bands(*old.store, *old.model, "fresh", at("2026-06-01"));
    leadscore::store::Database raw = old.raw();
    leadscore::store::Statement violations = raw.prepare("PRAGMA foreign_key_check");
    CHECK_FALSE(violations.step());
    leadscore::store::Statement integrity = raw.prepare("PRAGMA integrity_check");
    REQUIRE(integrity.step());
    CHECK(integrity.text(0) == "ok");
    // The one-lead run replaced L2's row for m and nothing else.
    CHECK(count_scores(raw, "m.name = 'm'") == 3);
    CHECK(count_scores(raw, "m.name = 'm' AND s.lead = 2", "max(run)") == 4);
  }

  TEST_CASE("a run stores every lead's score, across write batches, as it reported them") {
    // 300 leads: two full batches of 128 rows and a part batch of 44.
    TempDir dir;
    const fs::path yaml = dir.write("leadscore.yaml",
                                    "database: leads.db\nmodels: [model.score]\n"
                                    "import:\n  leads: {id: id}\n");
    std::string csv = "id,employees,industry\n";
    for (int i = 1; i <= 300; ++i) {
      csv += "L" + std::to_string(i) + "," + std::to_string(i * 3) + "," +
             (i % 2 ? "software" : "retail") + "\n";
    }
    auto project = leadscore::load_project(yaml).project;
    REQUIRE(project);
    auto store = Store::open(project->database, Store::Mode::read_write);
    REQUIRE(store->import_file(leadscore::ImportKind::leads, dir.write("leads.csv", csv), *project)
                .rejected == 0);
    std::map<std::string, std::pair<double, std::string>> reported;
    store->score(*compile(leadscore::testing::store_model_text), "m", at("2026-06-01"),
                 std::nullopt, [&](const leadscore::LeadScoreLine& l) {
                   reported[std::string(l.lead_id)] = {l.score, std::string(l.band)};
                 });
    REQUIRE(reported.size() == 300);
    leadscore::store::Database raw(project->database.string(), SQLITE_OPEN_READONLY);
    leadscore::store::Statement stored =
        raw.prepare("SELECT l.key, s.score, s.band FROM scores s JOIN leads l ON l.id = s.lead");
    std::size_t rows = 0, differ = 0;
    while (stored.step()) {
      ++rows;
      auto it = reported.find(std::string(stored.text(0)));
      if (it == reported.end() || it->second.first != stored.real(1) ||
          it->second.second != stored.text(2)) {
        ++differ;
      }
    }
    CHECK(rows == 300);
    CHECK(differ == 0);
    CHECK(reported["L34"].second == "warm");  // 102 employees, not software: 10 points
    CHECK(reported["L1"].second == "cold");   // 3 employees in software: 3 points
  }
}
