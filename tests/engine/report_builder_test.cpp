// The calibration and diff reports built from hand-made backtest rows, where every figure can be
// worked out on paper.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "engine/calibration/report_builder.hpp"

namespace cal = leadscore::calibration;

namespace {

// Three rules; `rare` never fires in the rows below.
constexpr const char* model_text = R"(model "builder test"
band hot >= 10
band cold

fit profile {
  r1 "first rule": +10 when employees >= 100
  r2: +10 when industry = "tech"
}
engagement activity {
  rare: +7 on demo
}
)";

std::shared_ptr<const leadscore::Model> compile(const char* text) {
  auto compiled = leadscore::Model::compile(text, "model.score");
  REQUIRE(compiled.model);
  return compiled.model;
}

cal::BacktestRow row(std::string id, double score, std::uint32_t band, bool converted, bool lost,
                     std::vector<double> points, std::string segment = "") {
  cal::BacktestRow r;
  r.lead_id = std::move(id);
  r.score = score;
  r.band = band;
  r.converted = converted;
  r.lost = lost;
  r.outcome = converted ? "won" : lost ? "lost" : "";
  r.rule_points = std::move(points);
  r.segment = std::move(segment);
  return r;
}

// hot = band 0, cold = band 1. Base rate 2 / 5.
std::vector<cal::BacktestRow> five_rows() {
  return {row("a", 20, 0, true, false, {10, 10, 0}, "x"),
          row("b", 15, 0, false, true, {10, 5, 0}, "x"),
          row("c", 5, 1, true, false, {0, 5, 0}, "y"), row("d", 0, 1, false, false, {0, 0, 0}, "y"),
          row("e", 12, 0, false, true, {10, 2, 0}, "y")};
}

}  // namespace

