// Evaluation through the public API only: Model::compile, Model::evaluate and the streaming
// Scorer. Numbers in the expectations are worked out by hand from the model texts below.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "leadscore/leadscore.hpp"

using leadscore::AttributeVersion;
using leadscore::Event;
using leadscore::Lead;
using leadscore::Model;
using leadscore::NamedValues;
using leadscore::Score;
using leadscore::Scorer;
using leadscore::Timestamp;
using leadscore::Value;

namespace {

Timestamp date(const char* text) {
  auto ts = leadscore::parse_timestamp(text);
  REQUIRE_MESSAGE(ts.has_value(), "bad date in the test: " << text);
  return *ts;
}

std::shared_ptr<const Model> compile(const std::string& text) {
  auto result = Model::compile(text, "evaluator_test.score");
  std::string rendered;
  for (const auto& d : result.diagnostics) rendered += leadscore::render(d);
  INFO(rendered);
  REQUIRE(result.model);
  CHECK(result.diagnostics.empty());
  return result.model;
}

Lead lead_with(NamedValues values) {
  Lead lead;
  lead.id = "lead";
  lead.versions.push_back(AttributeVersion{std::nullopt, std::move(values)});
  return lead;
}

Event event(const char* type, const char* when, NamedValues properties = {}) {
  return Event{type, date(when), std::move(properties)};
}

const leadscore::RuleContribution& rule_of(const Score& s, const std::string& name) {
  for (const auto& r : s.rules) {
    if (r.rule == name) return r;
  }
  FAIL("no rule " << name);
  throw 0;  // not reached
}

double group_of(const Score& s, const std::string& name) {
  for (const auto& g : s.groups) {
    if (g.group == name) return g.total;
  }
  FAIL("no group " << name);
  return 0;
}

// Two scores are the same in every reported field.
void check_same(const Score& a, const Score& b) {
  CHECK(a.score == b.score);
  CHECK(a.band == b.band);
  CHECK(a.band_description == b.band_description);
  CHECK(a.limits_applied == b.limits_applied);
  REQUIRE(a.groups.size() == b.groups.size());
  for (std::size_t i = 0; i < a.groups.size(); ++i) {
    CAPTURE(a.groups[i].group);
    CHECK(a.groups[i].group == b.groups[i].group);
    CHECK(a.groups[i].total == b.groups[i].total);
    CHECK(a.groups[i].before_limits == b.groups[i].before_limits);
    CHECK(a.groups[i].grade == b.groups[i].grade);
  }
  REQUIRE(a.rules.size() == b.rules.size());
  for (std::size_t i = 0; i < a.rules.size(); ++i) {
    CAPTURE(a.rules[i].rule);
    CHECK(a.rules[i].rule == b.rules[i].rule);
    CHECK(a.rules[i].points == b.rules[i].points);
    CHECK(a.rules[i].before_cap == b.rules[i].before_cap);
    CHECK(a.rules[i].undecayed == b.rules[i].undecayed);
    CHECK(a.rules[i].matches == b.rules[i].matches);
    CHECK(a.rules[i].counted == b.rules[i].counted);
  }
}

// Everything a state can leak through: attributes, once, rate limits, aggregates, decay.
const char* const streaming_model = R"(model "streaming"
scale 0 to 100
band hot >= 50 "Hot"
band warm >= 20 "Warm"
band cold "Cold"
grade activity high >= 20
grade activity low

fit profile cap 40 {
  enterprise: +25 when employees >= 250
  gold: +(employees / 100) when tier = "gold"
  anonymous: -3 when nickname is missing
}
engagement activity decay half-life 10 days {
  pricing: +5 on visit where url contains "/pricing" limit 2 per 1 day
  demo: +20 on demo once
  spend: +(amount / 10) on purchase no decay
  regular: +4 when count(visit within 7 days) >= 3
}
limit score to 30 unless profile >= 20   # engagement alone is not enough
)";

}  // namespace

