// The linter's checks (LS010-LS018) through the public API, each with a model that triggers it
// and a near miss that must not, and the score-range computation they rest on, tested directly.
// Messages are matched on a few key words, not word for word.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/checker.hpp"
#include "dsl/diagnostics.hpp"
#include "dsl/parser.hpp"
#include "dsl/score_range.hpp"
#include "leadscore/leadscore.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
namespace dsl = leadscore::dsl;
using leadscore::CompileOptions;
using leadscore::Diagnostic;
using leadscore::Model;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

struct Linted {
  std::vector<Diagnostic> diagnostics;
  bool compiled = false;

  std::vector<Diagnostic> with_code(const std::string& code) const {
    std::vector<Diagnostic> out;
    for (const auto& d : diagnostics) {
      if (d.code == code) out.push_back(d);
    }
    return out;
  }
  // Every diagnostic, rendered, for failure messages.
  std::string all() const {
    std::string out;
    for (const auto& d : diagnostics) out += leadscore::render(d);
    return out;
  }
};

Linted lint_text(const std::string& text, bool lint = true) {
  CompileOptions options;
  options.lint = lint;
  auto result = Model::compile(text, "t.score", options);
  Linted out;
  out.compiled = result.model != nullptr;
  out.diagnostics = std::move(result.diagnostics);
  return out;
}

Linted lint_file(const fs::path& path) {
  CompileOptions options;
  options.lint = true;
  auto result = Model::compile_file(path, options);
  Linted out;
  out.compiled = result.model != nullptr;
  out.diagnostics = std::move(result.diagnostics);
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Exactly one warning with `code`, on `line`, whose message holds every word of `words`.
void expect_one(const Linted& l, const std::string& code, std::uint32_t line,
                const std::vector<std::string>& words) {
  INFO("diagnostics:\n" << l.all());
  REQUIRE(l.compiled);
  auto found = l.with_code(code);
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == leadscore::Severity::warning);
  CHECK(found[0].where.line == line);
  for (const auto& w : words) CHECK_MESSAGE(contains(found[0].message, w), "missing: " << w);
  CHECK_FALSE(found[0].hint.empty());
}

void expect_none(const Linted& l, const std::string& code) {
  INFO("diagnostics:\n" << l.all());
  REQUIRE(l.compiled);
  CHECK(l.with_code(code).empty());
}

// A parsed and checked tree, for the range functions.
struct Tree {
  dsl::SourceText source;
  dsl::DiagnosticSink sink;
  dsl::Model model;

  explicit Tree(std::string text) : source("t.score", std::move(text)), sink(source) {
    model = dsl::parse_model(source, leadscore::Limits{}, sink);
    dsl::check_model(model, nullptr, sink, sink.has_errors());
    REQUIRE_FALSE(sink.has_errors());
  }
  const dsl::Group& group(std::size_t i) const { return model.groups.at(i); }
  dsl::RuleRange rule(std::size_t g, std::size_t r) const {
    return dsl::rule_range(group(g).rules.at(r), group(g));
  }
};

using leadscore::testing::TempDir;

}  // namespace

