// The --json documents of calibrate and diff: every documented key present, in its order, with
// null where a value does not exist; and one end-to-end run of the built command line.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/calibration/report_builder.hpp"
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/cli/calibration_json.hpp"
#include "tools/cli/calibration_text.hpp"

namespace cal = leadscore::calibration;
using Json = nlohmann::ordered_json;

namespace {

constexpr const char* model_text = R"(model "json test"
band hot >= 10
band cold
fit profile {
  big "big company": +10 when employees >= 100
  never: +3 when employees < 0
}
engagement activity {
  visit: +3 on page_view
}
)";

std::shared_ptr<const leadscore::Model> compile(const char* text) {
  auto compiled = leadscore::Model::compile(text, "model.score");
  REQUIRE(compiled.model);
  return compiled.model;
}

std::vector<cal::BacktestRow> rows() {
  std::vector<cal::BacktestRow> out;
  const double points[][3] = {{10, 0, 3}, {10, 0, 0}, {0, 0, 3}, {0, 0, 0}, {10, 0, 6}};
  const bool converted[] = {true, false, true, false, false};
  for (int i = 0; i < 5; ++i) {
    cal::BacktestRow r;
    r.lead_id = "L" + std::to_string(i);
    r.rule_points.assign(points[i], points[i] + 3);
    r.score = points[i][0] + points[i][2];
    r.band = r.score >= 10 ? 0 : 1;
    r.converted = converted[i];
    r.lost = !converted[i];
    r.outcome = converted[i] ? "won" : "lost";
    r.segment = i < 3 ? "tech" : "retail";
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> keys(const Json& object) {
  std::vector<std::string> out;
  for (const auto& [key, value] : object.items()) out.push_back(key);
  return out;
}

using Keys = std::vector<std::string>;

const Keys model_keys{"model",  "fingerprint", "problem",     "conversions", "base_rate",
                      "auc",    "ks",          "best_f1",     "bands",       "deciles",
                      "roc",    "histogram",   "calibration", "rules",       "fit",
                      "review", "segments"};

}  // namespace

TEST_SUITE("calibration_json") {
  TEST_CASE("calibrate: the documented keys, in order") {
    auto model = compile(model_text);
    auto r = rows();
    auto report = cal::build_report(*model, "m", r, cal::BacktestMode{}, "industry");
    report.stats.leads_seen = 7;
    report.stats.scored = 5;
    const Json j = leadscore::cli::calibration_json(report);
    CHECK(keys(j) == Keys{"version",   "command",     "model",       "fingerprint", "mode",
                          "problem",   "leads",       "conversions", "base_rate",   "auc",
                          "ks",        "best_f1",     "bands",       "deciles",     "roc",
                          "histogram", "calibration", "rules",       "fit",         "review",
                          "segments"});
    CHECK(j["version"] == 1);
    CHECK(j["command"] == "calibrate");
    CHECK(keys(j["mode"]) == Keys{"kind", "as_of", "horizon_hours", "end_of_history", "note"});
    CHECK(j["mode"]["kind"] == "before_outcome");
    CHECK(j["mode"]["as_of"].is_null());
    CHECK(keys(j["leads"]) == Keys{"seen", "scored", "already_decided", "created_after",
                                   "undated_decisions", "open_at_end"});
    CHECK(j["leads"]["seen"] == 7);
    CHECK(j["problem"].is_null());
    CHECK(keys(j["auc"]) == Keys{"value", "ci_low", "ci_high", "positives", "negatives"});
    CHECK(keys(j["ks"]) == Keys{"value", "at_score"});
    CHECK(keys(j["best_f1"]) ==
          Keys{"threshold", "leads_selected", "true_positives", "precision", "recall", "f1"});
    REQUIRE(j["bands"].size() == 2);
    CHECK(keys(j["bands"][0]) == Keys{"band", "threshold", "leads", "conversions", "rate",
                                      "share_of_conversions", "precision", "recall", "f1"});
    CHECK(j["bands"][1]["threshold"].is_null());
    CHECK(j["bands"][1]["f1"].is_null());
    CHECK(keys(j["deciles"][0]) == Keys{"decile", "leads", "conversions", "rate", "lift",
                                        "cumulative_conversions", "cumulative_gain", "min_score",
                                        "max_score"});
    CHECK(keys(j["roc"][0]) == Keys{"fpr", "tpr", "threshold"});
    CHECK(j["roc"][0]["threshold"].is_null());  // the first point selects nothing
    CHECK(keys(j["histogram"]) == Keys{"edges", "converted", "not_converted"});
    CHECK(keys(j["calibration"][0]) ==
          Keys{"mean_score", "observed_rate", "leads", "min_score", "max_score"});
    REQUIRE(j["rules"].size() == 3);
    CHECK(keys(j["rules"][0]) == Keys{"rule", "group", "label", "current_points",
                                      "suggested_points", "coverage", "fired", "rate_fired",
                                      "rate_not_fired", "lift", "never_fires", "sign_flipped"});
    CHECK(j["rules"][0]["label"] == "big company");
    CHECK(j["rules"][1]["label"].is_null());
    CHECK(j["rules"][1]["never_fires"] == true);
    CHECK(keys(j["fit"]) == Keys{"converged", "iterations", "message", "intercept"});
    CHECK(keys(j["review"]) == Keys{"lost_high", "won_low"});
    REQUIRE(j["review"]["lost_high"].size() == 3);
    CHECK(keys(j["review"]["lost_high"][0]) ==
          Keys{"lead", "score", "band", "outcome", "top_rules"});
    CHECK(j["review"]["lost_high"][0]["lead"] == "L4");
    CHECK(keys(j["review"]["lost_high"][0]["top_rules"][0]) == Keys{"rule", "points"});
    CHECK(keys(j["segments"]) == Keys{"attribute", "rows", "warning"});
    CHECK(keys(j["segments"]["rows"][0]) ==
          Keys{"segment", "leads", "mean_score", "conversions", "rate", "auc"});
    CHECK(j["segments"]["rows"][1]["auc"].is_null());  // retail: nobody converted
  }

  TEST_CASE("calibrate: an empty report still has every key, with nulls") {
    auto model = compile(model_text);
    std::vector<cal::BacktestRow> none;
    cal::BacktestMode mode;
    mode.kind = cal::BacktestMode::Kind::as_of;
    mode.as_of = *leadscore::parse_timestamp("2026-03-01");
    mode.horizon = 90LL * 86'400'000;
    auto report = cal::build_report(*model, "m", none, mode);
    const Json j = leadscore::cli::calibration_json(report);
    CHECK(j["problem"].is_string());
    CHECK(j["auc"]["value"].is_null());
    CHECK(j["ks"]["value"].is_null());
    CHECK(j["ks"]["at_score"].is_null());
    CHECK(j["best_f1"]["threshold"].is_null());
    CHECK(j["best_f1"]["precision"].is_null());
    CHECK(j["segments"].is_null());
    CHECK(j["mode"]["as_of"] == "2026-03-01T00:00:00Z");
    CHECK(j["mode"]["horizon_hours"] == 2160);
    CHECK(j["deciles"].empty());
    // Still valid JSON once printed: no NaN or infinity sneaks out.
    CHECK(Json::parse(j.dump()) == j);
  }

  TEST_CASE("diff: the documented keys") {
    auto model = compile(model_text);
    auto old_rows = rows();
    auto new_rows = rows();
    new_rows[3].score = 12;
    new_rows[3].band = 0;
    auto d = cal::build_diff(*model, "old", old_rows, *model, "new", new_rows, cal::BacktestMode{});
    const Json j = leadscore::cli::diff_json(d);
    CHECK(keys(j) == Keys{"version", "command", "mode", "leads", "auc", "old", "new", "bands",
                          "migration", "moved_total", "moved"});
    CHECK(j["version"] == 1);
    CHECK(j["command"] == "diff");
    CHECK(keys(j["auc"]) == Keys{"old", "new", "change"});
    CHECK(keys(j["old"]) == model_keys);
    CHECK(keys(j["new"]) == model_keys);
    CHECK(keys(j["bands"]) == Keys{"old", "new"});
    CHECK(keys(j["migration"][0]) == Keys{"from", "to", "leads", "conversions", "rate"});
    CHECK(j["moved_total"] == 1);
    REQUIRE(j["moved"].size() == 1);
    CHECK(keys(j["moved"][0]) ==
          Keys{"lead", "from", "to", "old_score", "new_score", "change", "converted"});
    CHECK(j["moved"][0]["change"] == 12);
  }

  TEST_CASE("text: the replay command for each reviewed lead, quoted when needed") {
    CHECK(leadscore::cli::replay_command("L-17") == "leadscore replay --lead L-17");
    CHECK(leadscore::cli::replay_command("a b") == "leadscore replay --lead 'a b'");
    CHECK(leadscore::cli::replay_command("it's") == "leadscore replay --lead 'it'\\''s'");
    CHECK(leadscore::cli::replay_command("-x") == "leadscore replay --lead '-x'");
    auto model = compile(model_text);
    auto r = rows();
    auto report = cal::build_report(*model, "m", r, cal::BacktestMode{});
    std::ostringstream out;
    leadscore::cli::print_calibration_text(out, report);
    const std::string text = out.str();
    CHECK(text.find("flatters the model") != std::string::npos);
    CHECK(text.find("leadscore replay --lead L4") != std::string::npos);
    CHECK(text.find("never fires") != std::string::npos);
  }

  TEST_CASE("end to end: import, calibrate, diff") {
    leadscore::testing::TempDir dir;
    dir.write("leadscore.yaml",
              "database: leadscore.db\nmodels:\n  - model.score\n  - {name: other, file: "
              "other.score}\noutcomes:\n  won: [won]\n  lost: [lost]\n");
    dir.write("model.score", model_text);
    dir.write("other.score",
              "model \"other\"\nband hot >= 3\nband cold\nengagement activity {\n"
              "  visit: +3 on page_view\n}\n");
    std::string leads, events, outcomes;
    for (int i = 0; i < 12; ++i) {
      const std::string id = "L" + std::to_string(i);
      leads += R"({"id": ")" + id + R"(", "at": "2026-01-01", "attrs": {"employees": )" +
               std::to_string(i * 20) + R"(, "industry": ")" + (i % 2 ? "tech" : "retail") +
               "\"}}\n";
      events += R"({"id": "e)" + std::to_string(i) + R"(", "lead_id": ")" + id +
                R"(", "ts": "2026-02-0)" + std::to_string(1 + i % 9) +
                R"(T00:00:00Z", "type": "page_view"})" + "\n";
      if (i % 3 != 2)
        outcomes += R"({"lead_id": ")" + id + R"(", "ts": "2026-04-01", "result": ")" +
                    (i >= 6 ? "won" : "lost") + "\"}\n";
    }
    dir.write("leads.jsonl", leads);
    dir.write("events.jsonl", events);
    dir.write("outcomes.jsonl", outcomes);
    const std::string cli = std::string(LEADSCORE_CLI) + " ";
    const std::string project = " --project " + (dir.path / "leadscore.yaml").string();
    for (const char* kind : {"leads", "events", "outcomes"}) {
      auto imported = leadscore::testing::run_command(
          cli + "import " + kind + " " + (dir.path / (std::string(kind) + ".jsonl")).string() +
          project + " 2>&1");
      INFO(imported.output);
      REQUIRE(imported.exit_code == 0);
    }

    auto text =
        leadscore::testing::run_command(cli + "calibrate" + project + " --by industry 2>&1");
    INFO(text.output);
    CHECK(text.exit_code == 0);
    CHECK(text.output.find("flatters the model") != std::string::npos);
    CHECK(text.output.find("AUC") != std::string::npos);
    CHECK(text.output.find("leadscore replay --lead") != std::string::npos);

    auto json = leadscore::testing::run_command(
        cli + "calibrate model --json --as-of 2026-03-01 --horizon 90d" + project);
    REQUIRE(json.exit_code == 0);
    const Json j = Json::parse(json.output);
    CHECK(j["version"] == 1);
    CHECK(j["leads"]["scored"] == 12);
    CHECK(j["conversions"] == 4);

    const auto html = dir.path / "report.html";
    auto diff = leadscore::testing::run_command(cli + "diff model other --json --html " +
                                                html.string() + project + " 2>/dev/null");
    REQUIRE(diff.exit_code == 0);
    CHECK(Json::parse(diff.output)["command"] == "diff");
    CHECK(leadscore::testing::read_text(html).find("<html") != std::string::npos);

    // Nothing converts within an hour after the last outcome: a single class, exit 1.
    auto empty = leadscore::testing::run_command(cli + "calibrate --as-of 2026-05-01 --horizon 1h" +
                                                 project + " 2>&1");
    CHECK(empty.exit_code == 1);
    CHECK(empty.output.find("nothing to calibrate") != std::string::npos);

    auto usage =
        leadscore::testing::run_command(cli + "calibrate --as-of 2026-03-01" + project + " 2>&1");
    CHECK(usage.exit_code == 2);
    auto bad_horizon = leadscore::testing::run_command(
        cli + "calibrate --as-of 2026-03-01 --horizon 3mo" + project + " 2>&1");
    CHECK(bad_horizon.exit_code == 2);
  }
}  // TEST_SUITE
