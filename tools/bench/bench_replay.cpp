// Benchmark of `leadscore replay`'s computation: one lead with many events, its timeline
// computed by leadscore::Timeline (one pass) and, for comparison, by explaining every prefix
// again as replay used to (tests/support/replay_oracle.hpp). Not a test: it prints figures.
//
//   leadscore_bench_replay MODEL [EVENTS=16000] [--old]
//
// With --old the prefix algorithm runs too (quadratic: 16 000 events take seconds, 10^6
// would take hours). Events are spread over three years, a B2B mix of types and properties.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "leadscore/leadscore.hpp"
#include "leadscore/timeline.hpp"
#include "tests/support/replay_oracle.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

leadscore::Lead make_lead() {
  leadscore::Lead lead;
  lead.id = "L1";
  leadscore::AttributeVersion v;
  v.values = {{"employees", leadscore::Value::number(800)},
              {"industry", leadscore::Value::string("energy")},
              {"job_title", leadscore::Value::string("Head of Operations")},
              {"email", leadscore::Value::string("x@plant.example")}};
  lead.versions.push_back(std::move(v));
  return lead;
}

std::vector<leadscore::Event> make_events(std::size_t count, leadscore::Timestamp end) {
  std::mt19937_64 rng(42);
  const char* types[] = {"page_view",   "page_view", "page_view", "email_open",
                         "email_click", "download",  "webinar",   "video_watch"};
  const char* urls[] = {"/pricing", "/docs/start", "/blog/a", "/products/x", "/careers"};
  std::vector<leadscore::Event> events;
  events.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    leadscore::Event e;
    e.type = types[rng() % 8];
    e.ts = end - leadscore::Timestamp(rng() % (3ull * 365 * 86'400'000));
    e.properties = {{"url", leadscore::Value::string(urls[rng() % 5])},
                    {"asset", leadscore::Value::string(rng() % 2 ? "cad" : "manual")},
                    {"seconds", leadscore::Value::number(double(rng() % 600))}};
    events.push_back(std::move(e));
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.ts < b.ts; });
  return events;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: leadscore_bench_replay MODEL [EVENTS=16000] [--old]\n");
    return 2;
  }
  std::size_t count = 16'000;
  bool old = false;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--old") == 0) {
      old = true;
    } else {
      count = std::strtoull(argv[i], nullptr, 10);
    }
  }
  auto compiled = leadscore::Model::compile_file(argv[1]);
  for (const auto& d : compiled.diagnostics) std::fprintf(stderr, "%s", render(d).c_str());
  if (!compiled.model) return 1;
  const leadscore::Timestamp end = 1'780'000'000'000;  // 2026-05-28
  const leadscore::Lead lead = make_lead();
  const std::vector<leadscore::Event> events = make_events(count, end);

  auto start = Clock::now();
  leadscore::Timeline timeline(*compiled.model, lead, events, end);
  std::size_t steps = 0, band_changes = 0;
  while (auto step = timeline.next()) {
    ++steps;
    band_changes += step->band_changed;
  }
  const double one_pass = seconds_since(start);
  const auto& stats = timeline.stats();
  std::printf("%zu events, %zu steps, %zu band changes\n", count, steps, band_changes);
  std::printf(
      "timeline (one pass): %.3f s  (%.2f M events/s; work %llu = %.1f per event, "
      "%llu exact steps)\n",
      one_pass, double(count) / one_pass / 1e6, (unsigned long long)stats.work(),
      double(stats.work()) / double(count), (unsigned long long)stats.exact_steps);
  if (old) {
    start = Clock::now();
    auto result = leadscore::testing::replay_by_prefixes(*compiled.model, lead, events, end);
    const double prefixes = seconds_since(start);
    std::printf("explaining every prefix: %.3f s  (%llu events explained)\n", prefixes,
                (unsigned long long)result.events_explained);
  }
  return 0;
}
