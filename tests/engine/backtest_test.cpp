// The backtest on a small project imported into a real store: which leads are in scope, when
// each is scored, and that nothing after the scoring time leaks into the score or the outcome.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "engine/calibration/backtest.hpp"
#include "leadscore/project.hpp"
#include "leadscore/store.hpp"
#include "tests/support/temp_dir.hpp"

namespace cal = leadscore::calibration;
using leadscore::Timestamp;

namespace {

Timestamp at(const char* text) {
  return *leadscore::parse_timestamp(text);
}

constexpr const char* project_yaml = R"(database: leadscore.db
models:
  - model.score
outcomes:
  won: [won]
  lost: [lost]
)";

// No decay, so a score is a plain sum: big +5, every page view +3, a demo request +10.
constexpr const char* model_text = R"(model "backtest test"
band hot >= 10
band cold

fit profile {
  big: +5 when employees >= 100
}
engagement activity {
  visit: +3 on page_view
  demo_request: +10 on demo
}
)";

// T = 2026-03-01, horizon 30 days: converted means won in (Mar 1, Mar 31].
constexpr const char* leads_jsonl =
    R"({"id": "A", "at": "2026-01-01", "attrs": {"employees": 500, "industry": "tech"}}
{"id": "B", "at": "2026-01-01", "attrs": {"employees": 50, "industry": "tech"}}
{"id": "C", "at": "2026-01-01", "attrs": {"employees": 50}}
{"id": "D", "at": "2026-01-01", "attrs": {"employees": 10, "industry": "retail"}}
{"id": "D", "at": "2026-03-05", "attrs": {"employees": 1000, "industry": "tech"}}
{"id": "E", "at": "2026-04-01", "attrs": {"employees": 50}}
{"id": "F", "attrs": {"employees": 50}}
{"id": "G", "at": "2026-01-01", "attrs": {"employees": 50}}
{"id": "H", "at": "2026-01-01", "attrs": {"employees": 50}}
)";

constexpr const char* events_jsonl =
    R"({"id": "e1", "lead_id": "A", "ts": "2026-02-01T00:00:00Z", "type": "page_view"}
{"id": "e2", "lead_id": "A", "ts": "2026-03-05T00:00:00Z", "type": "page_view"}
{"id": "e3", "lead_id": "A", "ts": "2026-03-10T00:00:00Z", "type": "demo"}
{"id": "e4", "lead_id": "B", "ts": "2026-02-10T00:00:00Z", "type": "demo"}
{"id": "e5", "lead_id": "D", "ts": "2026-02-20T00:00:00Z", "type": "page_view"}
{"id": "e6", "lead_id": "E", "ts": "2026-04-10T00:00:00Z", "type": "page_view"}
{"id": "e7", "lead_id": "H", "ts": "2026-02-01T00:00:00Z", "type": "page_view"}
)";

constexpr const char* outcomes_jsonl =
    R"({"lead_id": "A", "ts": "2026-03-10T00:00:00Z", "result": "won"}
{"lead_id": "B", "ts": "2026-05-01T00:00:00Z", "result": "won"}
{"lead_id": "C", "ts": "2026-02-15T00:00:00Z", "result": "won"}
{"lead_id": "D", "ts": "2026-03-20T00:00:00Z", "result": "Lost"}
{"lead_id": "F", "ts": "2026-03-15T00:00:00Z", "result": "negotiation"}
{"lead_id": "G", "result": "won"}
{"lead_id": "H", "ts": "2026-03-01T00:00:00Z", "result": "lost"}
)";

struct Fixture {
  Fixture() {
    dir.write("leadscore.yaml", project_yaml);
    dir.write("model.score", model_text);
    auto loaded = leadscore::load_project(dir.path / "leadscore.yaml");
    REQUIRE(loaded.project);
    project = std::move(loaded.project);
    store = leadscore::Store::open(project->database, leadscore::Store::Mode::read_write);
    using leadscore::ImportKind;
    for (auto [kind, name, text] :
         {std::tuple{ImportKind::leads, "leads.jsonl", leads_jsonl},
          std::tuple{ImportKind::events, "events.jsonl", events_jsonl},
          std::tuple{ImportKind::outcomes, "outcomes.jsonl", outcomes_jsonl}}) {
      auto report = store->import_file(kind, dir.write(name, text), *project);
      REQUIRE(report.rejected == 0);
    }
    auto compiled = leadscore::Model::compile(model_text, "model.score");
    REQUIRE(compiled.model);
    model = compiled.model;
  }

