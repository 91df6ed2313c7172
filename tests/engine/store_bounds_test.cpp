// Values in the database file that no leadscore writes, as a hand edit or a damaged file leaves
// them: ids far beyond their table's rows, ids outside their key's range, and times at the
// ends of 64 bits. Each is refused with a "damaged database FILE: ..." error that names what
// and where, instead of allocating gigabytes, reading another model's row, or overflowing.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "engine/store/sqlite.hpp"
#include "leadscore/leadscore.hpp"
#include "leadscore/store.hpp"
#include "tests/support/store_project.hpp"

namespace fs = std::filesystem;
using leadscore::Store;
using leadscore::StoreError;
using leadscore::testing::StoreProject;

namespace {

void exec(const fs::path& db, const std::string& sql) {
  leadscore::store::Database raw(db.string(), SQLITE_OPEN_READWRITE);
  raw.exec(sql.c_str());
}

std::shared_ptr<const leadscore::Model> model() {
  auto compiled = leadscore::Model::compile(leadscore::testing::store_model_text, "m.score");
  REQUIRE(compiled.model);
  return compiled.model;
}

const leadscore::Timestamp as_of = *leadscore::parse_timestamp("2026-06-01");

// The error of a full `score` run, or "" when it succeeds.
std::string score_error(const StoreProject& p) {
  try {
    auto store = Store::open(p.database(), Store::Mode::read_write);
    store->score(*model(), "m", as_of, std::nullopt, [](const leadscore::LeadScoreLine&) {});
  } catch (const StoreError& e) {
    return e.what();
  }
  return "";
}

// The error of reading every lead's history (explain, replay, calibrate), or "".
std::string history_error(const StoreProject& p) {
  try {
    auto store = Store::open(p.database(), Store::Mode::read_only);
    store->lead("L1");
    store->for_each_lead([](const leadscore::LeadHistory&) {});
  } catch (const StoreError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("store_bounds") {
  TEST_CASE("a name or event type id far beyond the table's rows is refused, not allocated") {
    for (const char* table : {"names", "event_types"}) {
      for (const char* id : {"100000000", "-5", "0"}) {
        CAPTURE(table);
        CAPTURE(id);
        StoreProject p;
        exec(p.database(), std::string("UPDATE ") + table + " SET id = " + id +
                               " WHERE id = (SELECT max(id) FROM " + table + ")");
        const std::string expected = "damaged database " + p.database().string() + ": the table `" +
                                     table + "` has ids from ";
        const std::string scored = score_error(p);
        CAPTURE(scored);
        CHECK(has(scored, expected));
        const std::string read = history_error(p);
        CAPTURE(read);
        if (std::string(table) == "names") CHECK(has(read, expected));
      }
    }
  }

  TEST_CASE("a name id beyond 32 bits is refused before an import writes it truncated") {
    StoreProject p;
    exec(p.database(), "INSERT INTO names(id, name) VALUES (4294967297, 'seats')");
    auto store = Store::open(p.database(), Store::Mode::read_write);
    auto project = leadscore::load_project(p.root / "leadscore.yaml").project;
    REQUIRE(project);
    const fs::path csv = p.dir.write("project/more.csv", "id,seats\nL4,3\n");
    CHECK_THROWS_WITH_AS(store->import_file(leadscore::ImportKind::leads, csv, *project),
                         doctest::Contains("the name `seats` has the id 4294967297"), StoreError);
  }

  TEST_CASE("a model id whose key range would overflow is refused") {
    StoreProject p;
    REQUIRE(score_error(p) == "");
    exec(p.database(), "UPDATE models SET id = 100000000");
    CHECK(has(score_error(p), "damaged database " + p.database().string() +
                                  ": the model `m` has the id 100000000"));
  }

  TEST_CASE("a lead id outside the score key's span is refused") {
    StoreProject p;
    exec(p.database(), "UPDATE leads SET id = 1099511627781 WHERE key = 'L3'");
    CHECK(has(score_error(p), "damaged database " + p.database().string() +
                                  ": the lead `L3` has the id 1099511627781, outside 1 to 2^40-1"));
  }

  TEST_CASE("event, attribute version and outcome times outside the supported range") {
    struct Case {
      const char* sql;
      const char* what;
      bool scored;  // whether `score` reads it (outcomes it does not)
    };
    for (const Case& c : {
             Case{"UPDATE events SET ts = -9223372036854775808 WHERE lead = 1 AND seq = "
                  "(SELECT min(seq) FROM events WHERE lead = 1)",
                  "an event of lead `L1` has the time -9223372036854775808", true},
             Case{"UPDATE events SET ts = 9007199254740993 WHERE lead = 1 AND seq = "
                  "(SELECT min(seq) FROM events WHERE lead = 1)",
                  "an event of lead `L1` has the time 9007199254740993", true},
             Case{"UPDATE lead_versions SET valid_from = -9223372036854775807 WHERE lead = 1",
                  "an attribute version of lead `L1` has the time -9223372036854775807", true},
             Case{"UPDATE outcomes SET ts = 9223372036854775807 WHERE lead = 1",
                  "an outcome of lead `L1` has the time 9223372036854775807", false},
         }) {
      CAPTURE(c.sql);
      StoreProject p;
      exec(p.database(), c.sql);
      const std::string prefix = "damaged database " + p.database().string() + ": ";
      const std::string read = history_error(p);
      CAPTURE(read);
      CHECK(has(read, prefix + c.what));
      CHECK(has(read, "outside the range the store supports"));
      if (c.scored) CHECK(has(score_error(p), prefix + c.what));
    }
  }

  TEST_CASE("times at the edges of the supported range are read as they are") {
    StoreProject p;
    exec(p.database(),
         "UPDATE events SET ts = -9007199254740992 WHERE lead = 1 AND seq = "
         "(SELECT min(seq) FROM events WHERE lead = 1)");
    CHECK(score_error(p) == "");
    auto store = Store::open(p.database(), Store::Mode::read_only);
    auto history = store->lead("L1");
    REQUIRE(history);
    REQUIRE(history->events.size() == 2);
    CHECK(history->events.front().ts == -9007199254740992);
  }

  TEST_CASE("a score run's time outside the range is refused by changes") {
    StoreProject p;
    {
      auto store = Store::open(p.database(), Store::Mode::read_write);
      auto m = model();
      for (const char* t : {"2026-05-03", "2026-12-01"}) {  // L1 hot, then decayed to warm
        store->score(*m, "m", *leadscore::parse_timestamp(t), std::nullopt,
                     [](const leadscore::LeadScoreLine&) {});
      }
      REQUIRE(store->changes(std::nullopt, std::nullopt, std::nullopt).size() == 1);
    }
    exec(p.database(), "UPDATE score_runs SET as_of = -9223372036854775808");
    auto store = Store::open(p.database(), Store::Mode::read_only);
    CHECK_THROWS_WITH_AS(store->changes(std::nullopt, std::nullopt, std::nullopt),
                         doctest::Contains("a score run has the time -9223372036854775808"),
                         StoreError);
  }

  // replay steps through the events one millisecond before each: -2^63 overflowed there.
  TEST_CASE("through the command line: replay and calibrate refuse an event at -2^63") {
    StoreProject p;
    exec(p.database(),
         "UPDATE events SET ts = -9223372036854775808 WHERE lead = 1 AND seq = "
         "(SELECT min(seq) FROM events WHERE lead = 1)");
    for (const char* command : {"replay --lead L1", "explain --lead L1", "calibrate"}) {
      CAPTURE(command);
      auto run = p.run(command);
      CHECK(run.status == 2);
      CHECK(has(run.err, "an event of lead `L1` has the time -9223372036854775808"));
    }
  }
}
