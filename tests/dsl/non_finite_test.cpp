// Non-finite numbers (decision 29 of dsl/LANGUAGE.md): an overflow or an inf/nan in the data is
// missing, like a division by zero, so no score, group or contribution is ever NaN or infinite;
// and a numeral in a model too large for a double is the error LS109, wherever it stands.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "leadscore/leadscore.hpp"

using leadscore::Model;
using leadscore::Value;

namespace {

std::shared_ptr<const Model> compile(const std::string& text) {
  auto result = Model::compile(text, "non_finite.score");
  for (const auto& d : result.diagnostics) MESSAGE(leadscore::render(d));
  REQUIRE(result.model);
  return result.model;
}

leadscore::Lead lead_with(leadscore::NamedValues values) {
  leadscore::Lead lead;
  lead.id = "L1";
  lead.versions.push_back({std::nullopt, std::move(values)});
  return lead;
}

const leadscore::Timestamp as_of = *leadscore::parse_timestamp("2026-06-30");

bool all_finite(const leadscore::Score& s) {
  bool ok = std::isfinite(s.score);
  for (const auto& g : s.groups)
    ok = ok && std::isfinite(g.total) && std::isfinite(g.before_limits);
  for (const auto& r : s.rules) {
    ok = ok && std::isfinite(r.points) && std::isfinite(r.before_cap) && std::isfinite(r.undecayed);
  }
  return ok;
}

bool has_code(const leadscore::CompileResult& r, const std::string& code) {
  for (const auto& d : r.diagnostics) {
    if (d.code == code) return true;
  }
  return false;
}

}  // namespace

TEST_SUITE("non-finite numbers") {
  TEST_CASE("points that overflow to NaN are missing: the rule gives 0, the others still count") {
    auto model = compile(R"(model "overflow"
band hot >= 10
band cold
fit profile {
  nan_points: +(employees * employees - employees * employees) when employees > 0
  inf_points: +(employees * employees) when employees > 0
  fits:       +7 when employees > 0
}
)");
    const auto s = model->evaluate(lead_with({{"employees", Value::number(1e300)}}), {}, as_of);
    CHECK(all_finite(s));
    CHECK(s.score == 7);
    CHECK(s.band == "cold");
    for (const auto& r : s.rules) {
      CAPTURE(r.rule);
      CHECK(r.points == (r.rule == "fits" ? 7 : 0));
    }
  }

  TEST_CASE("inf and nan given as data are missing") {
    auto model = compile(R"(model "data"
fit profile {
  known:   +1 when employees is present
  big:     +2 when employees > 10
  points:  +(employees) when x = 1
}
)");
    for (double bad :
         {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
          std::numeric_limits<double>::quiet_NaN()}) {
      CAPTURE(bad);
      const auto s = model->evaluate(
          lead_with({{"employees", Value::number(bad)}, {"x", Value::number(1)}}), {}, as_of);
      CHECK(all_finite(s));
      CHECK(s.score == 0);
    }
  }

  TEST_CASE("sums that overflow count 0: event points, aggregates, group totals") {
    auto model = compile(R"(model "sums"
engagement activity {
  each:  +(seconds) on video
  total: +1 when sum(video.seconds) > 5
}
fit profile {
  a: +(x) when x > 0
  b: +(x) when x > 0
}
)");
    std::vector<leadscore::Event> events;
    for (int i = 0; i < 3; ++i) {
      events.push_back({"video",
                        *leadscore::parse_timestamp("2026-06-01"),
                        {{"seconds", Value::number(1.5e308)}}});
    }
    const auto s = model->evaluate(lead_with({{"x", Value::number(1.5e308)}}), events, as_of);
    CHECK(all_finite(s));
    CHECK(s.score == 0);  // every part overflowed, so every part is missing
  }

  TEST_CASE("a numeral too large for a double is LS109 wherever it stands") {
    const std::string huge(400, '9');
    const std::vector<std::string> bodies = {
        "band hot >= " + huge + "\nband cold\nfit g {\n  r: +1 when x\n}",
        "scale 0 to " + huge + "\nfit g {\n  r: +1 when x\n}",
        "list l = [" + huge + ", 1]\nfit g {\n  r: +1 when x in l\n}",
        "fit g cap " + huge + " {\n  r: +1 when x\n}",
        "fit g floor -" + huge + " {\n  r: +1 when x\n}",
        "fit g {\n  r: +1 when x\n}\nlimit score to " + huge + " when x",
        "fit g {\n  r: +" + huge + " when x\n}",
        "fit g {\n  r: +1 when x > " + huge + "\n}",
        "fit g {\n  r: +1 when x cap " + huge + "\n}",
        "engagement g {\n  r: +1 on e within " + huge + " days\n}",
        "engagement g decay half-life " + huge + " days {\n  r: +1 on e\n}",
    };
    for (const std::string& body : bodies) {
      CAPTURE(body);
      const auto r = Model::compile("model \"m\"\n" + body + "\n", "m.score");
      CHECK(r.model == nullptr);
      CHECK(has_code(r, "LS109"));
      std::size_t errors = 0;
      for (const auto& d : r.diagnostics) errors += d.severity == leadscore::Severity::error;
      CHECK(errors == 1);  // said once, not again by a later check
    }
  }
}