TEST_SUITE("calibration_report_builder") {
  TEST_CASE("totals, bands and the mode note") {
    auto model = compile(model_text);
    auto rows = five_rows();
    auto r = cal::build_report(*model, "builder", rows, cal::BacktestMode{});
    CHECK(r.model_name == "builder");
    CHECK(r.model_fingerprint == model->fingerprint());
    CHECK(r.leads == 5);
    CHECK(r.conversions == 2);
    CHECK(r.base_rate == doctest::Approx(0.4));
    CHECK(r.problem.empty());
    CHECK(r.mode_note.find("flatters") != std::string::npos);
    REQUIRE(r.bands.size() == 2);
    CHECK(r.bands[0].name == "hot");
    CHECK(r.bands[0].row.leads == 3);
    CHECK(r.bands[0].row.conversions == 1);
    CHECK(r.bands[0].row.share_of_conversions == doctest::Approx(0.5));
    REQUIRE(r.bands[0].at_threshold);
    CHECK(r.bands[0].at_threshold->precision == doctest::Approx(1.0 / 3));
    CHECK(r.bands[0].at_threshold->recall == doctest::Approx(0.5));
    CHECK_FALSE(r.bands[1].threshold);
    CHECK_FALSE(r.bands[1].at_threshold);
    CHECK(r.auc.defined);
    // Converted 20 and 5 against 15, 12, 0: 20 wins 3, 5 wins 1 -> 4 / 6.
    CHECK(r.auc.value == doctest::Approx(4.0 / 6));
    CHECK(r.deciles.size() == 5);  // fewer leads than groups: one lead a group
  }

  TEST_CASE("rule worth: coverage, rates, lift and never-firing rules") {
    auto model = compile(model_text);
    auto rows = five_rows();
    auto r = cal::build_report(*model, "builder", rows, cal::BacktestMode{});
    REQUIRE(r.rules.size() == 3);
    const auto& r1 = r.rules[0];
    CHECK(r1.rule == "r1");
    CHECK(r1.label == "first rule");
    CHECK(r1.group == "profile");
    CHECK(r1.current_points == 10);
    CHECK(r1.fired == 3);
    CHECK(r1.coverage == doctest::Approx(0.6));
    CHECK(r1.rate_fired == doctest::Approx(1.0 / 3));
    CHECK(r1.rate_not_fired == doctest::Approx(0.5));
    CHECK(r1.lift == doctest::Approx((1.0 / 3) / 0.4));
    const auto& r2 = r.rules[1];
    CHECK(r2.fired == 4);
    CHECK(r2.rate_fired == doctest::Approx(0.5));
    CHECK(r2.rate_not_fired == 0);
    CHECK(r2.lift == doctest::Approx(1.25));
    CHECK_FALSE(r2.never_fires);
    const auto& rare = r.rules[2];
    CHECK(rare.never_fires);
    CHECK(rare.group == "activity");
    CHECK(rare.current_points == 0);
    CHECK(rare.suggested_points == 0);
    CHECK_FALSE(rare.sign_flipped);
    // The suggestions span the same total as the current points (10 + 10 + 0).
    CHECK(std::abs(r1.suggested_points) + std::abs(r2.suggested_points) == doctest::Approx(20));
    CHECK(r.fit.weights.size() == 3);
  }

  TEST_CASE("rule worth flags a rule whose fitted sign is the opposite of its points") {
    auto model = compile(model_text);
    // r1 (+10) fires mostly for leads that did not convert, r2 (here -5) mostly for those that did.
    std::vector<cal::BacktestRow> rows;
    for (int i = 0; i < 40; ++i) {
      const bool converted = i % 2 == 0;
      const bool typical = i % 10 != 0;
      std::vector<double> points{converted == typical ? 0.0 : 10.0,
                                 converted == typical ? -5.0 : 0.0, 0};
      rows.push_back(
          row("L" + std::to_string(i), points[0] + points[1], 1, converted, !converted, points));
    }
    auto r = cal::build_report(*model, "flip", rows, cal::BacktestMode{});
    CHECK(r.fit.converged);
    CHECK_FALSE(r.fit.message.empty());
    CHECK(r.rules[0].current_points == 10);
    CHECK(r.rules[1].current_points == -5);
    CHECK(r.rules[0].suggested_points < 0);
    CHECK(r.rules[1].suggested_points > 0);
    CHECK(r.rules[0].sign_flipped);
    CHECK(r.rules[1].sign_flipped);
    CHECK(std::abs(r.rules[0].suggested_points) + std::abs(r.rules[1].suggested_points) ==
          doctest::Approx(15));
  }

  TEST_CASE("review lists: lost deals from the top, won deals from the bottom") {
    auto model = compile(model_text);
    auto rows = five_rows();
    rows.push_back(row("f", 15, 0, false, true, {10, 5, 0}));  // ties b: later in the input
    auto r = cal::build_report(*model, "builder", rows, cal::BacktestMode{});
    REQUIRE(r.lost_high.size() == 3);
    CHECK(r.lost_high[0].lead_id == "b");
    CHECK(r.lost_high[1].lead_id == "f");
    CHECK(r.lost_high[2].lead_id == "e");
    CHECK(r.lost_high[0].band == "hot");
    CHECK(r.lost_high[0].outcome == "lost");
    REQUIRE(r.won_low.size() == 2);
    CHECK(r.won_low[0].lead_id == "c");
    CHECK(r.won_low[1].lead_id == "a");
    // Largest contributions first, equal ones in model order, rules that gave nothing left out.
    using Top = std::vector<std::pair<std::string, double>>;
    CHECK(r.won_low[1].top_rules == Top{{"r1", 10}, {"r2", 10}});
    CHECK(r.lost_high[2].top_rules == Top{{"r1", 10}, {"r2", 2}});
    CHECK(r.won_low[0].top_rules == Top{{"r2", 5}});
  }

  TEST_CASE("review lists stop at ten leads and five rules") {
    auto model = compile(R"(model "many"
fit p {
  a: +1 when true
  b: +2 when true
  c: +3 when true
  d: +4 when true
  e: +5 when true
  f: +6 when true
}
)");
    std::vector<cal::BacktestRow> rows;
    for (int i = 0; i < 25; ++i)
      rows.push_back(
          row("L" + std::to_string(i), i, 0, i % 2 == 0, i % 2 == 1, {1, 2, 3, 4, 5, 6}));
    auto r = cal::build_report(*model, "many", rows, cal::BacktestMode{});
    CHECK(r.bands.empty());
    REQUIRE(r.lost_high.size() == cal::review_list_size);
    CHECK(r.lost_high[0].lead_id == "L23");
    CHECK(r.lost_high[0].band == "none");
    REQUIRE(r.won_low.size() == cal::review_list_size);
    CHECK(r.won_low[0].lead_id == "L0");
    REQUIRE(r.won_low[0].top_rules.size() == cal::review_top_rules);
    CHECK(r.won_low[0].top_rules.front().first == "f");
    CHECK(r.won_low[0].top_rules.back().first == "b");
  }

  TEST_CASE("segments: per value, largest first, AUC only where both classes exist") {
    auto model = compile(model_text);
    auto rows = five_rows();
    rows.push_back(row("z", 3, 1, false, false, {0, 0, 0}, "z"));
    auto r = cal::build_report(*model, "builder", rows, cal::BacktestMode{}, "industry");
    CHECK(r.segment_attribute == "industry");
    REQUIRE(r.segments.size() == 3);
    const auto& y = r.segments[0];
    CHECK(y.segment == "y");
    CHECK(y.leads == 3);
    CHECK(y.mean_score == doctest::Approx(17.0 / 3));
    CHECK(y.conversions == 1);
    CHECK(y.auc.value == doctest::Approx(0.5));  // c (5) beats d (0), loses to e (12)
    const auto& x = r.segments[1];
    CHECK(x.segment == "x");
    CHECK(x.rate == doctest::Approx(0.5));
    CHECK(x.auc.value == doctest::Approx(1.0));
    CHECK(r.segments[2].segment == "z");
    CHECK_FALSE(r.segments[2].auc.defined);

    auto plain = cal::build_report(*model, "builder", rows, cal::BacktestMode{});
    CHECK(plain.segments.empty());
  }

  TEST_CASE("nothing to calibrate: no leads, or a single class") {
    auto model = compile(model_text);
    std::vector<cal::BacktestRow> none;
    auto r = cal::build_report(*model, "builder", none, cal::BacktestMode{});
    CHECK(r.problem.find("no leads") != std::string::npos);
    CHECK_FALSE(r.auc.defined);
    CHECK(r.deciles.empty());
    CHECK(r.rules.size() == 3);
    CHECK_FALSE(r.fit.converged);

    std::vector<cal::BacktestRow> all_lost{row("a", 1, 1, false, true, {0, 0, 0}),
                                           row("b", 2, 1, false, true, {10, 0, 0})};
    auto single = cal::build_report(*model, "builder", all_lost, cal::BacktestMode{});
    CHECK(single.problem.find("single class") != std::string::npos);
    CHECK(single.rules[0].suggested_points == 0);
  }

  TEST_CASE("the as-of note names the time and the horizon") {
    cal::BacktestMode mode;
    mode.kind = cal::BacktestMode::Kind::as_of;
    mode.as_of = *leadscore::parse_timestamp("2026-03-01");
    mode.horizon = 90LL * 86'400'000;
    const std::string note = cal::mode_note(mode);
    CHECK(note.find("2026-03-01T00:00:00Z") != std::string::npos);
    CHECK(note.find("90 days") != std::string::npos);
    CHECK(note.find("flatters") == std::string::npos);
  }

  TEST_CASE("diff: migration matrix and the leads that change band") {
    auto old_model = compile(model_text);
    auto new_model = compile(R"(model "new"
band hot >= 20
band warm >= 10
band cold
fit profile {
  r1: +10 when employees >= 100
}
)");
    // old bands: hot 0, cold 1; new bands: hot 0, warm 1, cold 2.
    std::vector<cal::BacktestRow> old_rows{
        row("a", 20, 0, true, false, {10, 10, 0}), row("b", 15, 0, false, true, {10, 5, 0}),
        row("c", 5, 1, true, false, {0, 5, 0}), row("d", 0, 1, false, false, {0, 0, 0})};
    std::vector<cal::BacktestRow> new_rows{
        row("a", 25, 0, true, false, {10}), row("b", 12, 1, false, true, {10}),
        row("c", 5, 2, true, false, {0}), row("d", 21, 0, false, false, {10})};
    auto d = cal::build_diff(*old_model, "old", old_rows, *new_model, "new", new_rows,
                             cal::BacktestMode{});
    CHECK(d.old_model.model_name == "old");
    CHECK(d.new_model.model_name == "new");
    CHECK(d.old_bands == std::vector<std::string>{"hot", "cold"});
    CHECK(d.new_bands == std::vector<std::string>{"hot", "warm", "cold"});
    REQUIRE(d.migration.size() == 4);
    auto cell = [&](const std::string& from, const std::string& to) -> const cal::BandMove* {
      for (const auto& m : d.migration)
        if (m.from == from && m.to == to) return &m;
      return nullptr;
    };
    CHECK(cell("hot", "hot")->leads == 1);
    CHECK(cell("hot", "hot")->rate == 1);
    CHECK(cell("hot", "warm")->leads == 1);
    CHECK(cell("hot", "warm")->conversions == 0);
    CHECK(cell("cold", "cold")->leads == 1);
    CHECK(cell("cold", "hot")->leads == 1);
    CHECK_FALSE(cell("cold", "warm"));
    // Old-band order first, then new-band order.
    CHECK(d.migration.front().from == "hot");
    CHECK(d.migration.front().to == "hot");
    CHECK(d.migration.back().from == "cold");
    REQUIRE(d.moved_total == 2);
    CHECK(d.moved[0].lead_id == "d");  // +21 before b's -3
    CHECK(d.moved[0].from == "cold");
    CHECK(d.moved[0].to == "hot");
    CHECK(d.moved[1].lead_id == "b");
    CHECK(d.moved[1].old_score == 15);
    CHECK(d.moved[1].new_score == 12);

    // Rows in another order are paired by lead id.
    std::swap(new_rows[0], new_rows[3]);
    auto again = cal::build_diff(*old_model, "old", old_rows, *new_model, "new", new_rows,
                                 cal::BacktestMode{});
    CHECK(again.moved_total == 2);
    CHECK(again.migration.size() == 4);
    CHECK(again.moved[0].lead_id == "d");
  }
}  // TEST_SUITE
