// Two `score` runs at once: each must record its band changes against the scores stored just
// before its own write, so a change is never recorded twice, nor against scores another run
// already replaced.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

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

// Leads that are warm (500 staff in software: 13 points) from 2026-01-01 and cold (5 staff:
// 3 points) from 2026-03-01, so a run's as-of time alone decides every lead's band.
struct TwoBandProject {
  TwoBandProject() {
    const fs::path yaml = dir.write("leadscore.yaml",
                                    "database: leads.db\nmodels: [model.score]\n"
                                    "import:\n  leads: {id: id, at: at}\n");
    std::string csv = "id,at,employees,industry\n";
    for (int i = 1; i <= leads; ++i) {
      const std::string id = "L" + std::to_string(i);
      csv += id + ",2026-01-01,500,software\n" + id + ",2026-03-01,5,software\n";
    }
    project = leadscore::load_project(yaml).project;
    REQUIRE(project);
    auto store = Store::open(project->database, Store::Mode::read_write);
    REQUIRE(store->import_file(leadscore::ImportKind::leads, dir.write("leads.csv", csv), *project)
                .rejected == 0);
    auto compiled = leadscore::Model::compile(leadscore::testing::store_model_text, "m.score");
    REQUIRE(compiled.model);
    model = compiled.model;
  }

  std::unique_ptr<Store> open() const {
    return Store::open(project->database, Store::Mode::read_write);
  }

  leadscore::ScoreRunReport score(Store& store, Timestamp as_of,
                                  const std::function<void()>& during = {}) const {
    return store.score(*model, "m", as_of, std::nullopt, [&](const leadscore::LeadScoreLine&) {
      if (during) during();
    });
  }

  static constexpr int leads = 200;
  TempDir dir;
  std::unique_ptr<leadscore::Project> project;
  std::shared_ptr<const leadscore::Model> model;
  const Timestamp warm = at("2026-02-01"), cold = at("2026-04-01");
};

}  // namespace

TEST_SUITE("store_concurrent_runs") {
  // The interleaving made certain: the second run starts, and the first stores everything
  // while the second is still reading its snapshot.
  TEST_CASE("a run that stored scores during another's pass is not repeated by it") {
    TwoBandProject p;
    auto first = p.open();
    auto second = p.open();
    REQUIRE(p.score(*first, p.warm).band_changes == 0);  // the baseline: every lead warm

    leadscore::ScoreRunReport inner;
    bool started = false;
    leadscore::ScoreRunReport outer = p.score(*second, p.cold, [&] {
      if (started) return;
      started = true;
      inner = p.score(*first, p.cold);
    });
    CHECK(inner.band_changes == std::size_t(TwoBandProject::leads));  // warm -> cold, each
    CHECK(outer.band_changes == 0);  // against the inner run's scores: cold already
    auto changes = second->changes(std::nullopt, std::nullopt, std::string("m"));
    CHECK(changes.size() == std::size_t(TwoBandProject::leads));
    std::map<std::string, int> per_lead;
    for (const auto& c : changes) {
      ++per_lead[c.lead_id];
      CHECK(c.old_band == "warm");
      CHECK(c.new_band == "cold");
    }
    CHECK(per_lead.size() == std::size_t(TwoBandProject::leads));
  }

  TEST_CASE("the same interleaving, the later run moving the other way: its changes are real") {
    TwoBandProject p;
    auto first = p.open();
    auto second = p.open();
    p.score(*first, p.warm);
    bool started = false;
    leadscore::ScoreRunReport outer = p.score(*second, p.warm, [&] {
      if (started) return;
      started = true;
      p.score(*first, p.cold);  // stores cold while the outer pass (warm) reads warm
    });
    // The outer run commits after the inner one: every lead goes back from cold to warm.
    CHECK(outer.band_changes == std::size_t(TwoBandProject::leads));
    for (const auto& c : second->changes(std::nullopt, std::string("warm"), std::nullopt)) {
      CHECK(c.old_band == "cold");
    }
  }

  // Real threads, each with its own connection, alternating as-of times. Whatever the
  // interleaving, replaying the runs in the order they committed (their ids) must give
  // exactly the recorded changes.
  TEST_CASE("runs from two threads at once record each band change exactly once") {
    TwoBandProject p;
    { p.score(*p.open(), p.warm); }
    constexpr int runs_per_thread = 12;
    auto worker = [&](Timestamp as_of, Timestamp other) {
      auto store = p.open();
      for (int i = 0; i < runs_per_thread; ++i) p.score(*store, i % 2 ? other : as_of);
    };
    std::thread a(worker, p.cold, p.warm), b(worker, p.warm, p.cold);
    a.join();
    b.join();

    leadscore::store::Database raw(p.project->database.string(), SQLITE_OPEN_READONLY);
    leadscore::store::Statement runs = raw.prepare("SELECT id, as_of FROM score_runs ORDER BY id");
    std::map<std::int64_t, std::string> band_of_run;
    while (runs.step()) band_of_run[runs.integer(0)] = runs.integer(1) == p.cold ? "cold" : "warm";
    REQUIRE(band_of_run.size() == 1 + 2 * runs_per_thread);
    // Expected: one change per lead wherever consecutive runs differ.
    std::map<std::int64_t, std::pair<std::string, std::string>> expected;  // run -> (old, new)
    std::string last;
    for (const auto& [run, band] : band_of_run) {
      if (!last.empty() && band != last) expected[run] = {last, band};
      last = band;
    }
    leadscore::store::Statement changes = raw.prepare(
        "SELECT run, old_band, new_band, count(*), count(DISTINCT lead) FROM band_changes "
        "GROUP BY run, old_band, new_band ORDER BY run");
    std::map<std::int64_t, std::pair<std::string, std::string>> recorded;
    while (changes.step()) {
      CAPTURE(changes.integer(0));
      CHECK(changes.integer(3) == TwoBandProject::leads);
      CHECK(changes.integer(4) == TwoBandProject::leads);
      CHECK(recorded.count(changes.integer(0)) == 0);
      recorded[changes.integer(0)] = {std::string(changes.text(1)), std::string(changes.text(2))};
    }
    CHECK(recorded == expected);
  }
}