TEST_SUITE("evaluator") {
  TEST_CASE("the Scorer gives the same Score as Model::evaluate") {
    auto model = compile(streaming_model);
    Lead lead = lead_with({{"employees", Value::number(800)}, {"tier", Value::string("gold")}});
    std::vector<Event> events = {
        event("demo", "2026-06-24"),
        event("visit", "2026-06-25", {{"url", Value::string("/pricing")}}),
        event("visit", "2026-06-25", {{"url", Value::string("/Pricing/team")}}),
        event("visit", "2026-06-25", {{"url", Value::string("/pricing")}}),
        event("visit", "2026-06-25T12:00:00Z", {{"url", Value::string("/docs")}}),
        event("purchase", "2026-06-26", {{"amount", Value::number(120)}}),
        event("demo", "2026-06-28"),
    };
    const Timestamp as_of = date("2026-06-30");
    Score direct = model->evaluate(lead, events, as_of);

    Scorer scorer(model);
    scorer.begin(lead, as_of);
    for (const auto& e : events) CHECK(scorer.add(e) == Scorer::Added::used);
    Score streamed = scorer.finish();
    check_same(direct, streamed);

    // The numbers themselves: 2 of the 3 pricing visits of June 25 count (limit 2 per day),
    // each 5 x 0.5^(5/10); the latest demo only (once), 20 x 0.5^(2/10); spend 12, no decay;
    // 4 visits within 7 days of June 30 -> `regular`. Profile: 25 + 800/100 - 3 = 30.
    CHECK(rule_of(direct, "pricing").matches == 3);
    CHECK(rule_of(direct, "pricing").counted == 2);
    CHECK(rule_of(direct, "pricing").points == doctest::Approx(7.07).epsilon(0.001));
    CHECK(rule_of(direct, "pricing").undecayed == doctest::Approx(10));
    CHECK(rule_of(direct, "demo").matches == 2);
    CHECK(rule_of(direct, "demo").counted == 2);
    CHECK(rule_of(direct, "demo").points == doctest::Approx(17.41).epsilon(0.001));
    CHECK(rule_of(direct, "spend").points == doctest::Approx(12));
    CHECK(rule_of(direct, "regular").points == doctest::Approx(4));
    CHECK(rule_of(direct, "enterprise").points == doctest::Approx(25));
    CHECK(rule_of(direct, "gold").points == doctest::Approx(8));
    CHECK(rule_of(direct, "anonymous").points == doctest::Approx(-3));
    CHECK(group_of(direct, "profile") == doctest::Approx(30));
    CHECK(group_of(direct, "activity") == doctest::Approx(40.48).epsilon(0.001));
    CHECK(direct.score == doctest::Approx(70.48));
    CHECK(direct.band == "hot");
    CHECK(direct.band_description == "Hot");
    CHECK(direct.groups.at(1).grade == "high");
    CHECK(direct.limits_applied.empty());

    // Model::evaluate takes events in any order.
    std::vector<Event> shuffled(events.rbegin(), events.rend());
    check_same(direct, model->evaluate(lead, shuffled, as_of));
  }

  TEST_CASE("one Scorer, several leads: nothing carries over") {
    auto model = compile(streaming_model);
    const Timestamp as_of = date("2026-06-30");
    Lead busy = lead_with({{"employees", Value::number(800)}, {"nickname", Value::string("b")}});
    std::vector<Event> busy_events = {
        event("visit", "2026-06-29T08:00:00Z", {{"url", Value::string("/pricing")}}),
        event("visit", "2026-06-29T09:00:00Z", {{"url", Value::string("/pricing")}}),
        event("visit", "2026-06-29T10:00:00Z", {{"url", Value::string("/pricing")}}),
        event("demo", "2026-06-29T11:00:00Z"),
        event("purchase", "2026-06-29T12:00:00Z", {{"amount", Value::number(50)}}),
    };
    // The second lead has earlier events than the first one's last: still in order for it.
    Lead quiet = lead_with({{"tier", Value::string("silver")}});
    std::vector<Event> quiet_events = {
        event("visit", "2026-01-02", {{"url", Value::string("/pricing")}}),
    };

    Scorer scorer(model);
    scorer.begin(busy, as_of);
    for (const auto& e : busy_events) scorer.add(e);
    Score first = scorer.finish();

    scorer.begin(quiet, as_of);
    for (const auto& e : quiet_events) CHECK(scorer.add(e) == Scorer::Added::used);
    Score second = scorer.finish();

    scorer.begin(busy, as_of);
    for (const auto& e : busy_events) scorer.add(e);
    Score third = scorer.finish();

    check_same(first, model->evaluate(busy, busy_events, as_of));
    check_same(second, model->evaluate(quiet, quiet_events, as_of));
    check_same(first, third);

    // The quiet lead has no employees (not the busy lead's 800), no demo, no purchase, and
    // one old pricing visit (not blocked by the busy lead's rate limit).
    CHECK(rule_of(second, "enterprise").points == 0);
    CHECK(rule_of(second, "anonymous").points == -3);  // its nickname is missing
    CHECK(rule_of(second, "demo").matches == 0);
    CHECK(rule_of(second, "spend").points == 0);
    CHECK(rule_of(second, "pricing").matches == 1);
    CHECK(rule_of(second, "pricing").counted == 1);
    CHECK(rule_of(second, "regular").points == 0);
    CHECK(rule_of(first, "regular").points == 4);

    // A lead with no attributes at all.
    scorer.begin(static_cast<const AttributeVersion*>(nullptr), as_of);
    Score bare = scorer.finish();
    CHECK(rule_of(bare, "anonymous").points == -3);
    CHECK(rule_of(bare, "enterprise").points == 0);
    CHECK(bare.score == 0);  // -3, clamped by `scale 0 to 100`
  }

  TEST_CASE("events out of order are refused, events after the as-of time skipped") {
    auto model = compile(R"(model "order"
engagement activity decay none {
  visits: +1 on visit
}
)");
    const Timestamp as_of = date("2026-06-30");
    Scorer scorer(model);
    scorer.begin(lead_with({}), as_of);
    CHECK(scorer.add(event("visit", "2026-06-10")) == Scorer::Added::used);
    CHECK(scorer.add(event("visit", "2026-06-12")) == Scorer::Added::used);
    CHECK(scorer.add(event("visit", "2026-06-11")) == Scorer::Added::out_of_order);
    CHECK(scorer.add(event("visit", "2026-06-12")) == Scorer::Added::used);  // equal time
    CHECK(scorer.add(event("visit", "2026-07-01")) == Scorer::Added::after_as_of);
    CHECK(scorer.add(event("visit", "2026-06-30T00:00:00.001Z")) == Scorer::Added::after_as_of);
    // A skipped event does not move the clock: a later in-range event is still in order.
    CHECK(scorer.add(event("visit", "2026-06-20")) == Scorer::Added::used);
    CHECK(scorer.add(event("visit", "2026-06-30")) == Scorer::Added::used);  // ts == T
    CHECK(scorer.add(event("other", "2026-06-30")) == Scorer::Added::used);
    Score s = scorer.finish();
    CHECK(rule_of(s, "visits").matches == 5);
    CHECK(s.score == 5);

    // Model::evaluate sorts, and leaves out what lies after T.
    std::vector<Event> events = {event("visit", "2026-07-05"), event("visit", "2026-06-12"),
                                 event("visit", "2026-06-10"), event("visit", "2026-06-30")};
    CHECK(model->evaluate(lead_with({}), events, as_of).score == 3);
    CHECK(model->evaluate(lead_with({}), events, date("2026-06-11")).score == 1);
  }

  TEST_CASE("attribute versions: the one in force at T is used") {
    auto model = compile(R"(model "versions"
fit profile {
  small: +1 when employees < 50
  mid: +10 when employees between 50 and 999
  large: +100 when employees >= 1000
  named: +1000 when company is present
}
)");
    Lead lead;
    lead.id = "versioned";
    lead.versions.push_back({std::nullopt, {{"employees", Value::number(10)}}});
    lead.versions.push_back({date("2026-07-01"), {{"employees", Value::number(2000)}}});
    lead.versions.push_back(
        {date("2026-05-01"),
         {{"employees", Value::number(300)}, {"company", Value::string("Acme")}}});

    CHECK(model->evaluate(lead, {}, date("2026-04-30")).score == 1);
    CHECK(model->evaluate(lead, {}, date("2026-05-01")).score == 1010);  // valid from T itself
    CHECK(model->evaluate(lead, {}, date("2026-06-30")).score == 1010);
    CHECK(model->evaluate(lead, {}, date("2026-07-02")).score == 100);  // no company then

    Scorer scorer(model);
    scorer.begin(lead, date("2026-06-30"));
    CHECK(scorer.finish().score == 1010);
    scorer.begin(lead, date("2026-04-01"));
    CHECK(scorer.finish().score == 1);

    // A later entry with the same start time corrects the earlier one.
    lead.versions.push_back({date("2026-05-01"), {{"employees", Value::number(40)}}});
    CHECK(model->evaluate(lead, {}, date("2026-06-30")).score == 1);

    // Only future versions: nothing is known at T.
    Lead future;
    future.versions.push_back({date("2027-01-01"), {{"employees", Value::number(5000)}}});
    CHECK(model->evaluate(future, {}, date("2026-06-30")).score == 0);

    // A blank string is missing (spec 5.1).
    CHECK(model->evaluate(lead_with({{"company", Value::string("  ")}}), {}, date("2026-06-30"))
              .score == 0);
  }

  TEST_CASE("by_impact: largest absolute contribution first, then model order") {
    auto model = compile(R"(model "impact"
fit profile {
  a: +5 when x = 1
  b: -30 when x = 1
  c: +25 when x = 1
  d: -5 when x = 1
  e: +7 when x = 2
  f: +30 when x = 1
}
)");
    Score s = model->evaluate(lead_with({{"x", Value::number(1)}}), {}, date("2026-06-30"));
    auto ranked = leadscore::by_impact(s.rules);
    std::vector<std::string> order;
    for (const auto& r : ranked) order.push_back(r.rule);
    CHECK(order == std::vector<std::string>{"b", "f", "c", "a", "d", "e"});
    // The input is left in model order.
    CHECK(s.rules.front().rule == "a");
    CHECK(s.score == 25);
  }

  TEST_CASE("limits_applied lists the text of each limit that lowered a value") {
    auto model = compile(R"(model "limits"
fit profile { size: +(employees / 10) when employees is present }
engagement activity decay none { visits: +10 on visit }
limit score to 30 unless profile >= 20   # a comment is not part of the text
limit activity to 15 when   lead.segment = "smb"
limit profile to 50 when employees > 0
)");
    const Timestamp as_of = date("2026-06-30");
    std::vector<Event> visits = {event("visit", "2026-06-01"), event("visit", "2026-06-02"),
                                 event("visit", "2026-06-03")};

    // activity 30 -> 15 for smb. The score limit applies (profile 10 < 20), but 10 + 15 is
    // already below 30; the profile limit applies too, but 10 is below 50: neither is listed.
    Score smb = model->evaluate(
        lead_with({{"employees", Value::number(100)}, {"segment", Value::string("SMB ")}}), visits,
        as_of);
    CHECK(smb.limits_applied ==
          std::vector<std::string>{"limit activity to 15 when   lead.segment = \"smb\""});
    CHECK(group_of(smb, "activity") == 15);
    CHECK(smb.groups.at(1).before_limits == 30);
    CHECK(smb.score == 25);

    // Without the segment: the score limit lowers 40 to 30; its text stops before the comment.
    Score other = model->evaluate(lead_with({{"employees", Value::number(100)}}), visits, as_of);
    CHECK(other.limits_applied ==
          std::vector<std::string>{"limit score to 30 unless profile >= 20"});
    CHECK(other.score == 30);
  }

  TEST_CASE("limits_applied: applied limits that lower nothing are not listed") {
    auto model = compile(R"(model "limits"
fit profile { size: +(employees / 10) when employees is present }
engagement activity decay none { visits: +10 on visit }
limit score to 30 unless profile >= 20
limit profile to 50 when employees > 0
)");
    const Timestamp as_of = date("2026-06-30");
    std::vector<Event> visits = {event("visit", "2026-06-01"), event("visit", "2026-06-02"),
                                 event("visit", "2026-06-03")};
    // profile 10, activity 30: the score limit lowers 40 to 30; profile is below 50.
    Score low = model->evaluate(lead_with({{"employees", Value::number(100)}}), visits, as_of);
    CHECK(low.limits_applied == std::vector<std::string>{"limit score to 30 unless profile >= 20"});
    CHECK(low.score == 30);
    // profile 60 -> 50 by its limit; the score limit does not apply (60 >= 20 before limits).
    Score big = model->evaluate(lead_with({{"employees", Value::number(600)}}), visits, as_of);
    CHECK(big.limits_applied == std::vector<std::string>{"limit profile to 50 when employees > 0"});
    CHECK(big.score == 80);
    CHECK(big.groups.at(0).before_limits == 60);
    // Nothing to lower.
    Score none = model->evaluate(lead_with({{"employees", Value::number(300)}}), {}, as_of);
    CHECK(none.limits_applied.empty());
    CHECK(none.score == 30);
  }

  TEST_CASE("fingerprint: same text, same fingerprint; a changed number changes it") {
    const std::string base = R"(model "fp"
scale 0 to 100
band hot >= 50
band cold
fit profile cap 40 { big: +25 when employees >= 250 }
engagement activity decay half-life 30 days {
  visits: +5 on visit within 14 days limit 3 per 1 day
}
limit score to 60 unless profile >= 20
)";
    auto a = compile(base);
    auto b = compile(base);
    CHECK(a->fingerprint() == b->fingerprint());
    CHECK(a->fingerprint().size() == 16);
    // Comments and layout are not part of the compiled form.
    std::string reformatted = "# a comment\n" + base;
    reformatted.replace(reformatted.find("band hot >= 50"), 14, "band   hot >=   50  # hot");
    CHECK(compile(reformatted)->fingerprint() == a->fingerprint());

    const std::pair<const char*, const char*> edits[] = {
        {"+25", "+26"},
        {"cap 40", "cap 41"},
        {">= 250", ">= 251"},
        {"band hot >= 50", "band hot >= 51"},
        {"scale 0 to 100", "scale 0 to 99"},
        {"half-life 30 days", "half-life 31 days"},
        {"within 14 days", "within 15 days"},
        {"limit 3 per", "limit 4 per"},
        {"per 1 day", "per 2 days"},
        {"score to 60", "score to 61"},
        {"profile >= 20", "profile >= 21"},
        {"+5 on visit", "+6 on visit"},
    };
    for (const auto& [from, to] : edits) {
      CAPTURE(from);
      std::string changed = base;
      auto at = changed.find(from);
      REQUIRE(at != std::string::npos);
      changed.replace(at, std::string(from).size(), to);
      CHECK(compile(changed)->fingerprint() != a->fingerprint());
    }
  }

  TEST_CASE("limits read totals before any limit, whatever their order") {
    const std::string groups = R"(model "gates"
fit a { pa: +(pa) when pa is present }
fit b { pb: +(pb) when pb is present }
)";
    auto forward = compile(groups + "limit a to 5 when b > 10\nlimit b to 5 when a > 10\n");
    auto backward = compile(groups + "limit b to 5 when a > 10\nlimit a to 5 when b > 10\n");
    Lead lead = lead_with({{"pa", Value::number(20)}, {"pb", Value::number(30)}});
    Score f = forward->evaluate(lead, {}, date("2026-06-30"));
    Score b = backward->evaluate(lead, {}, date("2026-06-30"));
    // Each condition sees the other group's total before its limit: both limits apply.
    CHECK(f.score == 10);
    CHECK(b.score == 10);
    CHECK(group_of(f, "a") == 5);
    CHECK(group_of(f, "b") == 5);
    CHECK(f.groups.at(0).before_limits == 20);
    CHECK(f.limits_applied.size() == 2);

    // Several limits on one target: the lowest wins, in either order.
    auto low_high =
        compile(groups + "limit score to 40 when a > 0\nlimit score to 25 when a > 0\n");
    auto high_low =
        compile(groups + "limit score to 25 when a > 0\nlimit score to 40 when a > 0\n");
    CHECK(low_high->evaluate(lead, {}, date("2026-06-30")).score == 25);
    CHECK(high_low->evaluate(lead, {}, date("2026-06-30")).score == 25);
  }

  TEST_CASE("unknown conditions: `unless` applies, `when` does not") {
    auto model = compile(R"(model "unknown"
fit a { base: +50 when true }
limit score to 10 unless budget > 1000
limit a to 20 when region = "emea"
)");
    // budget and region are missing: the `unless` limit applies, the `when` limit does not.
    Score s = model->evaluate(lead_with({}), {}, date("2026-06-30"));
    CHECK(s.score == 10);
    CHECK(group_of(s, "a") == 50);
    CHECK(s.limits_applied == std::vector<std::string>{"limit score to 10 unless budget > 1000"});
    Score rich =
        model->evaluate(lead_with({{"budget", Value::number(5000)}}), {}, date("2026-06-30"));
    CHECK(rich.score == 50);
    CHECK(rich.limits_applied.empty());
  }

  TEST_CASE("bands and grades are chosen from the rounded values") {
    auto model = compile(R"(model "rounding"
band hot >= 76 "Hot"
band cold "Cold"
grade g A >= 10
grade g B
fit g { pts: +(pts) when pts is present }
)");
    auto score_of = [&](double pts) {
      return model->evaluate(lead_with({{"pts", Value::number(pts)}}), {}, date("2026-06-30"));
    };
    Score up = score_of(75.996);  // rounds to 76.00
    CHECK(up.score == 76);
    CHECK(up.band == "hot");
    CHECK(up.band_description == "Hot");
    Score down = score_of(75.994);  // rounds to 75.99
    CHECK(down.score == doctest::Approx(75.99));
    CHECK(down.band == "cold");
    CHECK(score_of(9.996).groups.at(0).grade == "A");
    CHECK(score_of(9.994).groups.at(0).grade == "B");
    // A when rule whose points are missing contributes 0 but still held.
    Score text =
        model->evaluate(lead_with({{"pts", Value::string("many")}}), {}, date("2026-06-30"));
    CHECK(rule_of(text, "pts").points == 0);
    CHECK(rule_of(text, "pts").matches == 1);
    CHECK(text.band == "cold");
  }

  TEST_CASE("a model without bands gives the band `none`") {
    auto model = compile("model \"plain\"\nfit g { a: +1 when true }\n");
    Score s = model->evaluate(lead_with({}), {}, date("2026-06-30"));
    CHECK(s.band == "none");
    CHECK(s.score == 1);
  }
}