TEST_SUITE("lint") {
  // ---- the score range --------------------------------------------------------------------
  TEST_CASE("rule ranges: constant points times the most counted matches, then the cap") {
    Tree t(R"(model "t"
engagement e within 7 days {
  state: +15 when a = 1
  penalty: -10 when b = 1
  each: +2 on visit
  each_neg: -3 on visit
  once_only: +25 on demo once
  capped: +2 on visit cap 9
  limited: +2 on visit limit 3 per 1 day
  limited_long: +1 on visit limit 1 per 2 days within 3 days
  expr: +(minutes / 10) on visit
  expr_capped: +(minutes / 10) on visit cap 9
  zero: +0 on visit
}
fit f {
  unbounded_when: +(employees) when employees > 0
}
)");
    auto r = [&](std::size_t i) { return t.rule(0, i).value; };
    CHECK(r(0).low == 0);
    CHECK(r(0).high == 15);
    CHECK(r(1).low == -10);
    CHECK(r(1).high == 0);
    CHECK(r(2).high == inf);
    CHECK(r(3).low == -inf);
    CHECK(r(4).high == 25);
    CHECK(r(5).high == 9);
    CHECK(t.rule(0, 5).uncapped.high == inf);
    // 3 a day over the group's 7-day window.
    CHECK(dsl::most_counted_matches(t.group(0).rules[6], t.group(0)) == 21);
    CHECK(r(6).high == 42);
    // Its own window of 3 days: ceil(3 / 2) = 2 windows of one match.
    CHECK(r(7).high == 2);
    CHECK(r(8).low == -inf);
    CHECK(r(8).high == inf);
    CHECK(r(9).low == -9);
    CHECK(r(9).high == 9);
    CHECK(r(10).low == 0);
    CHECK(r(10).high == 0);
    CHECK(t.rule(1, 0).value.low == -inf);
  }

  TEST_CASE("score range: group caps and floors, limits lower only the lowest, scale") {
    Tree t(R"(model "t"
scale 0 to 100
fit profile cap 40 floor -20 {
  big: +30 when employees >= 500
  title: +20 when job_title = "cto"
  student: -50 when job_title = "student"
}
engagement activity cap 60 {
  demo: +25 on demo once
  spam: -5 on spam_report once
}
limit activity to 10 when profile < 10
limit score to 70 unless profile >= 20
)");
    auto ranges = dsl::score_ranges(t.model);
    REQUIRE(ranges.groups.size() == 2);
    CHECK(ranges.groups[0].low == -20);  // floor
    CHECK(ranges.groups[0].high == 40);  // cap (50 before)
    CHECK(ranges.groups[1].low == -5);
    CHECK(ranges.groups[1].high == 25);
    // The limit may apply, so the lowest stays -5; it may not, so the highest stays 25.
    CHECK(ranges.limited_groups[1].low == -5);
    CHECK(ranges.limited_groups[1].high == 25);
    CHECK(ranges.unlimited_score.low == -25);
    CHECK(ranges.unlimited_score.high == 65);
    CHECK(ranges.score.low == 0);  // scale
    CHECK(ranges.score.high == 65);
  }

  TEST_CASE("score range: a limit above the lowest value lowers it; no rules give zero") {
    Tree t(R"(model "t"
fit profile floor 10 {
  big: +30 when employees >= 500
}
engagement empty { }
limit profile to 5 when employees < 3
limit score to -1 when employees < 2
)");
    auto ranges = dsl::score_ranges(t.model);
    CHECK(ranges.groups[0].low == 10);
    CHECK(ranges.limited_groups[0].low == 5);
    CHECK(ranges.groups[1].low == 0);
    CHECK(ranges.groups[1].high == 0);
    CHECK(ranges.score.low == -1);
    CHECK(ranges.score.high == 30);
  }

  TEST_CASE("score_for applies the limits the group totals decide, and only those") {
    Tree t(R"(model "t"
fit plant cap 50 {
  budget: +15 when budget = "approved"
}
engagement research {
  cad: +12 on download
}
limit research to 30 when plant < 10
limit score to 40 when employees < 5
)");
    auto only = [&](std::size_t group, double v) {
      return dsl::score_for(t.model,
                            [&](std::size_t g, std::size_t) { return g == group ? v : 0; });
    };
    CHECK(only(1, 100) == 30);  // plant is 0: the research limit applies
    CHECK(dsl::score_for(t.model, [](std::size_t g, std::size_t) { return g == 0 ? 15.0 : 100; }) ==
          115);  // plant 15 lifts it; the score limit depends on an attribute: left out
    // plant is -inf (< 10), so research is held to 30 and the sum is defined.
    CHECK(dsl::score_for(t.model, [](std::size_t g, std::size_t) { return g == 0 ? -inf : inf; }) ==
          -inf);
    Tree open(R"(model "t"
fit a { x: +1 when k = 1 }
engagement b { y: +1 on visit }
)");
    CHECK(std::isnan(dsl::score_for(
        open.model, [](std::size_t g, std::size_t) { return g == 0 ? -inf : inf; })));
  }

  TEST_CASE("decide_condition: group names and constants only") {
    Tree t(R"(model "t"
fit a { x: +1 when k = 1 }
fit b { y: +1 when k = 2 }
limit a to 1 when a >= 20 and b < 5
limit a to 1 when a >= 20 or employees > 3
limit a to 1 when employees > 3 and a > 100
limit a to 1 when not (a + b * 2 between 10 and 30)
limit a to 1 when a / 0 > 1
)");
    std::vector<double> totals{25, 4};
    auto decide = [&](std::size_t i) {
      return dsl::decide_condition(*t.model.limits.at(i).condition, t.model, totals);
    };
    CHECK(decide(0) == std::optional<bool>(true));
    CHECK(decide(1) == std::optional<bool>(true));   // `or` with one true side
    CHECK(decide(2) == std::optional<bool>(false));  // `and` with one false side
    CHECK(decide(3) == std::optional<bool>(true));   // 25 + 8 = 33 is not between 10 and 30
    CHECK_FALSE(decide(4).has_value());              // division by zero: not decided
    totals = {5, 4};
    CHECK_FALSE(decide(1).has_value());  // depends on the attribute
  }

  // ---- LS010 ------------------------------------------------------------------------------
  TEST_CASE("LS010: a band above the highest possible score") {
    auto l = lint_text(R"(model "t"
band hot >= 80
band warm >= 40
band cold
fit profile cap 50 {
  big: +30 when employees >= 500
  title: +30 when job_title = "cto"
}
)");
    expect_one(l, "LS010", 2, {"band `hot`", "threshold is 80", "highest possible score is 50"});
  }

  TEST_CASE("LS010: a grade above its group's highest total, and a catch-all below the scale") {
    auto l = lint_text(R"(model "t"
scale 10 to 100
band warm >= 5
band cold
grade profile A >= 45
grade profile B >= 20
grade profile C
fit profile cap 40 {
  big: +50 when employees >= 500
}
)");
    INFO(l.all());
    auto found = l.with_code("LS010");
    REQUIRE(found.size() == 2);
    CHECK(found[0].where.line == 4);  // every score is at least 10: nobody is `cold`
    CHECK(contains(found[0].message, "`cold`"));
    CHECK(contains(found[0].message, "lowest possible score is 10"));
    CHECK(found[1].where.line == 5);
    CHECK(contains(found[1].message, "grade `A` of group `profile`"));
    CHECK(contains(found[1].message, "highest possible total of `profile` is 40"));
  }

  TEST_CASE("LS010 near misses: a threshold equal to the highest score, an uncapped rule") {
    expect_none(lint_text(R"(model "t"
band hot >= 50
band cold
fit profile cap 50 {
  big: +30 when employees >= 500
  title: +30 when job_title = "cto"
}
)"),
                "LS010");
    expect_none(lint_text(R"(model "t"
band hot >= 500
band cold
engagement activity {
  visits: +1 on page_view
}
)"),
                "LS010");
  }

  // ---- LS011 ------------------------------------------------------------------------------
  TEST_CASE("LS011: contradictory conditions") {
    struct Case {
      const char* condition;
      const char* why;
    };
    const Case cases[] = {
        {"employees > 10 and employees < 5", "cannot both be true"},
        {"employees >= 10 and employees < 10", "cannot both be true"},
        {"industry = \"a\" and industry = \"B\"", "cannot both be true"},
        {"employees between 10 and 5", "is never true"},
        {"employees is missing and employees > 3", "cannot both be true"},
        {"employees = 3 and employees != 3", "cannot both be true"},
        {"employees = 3 and (employees > 5 or employees < 1)", "cannot both be true"},
        {"not (employees <= 10) and employees between 1 and 5", "cannot both be true"},
        {"industry = \"energy\" and industry in [\"software\", \"retail\"]", "cannot both be true"},
        {"industry in [\"software\"] and industry not in [\"software\"]", "cannot both be true"},
        {"is_customer and not is_customer", "cannot both be true"},
        {"domain(email) = \"a.com\" and domain(email) = \"b.com\"", "cannot both be true"},
        {"employees > 3 and false", "is never true"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.condition);
      auto l =
          lint_text(std::string("model \"t\"\nfit f {\n  r: +5 when ") + c.condition + "\n}\n");
      expect_one(l, "LS011", 3, {"rule `r` can never fire", c.why});
    }
  }

  TEST_CASE("LS011: an `on` rule's `where`") {
    auto l = lint_text(R"(model "t"
engagement e {
  ok: +1 on page_view where seconds > 10
  never: +1 on page_view where seconds > 100 and seconds <= 60
}
)");
    expect_one(l, "LS011", 4, {"`never`", "`seconds > 100`", "`seconds <= 60`"});
  }

  TEST_CASE("LS011: a condition over several lines is quoted on one") {
    auto l = lint_text(R"(model "t"
fit f {
  r: +5 when employees
               between 10
               and 5
}
)");
    expect_one(l, "LS011", 3, {"`employees between 10 and 5` is never true"});
  }

  TEST_CASE("LS011 near misses: conditions that can hold") {
    const char* conditions[] = {
        "employees > 10 and employees < 20",
        "employees >= 5 and employees <= 5",
        "employees > 5 or employees < 3",
        "industry = \"Energy\" and industry = \" energy \"",
        "employees between 5 and 10",
        "employees is missing or employees > 3",
        "employees > 10 and revenue < 5",
        "employees > 10 and lead_score < 5",
        "not (employees > 10 and employees < 5)",
        "industry = \"energy\" and industry in [\"Energy\", \"retail\"]",
        "industry != \"a\" and industry != \"b\"",
        "count(page_view) > 3 and count(page_view where url contains \"x\") < 2",
    };
    for (const char* c : conditions) {
      CAPTURE(c);
      expect_none(lint_text(std::string("model \"t\"\nfit f {\n  r: +5 when ") + c + "\n}\n"),
                  "LS011");
    }
    // An attribute and an event property of the same name are different values.
    expect_none(lint_text(R"(model "t"
engagement e {
  r: +1 on page_view where seconds > 10 and lead.seconds < 5
}
)"),
                "LS011");
  }

  // ---- LS012 ------------------------------------------------------------------------------
  TEST_CASE("LS012: a rule cap above what its group's cap lets through") {
    auto l = lint_text(R"(model "t"
engagement activity cap 50 {
  pages: +2 on page_view cap 60
  clicks: +3 on email_click cap 20
}
)");
    expect_one(l, "LS012", 3, {"`pages`", "cap 60", "capped at 50", "at most 50"});
  }

  TEST_CASE("LS012: a negative rule's cap beyond the group's floor") {
    auto l = lint_text(R"(model "t"
engagement activity floor -20 {
  bounces: -5 on bounce cap 30
  nudge: +1 on visit once
}
)");
    expect_one(l, "LS012", 3, {"`bounces`", "floor of -20", "at most 21"});
  }

  TEST_CASE("LS012 near misses") {
    // Within the group's cap.
    expect_none(lint_text(R"(model "t"
engagement activity cap 50 {
  pages: +2 on page_view cap 40
}
)"),
                "LS012");
    // A negative rule in the group can take 20 away, so 70 of the cap can matter.
    expect_none(lint_text(R"(model "t"
engagement activity cap 50 {
  pages: +2 on page_view cap 60
  spam: -20 on spam_report once
}
)"),
                "LS012");
    // The cap never binds below what the group passes: the rule gives at most 5.
    expect_none(lint_text(R"(model "t"
engagement activity cap 50 {
  demo: +5 on demo once cap 60
}
)"),
                "LS012");
  }

  // ---- LS013 ------------------------------------------------------------------------------
  TEST_CASE("LS013: a rate limit on a `once` rule") {
    auto l = lint_text(R"(model "t"
engagement activity {
  demo: +25 on demo once limit 1 per 7 days
}
)");
    expect_one(l, "LS013", 3, {"`demo`", "`once`", "limit 1 per 7 days"});
  }

  TEST_CASE("LS013: a gate at or above the highest value of its target") {
    auto l = lint_text(R"(model "t"
fit profile cap 40 {
  big: +30 when employees >= 500
  title: +20 when job_title = "cto"
}
engagement activity cap 30 {
  visits: +1 on page_view
}
limit activity to 30 unless profile >= 20
limit score to 75 when employees < 10
limit score to 60 when employees < 5
)");
    INFO(l.all());
    auto found = l.with_code("LS013");
    REQUIRE(found.size() == 2);
    CHECK(found[0].where.line == 9);
    CHECK(contains(found[0].message, "group `activity`"));
    CHECK(contains(found[0].message, "at most 30"));
    CHECK(found[1].where.line == 10);
    CHECK(contains(found[1].message, "the score"));
    CHECK(contains(found[1].message, "at most 70"));
  }

  TEST_CASE("LS013 near misses: a limit without `once`, a gate that can bind") {
    expect_none(lint_text(R"(model "t"
engagement activity cap 30 {
  pricing: +6 on page_view where url contains "/pricing" limit 1 per 1 day
  demo: +25 on demo once
}
limit activity to 29 when employees < 10
limit score to 10 when employees < 5
)"),
                "LS013");
  }

  // ---- LS014 ------------------------------------------------------------------------------
  TEST_CASE("LS014: the same condition written twice") {
    auto l = lint_text(R"(model "t"
fit profile {
  enterprise: +20 when employees >= 1000 and industry = "Software"
  other: +5 when employees < 10
}
fit again {
  big_software: +10 when industry = "software " and 1000 <= employees
}
)");
    expect_one(l, "LS014", 7, {"`big_software`", "`enterprise` (line 3)", "twice"});
  }

  TEST_CASE("LS014: an `on` rule without `where` overlapping one with, same points") {
    auto l = lint_text(R"(model "t"
engagement activity {
  pricing: +2 on page_view where url contains "/pricing"
  pages: +2 on page_view
}
)");
    expect_one(l, "LS014", 4, {"`pages`", "every `page_view`", "`pricing` (line 3)"});
  }

  TEST_CASE("LS014 near misses") {
    // Base points plus a bonus; a points expression measuring something else; another window;
    // another event.
    expect_none(lint_text(R"(model "t"
engagement events decay half-life 45 days within 180 days {
  attended: +10 on webinar_attend cap 30
  minutes: +(minutes / 10) on webinar_attend cap 9
  academy: +6 on webinar_attend where series = "Academy" once
  fresh: +8 on webinar_attend within 14 days once no decay
  pages: +1 on page_view
  pricing: +5 on page_view where url contains "/pricing"
  clicks: +1 on email_click
}
fit profile {
  big: +10 when employees >= 1000
  bigger: +10 when employees >= 5000
}
)"),
                "LS014");
  }

  // ---- LS015 ------------------------------------------------------------------------------
  TEST_CASE("LS015: a literal list with a repeated entry") {
    auto l = lint_text(R"(model "t"
list mail = ["gmail.com",
  "yahoo.com",
  " GMail.com"]
fit profile {
  free: -5 when domain(email) in mail
}
)");
    expect_one(l, "LS015", 2, {"`mail`", "GMail.com", "line 4", "first on line 2"});
  }

  TEST_CASE("LS015: a list file with repeated entries") {
    TempDir dir;
    dir.write("lists/domains.txt", "# rivals\nrival.example\nOther.example\n  rival.EXAMPLE  \n");
    auto model = dir.write("m.score", R"(model "t"
list rivals = file "lists/domains.txt"
fit profile {
  rival: -40 when domain(email) in rivals
}
)");
    expect_one(lint_file(model), "LS015", 2,
               {"`rivals`", "line 4 (first on line 2)", "a duplicate entry"});
  }

  TEST_CASE("LS015 near misses: numeric lines stored twice, a number and a string") {
    TempDir dir;
    dir.write("zips.txt", "10115\n80331\n# 10115 again only in a comment\n20095\n");
    auto model = dir.write("m.score", R"(model "t"
list zips = file "zips.txt"
list codes = [3, "3", "a", "b"]
fit profile {
  local: +5 when zip in zips
  coded: +1 when code in codes
}
)");
    expect_none(lint_file(model), "LS015");
  }

  // ---- LS016 ------------------------------------------------------------------------------
  TEST_CASE("LS016: a list no rule or limit reads") {
    auto l = lint_text(R"(model "t"
list used = ["a"]
list forgotten = ["b"]
fit profile {
  r: +5 when industry in used
}
)");
    expect_one(l, "LS016", 3, {"`forgotten`", "never used"});
  }

  TEST_CASE("LS016 near miss: lists used only in a limit, an aggregate or `not in`") {
    expect_none(lint_text(R"(model "t"
list a = ["x"]
list b = ["y"]
list c = ["z"]
fit profile {
  r: +5 when count(page_view where url in b) > 1
  s: +1 when industry not in c
}
limit score to 10 when industry in a
)"),
                "LS016");
  }

  TEST_CASE("`# leadscore: ignore` silences one code on its line, not the others") {
    auto l = lint_text(R"(model "t"
list forgotten = ["b"]   # leadscore: ignore LS016
list dupes = ["b", "B"]  # leadscore: ignore LS016
fit profile {
  r: +5 when industry in dupes
}
)");
    INFO(l.all());
    CHECK(l.with_code("LS016").empty());
    REQUIRE(l.with_code("LS015").size() == 1);
    CHECK(l.with_code("LS015")[0].where.line == 3);
  }

  // ---- LS017 ------------------------------------------------------------------------------
  TEST_CASE("LS017: a `when` rule in a decaying engagement group") {
    auto l = lint_text(R"(model "t"
engagement activity decay half-life 30 days {
  pages: +1 on page_view
  frequent: +5 when count(page_view) >= 10
}
)");
    expect_one(l, "LS017", 4, {"`frequent`", "does not decay", "`activity`"});
  }

  TEST_CASE("LS017 near misses: no decay, a time window, days_since_last, a fit group") {
    expect_none(lint_text(R"(model "t"
engagement plain {
  frequent: +5 when count(page_view) >= 10
}
engagement fading decay 20% every 30 days {
  busy: +5 when count(page_view within 7 days) >= 5
  quiet: -5 when days_since_last(any) > 30
  recent: +2 when days_since(signed_up) < 14
}
engagement flat decay none {
  frequent2: +5 when count(page_view) >= 20
}
fit profile {
  big: +5 when employees > 100
}
)"),
                "LS017");
  }

  // ---- LS018 ------------------------------------------------------------------------------
  TEST_CASE("LS018: one rule takes a lead from nothing to the top band") {
    auto l = lint_text(R"(model "t"
scale 0 to 100
band hot >= 60
band cold
fit profile cap 80 {
  golden: +70 when job_title = "ceo"
  small: +10 when employees > 10
}
engagement activity {
  visits: +1 on page_view
}
limit activity to 20 when profile < 100
)");
    expect_one(l, "LS018", 6, {"`golden`", "70 points", "top band `hot`"});
  }

  TEST_CASE("LS018: one negative rule drops the best lead to the lowest band") {
    auto l = lint_text(R"(model "t"
band hot >= 60
band warm >= 30
band cold
fit profile cap 50 {
  big: +30 when employees >= 500
  title: +20 when job_title = "cto"
  competitor: -100 when domain(email) = "rival.example"
}
engagement activity cap 30 {
  visits: +1 on page_view
}
)");
    expect_one(l, "LS018", 8, {"`competitor`", "take away", "lowest band `cold`"});
  }

  TEST_CASE("LS018 near misses: smaller points, a gate that holds a lone rule down") {
    expect_none(lint_text(R"(model "t"
band hot >= 60
band warm >= 30
band cold
fit profile cap 50 {
  big: +30 when employees >= 500
  title: +20 when job_title = "cto"
  free_mail: -20 when domain(email) = "gmail.com"
}
engagement activity cap 30 {
  visits: +5 on page_view
}
limit activity to 25 when profile < 20
)"),
                "LS018");
  }

  // ---- the examples and the default ---------------------------------------------------------
  TEST_CASE("the example models give no lint warnings") {
    fs::path dir = fs::path(LEADSCORE_SOURCE_DIR) / "rules/examples";
    int models = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".score") continue;
      ++models;
      CAPTURE(entry.path().string());
      auto l = lint_file(entry.path());
      INFO(l.all());
      CHECK(l.compiled);
      CHECK(l.diagnostics.empty());
    }
    CHECK(models >= 4);
  }

  TEST_CASE("without options.lint no lint warning is given") {
    auto l = lint_text(R"(model "t"
band hot >= 80
band cold
list forgotten = ["b"]
fit profile cap 50 {
  big: +30 when employees > 10 and employees < 5
}
)",
                       false);
    INFO(l.all());
    CHECK(l.compiled);
    CHECK(l.diagnostics.empty());
  }
}
