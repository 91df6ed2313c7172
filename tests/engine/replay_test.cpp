// leadscore::Timeline: the one-pass replay must show, at every step, what explaining the
// prefix would show (differential against the old algorithm, kept in tests/support), and its
// work must grow linearly with the events (counted, not timed: timings are in tools/bench).
#include <doctest/doctest.h>

#include <random>

#include "leadscore/timeline.hpp"
#include "tests/support/replay_oracle.hpp"

namespace leadscore {
namespace {

constexpr Timestamp day = 86'400'000;
constexpr Timestamp start = 1'767'225'600'000;  // 2026-01-01

// Every way an event's worth depends on "now": half-life, linear and stepped decay, within,
// rate limits with and without a window, once, fractional points, aggregates in `when` rules
// (with windows), rule and group caps, a limit on a decayed group, scale and bands.
const char* const mixed_model = R"(model "replay mix"
scale 0 to 100
band hot >= 40 "Hot"
band warm >= 15 "Warm"
band cold "Cold"
fit profile cap 30 {
  big: +10 when employees >= 100
  core: +5 when industry = "software"
  busy: +4 when count(page_view within 7 days) >= 3
  spend: +(sum(purchase.amount within 30 days) / 10) when days_since_last(purchase) < 20
  thrifty: +(sum(purchase.amount) / 100) when count(purchase) >= 2
}
engagement activity cap 60 decay half-life 10 days {
  pricing: +3 on page_view where url contains "pricing"
  views: +0.7 on page_view limit 3 per 2 days
  recent: +2 on page_view within 5 days limit 2 per 1 days
  video: +(seconds / 60) on video cap 12
  unsub: -15 on unsubscribe once no decay
  webinar: +6 on webinar within 20 days
  lin: +4 on download decay linear 15 days
  stepped: +5 on download decay 20% every 3 days
  fresh: +1.3 on any within 3 days no decay
  latest: +2.5 on download once
}
engagement momentum decay half-life 3 days {
  clicks: +1.1 on email_click
}
limit score to 39 unless momentum >= 2
limit activity to 25 when profile < 10
)";

// Conditions that read lead attributes and "now": recomputed, but still in agreement.
const char* const attribute_model = R"(model "replay attributes"
band hot >= 20
band cold
fit profile {
  big: +10 when employees >= 100
}
engagement activity decay half-life 7 days {
  local: +4 on page_view where lead.industry = "software"
  newish: +3 on download where days_since(ts) < 2
}
)";

std::shared_ptr<const Model> compile(const char* text) {
  auto compiled = Model::compile(text, "replay.score");
  for (const auto& d : compiled.diagnostics) INFO(render(d));
  REQUIRE(compiled.model);
  return compiled.model;
}

Lead lead_with(std::mt19937_64& rng, bool versions) {
  Lead lead;
  lead.id = "L1";
  auto attrs = [&](int which) {
    AttributeVersion v;
    v.values = {{"employees", Value::number(which % 2 ? 250 : 40)},
                {"industry", Value::string(which % 3 ? "software" : "retail")}};
    return v;
  };
  if (!versions) {
    lead.versions.push_back(attrs(int(rng() % 6)));
    return lead;
  }
  for (int k = 0; k < 3; ++k) {
    AttributeVersion v = attrs(int(rng() % 6));
    v.valid_from = start + Timestamp(rng() % 60) * day;
    lead.versions.push_back(v);
  }
  return lead;
}

std::vector<Event> random_events(std::mt19937_64& rng, std::size_t n, Timestamp span) {
  static const char* const types[] = {"page_view", "video",    "unsubscribe", "webinar",
                                      "download",  "purchase", "email_click", "other"};
  std::vector<Event> events;
  for (std::size_t i = 0; i < n; ++i) {
    Event e;
    e.type = types[rng() % 8];
    // Coarse times so that equal timestamps and exact window edges occur.
    e.ts = start + Timestamp(rng() % std::uint64_t(span / (day / 8))) * (day / 8);
    if (e.type == "page_view") {
      e.properties = {{"url", Value::string(rng() % 2 ? "/pricing" : "/blog")}};
    } else if (e.type == "video") {
      e.properties = {{"seconds", Value::number(double(rng() % 400) + 0.25)}};
    } else if (e.type == "purchase") {
      e.properties = {{"amount", Value::number(rng() % 3 ? double(rng() % 90) : 12.34)}};
    }
    events.push_back(std::move(e));
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.ts < b.ts; });
  return events;
}

std::vector<TimelineStep> run_timeline(const Model& model, const Lead& lead,
                                       const std::vector<Event>& events, Timestamp end,
                                       TimelineStats* stats = nullptr) {
  Timeline timeline(model, lead, events, end);
  std::vector<TimelineStep> steps;
  while (auto step = timeline.next()) steps.push_back(std::move(*step));
  if (stats) *stats = timeline.stats();
  return steps;
}