  std::vector<cal::BacktestRow> run(const cal::BacktestMode& mode, const std::string& by = "") {
    return cal::run_backtest(*store, *model, *project, mode, by, stats);
  }

  leadscore::testing::TempDir dir;
  std::unique_ptr<leadscore::Project> project;
  std::unique_ptr<leadscore::Store> store;
  std::shared_ptr<const leadscore::Model> model;
  cal::BacktestStats stats;
};

const cal::BacktestRow* find(const std::vector<cal::BacktestRow>& rows, const std::string& id) {
  auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.lead_id == id; });
  return it == rows.end() ? nullptr : &*it;
}

std::vector<std::string> ids(const std::vector<cal::BacktestRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.lead_id);
  return out;
}

cal::BacktestMode as_of_mode() {
  cal::BacktestMode mode;
  mode.kind = cal::BacktestMode::Kind::as_of;
  mode.as_of = at("2026-03-01T00:00:00Z");
  mode.horizon = *cal::parse_horizon("30d");
  return mode;
}

}  // namespace

TEST_SUITE("calibration_backtest") {
  TEST_CASE("as of T: only leads created before T and undecided at T are scored") {
    Fixture f;
    auto rows = f.run(as_of_mode());
    // C won and H lost at or before T; E starts after T; G's won outcome has no time.
    CHECK(ids(rows) == std::vector<std::string>{"A", "B", "D", "F"});
    CHECK(f.stats.leads_seen == 8);
    CHECK(f.stats.scored == 4);
    CHECK(f.stats.already_decided == 2);
    CHECK(f.stats.created_after == 1);
    CHECK(f.stats.undated_decisions == 1);
    for (const auto& r : rows) CHECK(r.scored_at == at("2026-03-01T00:00:00Z"));
  }

  TEST_CASE("as of T: events and attribute versions after T do not leak into the score") {
    Fixture f;
    auto rows = f.run(as_of_mode(), "industry");
    const auto* a = find(rows, "A");
    REQUIRE(a);
    // big 5 + one page view 3; the page view of Mar 5 and the demo of Mar 10 come after T.
    CHECK(a->score == 8);
    CHECK(a->band == 1);  // cold
    REQUIRE(a->rule_points.size() == 3);
    CHECK(a->rule_points == std::vector<double>{5, 3, 0});
    const auto* d = find(rows, "D");
    REQUIRE(d);
    // At T the lead had 10 employees in retail; the 1000-employee version starts on Mar 5.
    CHECK(d->score == 3);
    CHECK(d->segment == "retail");
    CHECK(find(rows, "F")->segment == cal::missing_segment);
  }

  TEST_CASE("as of T: converted only by a won outcome inside the horizon") {
    Fixture f;
    auto rows = f.run(as_of_mode());
    CHECK(find(rows, "A")->converted);  // won on Mar 10
    CHECK(find(rows, "A")->outcome == "won");
    CHECK_FALSE(find(rows, "B")->converted);  // won on May 1, after T + 30 days
    CHECK_FALSE(find(rows, "B")->lost);
    CHECK(find(rows, "B")->outcome.empty());
    CHECK(find(rows, "D")->lost);  // "Lost" matches `lost` whatever the case
    CHECK_FALSE(find(rows, "D")->converted);
    CHECK_FALSE(find(rows, "F")->converted);  // an open stage is not a conversion
    CHECK_FALSE(find(rows, "F")->lost);

    auto longer = as_of_mode();
    longer.horizon = *cal::parse_horizon("12w");
    rows = f.run(longer);
    CHECK(find(rows, "B")->converted);  // May 1 is inside 12 weeks
  }

  TEST_CASE("before outcome: each decided lead is scored 1 ms before its outcome") {
    Fixture f;
    auto rows = f.run(cal::BacktestMode{});
    CHECK(rows.size() == 8);
    CHECK(f.stats.scored == 8);
    const auto* a = find(rows, "A");
    CHECK(a->scored_at == at("2026-03-10T00:00:00Z") - 1);
    // Both page views count, but not the demo at the very moment of the outcome.
    CHECK(a->score == 11);
    CHECK(a->converted);
    const auto* d = find(rows, "D");
    CHECK(d->scored_at == at("2026-03-20T00:00:00Z") - 1);
    CHECK(d->score == 8);  // the 1000-employee version is in force by then
    CHECK(d->lost);
    CHECK(find(rows, "C")->converted);
    CHECK(find(rows, "H")->lost);
  }

  TEST_CASE("before outcome: open and undated leads are scored at the end of history") {
    Fixture f;
    auto rows = f.run(cal::BacktestMode{});
    const Timestamp end = at("2026-04-10T00:00:00Z");  // the latest event in the store
    CHECK(f.stats.end_of_history == end);
    CHECK(f.stats.open_at_end == 2);        // E and F (an open stage only)
    CHECK(f.stats.undated_decisions == 1);  // G
    CHECK(find(rows, "E")->scored_at == end);
    CHECK_FALSE(find(rows, "E")->converted);
    CHECK(find(rows, "F")->scored_at == end);
    CHECK_FALSE(find(rows, "F")->converted);
    CHECK(find(rows, "G")->scored_at == end);
    CHECK(find(rows, "G")->converted);
  }

  TEST_CASE("several models in one pass give rows that line up lead for lead") {
    Fixture f;
    auto other = leadscore::Model::compile(
        "model \"other\"\nband hot >= 1\nband cold\nfit p {\n  always: +1 when true\n}\n",
        "o.score");
    REQUIRE(other.model);
    const leadscore::Model* models[] = {f.model.get(), other.model.get()};
    auto rows = cal::run_backtest(*f.store, models, *f.project, as_of_mode(), "", f.stats);
    REQUIRE(rows.size() == 2);
    CHECK(ids(rows[0]) == ids(rows[1]));
    for (const auto& r : rows[1]) {
      CHECK(r.score == 1);
      CHECK(r.band == 0);
      CHECK(r.rule_points.size() == 1);
    }
    CHECK(f.stats.scored == 4);  // counted once per lead, not per model
  }

  TEST_CASE("an empty store scores nothing and ends history now") {
    leadscore::testing::TempDir dir;
    dir.write("leadscore.yaml", project_yaml);
    auto project = leadscore::load_project(dir.path / "leadscore.yaml").project;
    REQUIRE(project);
    auto store = leadscore::Store::open(project->database, leadscore::Store::Mode::read_write);
    auto model = leadscore::Model::compile(model_text, "model.score").model;
    cal::BacktestStats stats;
    auto rows = cal::run_backtest(*store, *model, *project, cal::BacktestMode{}, "", stats);
    CHECK(rows.empty());
    CHECK(stats.leads_seen == 0);
    CHECK(stats.end_of_history > at("2026-01-01"));
  }

  TEST_CASE("created_at: earliest dated version or first event; nothing without times") {
    leadscore::LeadHistory h;
    CHECK_FALSE(cal::created_at(h));
    h.lead.versions.push_back({std::nullopt, {}});
    CHECK_FALSE(cal::created_at(h));
    h.lead.versions.push_back({at("2026-02-01"), {}});
    CHECK(cal::created_at(h) == at("2026-02-01"));
    h.events.push_back({"page_view", at("2026-01-15"), {}});
    CHECK(cal::created_at(h) == at("2026-01-15"));
  }

  TEST_CASE("parse_horizon reads hours, days and weeks") {
    CHECK(cal::parse_horizon("2160h") == 2160LL * 3'600'000);
    CHECK(cal::parse_horizon("90d") == 90LL * 86'400'000);
    CHECK(cal::parse_horizon("12w") == 12LL * 7 * 86'400'000);
    CHECK(cal::parse_horizon("90d") == cal::parse_horizon("2160h"));
    for (const char* bad : {"", "d", "0d", "-5d", "5", "5m", "5 d", "1.5d", "99999999999w"})
      CHECK_FALSE(cal::parse_horizon(bad));
  }

}  // TEST_SUITE