void check_same(const std::vector<TimelineStep>& got, const std::vector<TimelineStep>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("step " << i << " at " << format_timestamp(want[i].at));
    CHECK(got[i].kind == want[i].kind);
    CHECK(got[i].at == want[i].at);
    CHECK(got[i].profile == want[i].profile);
    if (want[i].kind == TimelineStep::Kind::event) CHECK(got[i].event == want[i].event);
    CHECK(got[i].score == want[i].score);
    CHECK(got[i].band == want[i].band);
    CHECK(got[i].band_changed == want[i].band_changed);
    CHECK(got[i].previous_band == want[i].previous_band);
    CHECK(got[i].rule_points == want[i].rule_points);
    REQUIRE(got[i].fired.size() == want[i].fired.size());
    for (std::size_t f = 0; f < got[i].fired.size(); ++f) {
      CHECK(got[i].fired[f].rule == want[i].fired[f].rule);
      CHECK(got[i].fired[f].points == want[i].fired[f].points);
    }
  }
}

TEST_CASE("timeline: every step agrees with explaining the prefix (random histories)") {
  auto mixed = compile(mixed_model);
  auto attributes = compile(attribute_model);
  std::mt19937_64 rng(20261204);
  std::uint64_t exact_steps = 0;
  for (int round = 0; round < 60; ++round) {
    const bool versions = round % 3 == 0;
    const Model& model = round % 4 == 3 ? *attributes : *mixed;
    Lead lead = lead_with(rng, versions);
    std::size_t n = 1 + rng() % 150;
    std::vector<Event> events = random_events(rng, n, (10 + Timestamp(rng() % 120)) * day);
    // The end sometimes cuts the history short, sometimes lies well after it.
    Timestamp end = events[rng() % events.size()].ts + Timestamp(rng() % 3) * 20 * day;
    INFO("round " << round << ", " << n << " events");
    auto want = testing::replay_by_prefixes(model, lead, events, end).steps;
    TimelineStats stats;
    check_same(run_timeline(model, lead, events, end, &stats), want);
    exact_steps += stats.exact_steps;
  }
  // The seed is one where some steps land within the error bounds of a boundary, so the
  // exact recomputation is exercised too.
  CHECK(exact_steps > 0);
}

TEST_CASE("timeline: a lead without events has its one profile step") {
  auto mixed = compile(mixed_model);
  std::mt19937_64 rng(7);
  Lead lead = lead_with(rng, false);
  std::vector<Event> none;
  auto want = testing::replay_by_prefixes(*mixed, lead, none, start).steps;
  auto got = run_timeline(*mixed, lead, none, start);
  REQUIRE(got.size() == 1);
  check_same(got, want);
}

// 10^5 events through the mixed model, three years of them. The old prefix algorithm went
// through n(n+1)/2 = 5 * 10^9 events; the timeline must stay within a constant per event.
// The constant is the model's: the stepped rule (20% every 3 days) looks at each of its
// terms once per step period until it weighs under 2^-60, about 190 times, and a rate limit
// with `within` recounts a few matches when its window moves. (Purchase amounts are whole
// here: a `sum(... within D)` of fractional values is re-summed over its window each step.)
TEST_CASE("timeline: work is linear in the number of events (10^5 events)") {
  auto mixed = compile(mixed_model);
  std::mt19937_64 rng(99);
  Lead lead = lead_with(rng, false);
  auto history = [&](std::size_t n) {
    std::vector<Event> events = random_events(rng, n, 3 * 365 * day);
    for (auto& e : events) {
      if (e.type == "purchase") e.properties = {{"amount", Value::number(double(rng() % 90))}};
    }
    return events;
  };
  const std::size_t n = 100'000;
  const std::uint64_t bound_per_event = 50;
  std::vector<Event> events = history(n);
  TimelineStats stats;
  auto steps = run_timeline(*mixed, lead, events, events.back().ts, &stats);
  CHECK(steps.size() == n + 1);
  CHECK(stats.steps == n + 1);
  INFO("fed " << stats.events_fed << ", re-summed " << stats.terms_recomputed << ", exact steps "
              << stats.exact_steps << " over " << stats.exact_step_events << " events");
  CHECK(stats.events_fed <= 4 * n);  // each event reaches the few rules of its type once
  CHECK(stats.work() <= bound_per_event * n);

  // The measure tells the two algorithms apart: the old one is over the bound at 2 000 events.
  const std::size_t small = 2'000;
  std::vector<Event> few = history(small);
  auto old = testing::replay_by_prefixes(*mixed, lead, few, few.back().ts);
  CHECK(old.events_explained > bound_per_event * small);
}

}  // namespace
}  // namespace leadscore
