// Benchmark of the in-memory scoring path (no database): how many events a second one core
// streams through a compiled model with a reused Scorer. Not a test: it asserts nothing and
// prints its figures.
//
//   leadscore_bench_evaluator MODEL [LEADS=100000] [EVENTS_PER_LEAD=10] [RUNS=3]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "leadscore/leadscore.hpp"

namespace {

struct SyntheticLead {
  leadscore::Lead lead;
  std::vector<leadscore::Event> events;
};

// Leads that look like the B2B examples: sizes, industries, titles, e-mail domains, and a
// mix of page views, opens, clicks, downloads and webinars over the last half year.
std::vector<SyntheticLead> make_leads(std::size_t count, std::size_t events_per_lead,
                                      leadscore::Timestamp as_of) {
  std::mt19937_64 rng(42);
  const char* industries[] = {"software", "energy", "manufacturing", "retail", "healthcare"};
  const char* titles[] = {"Director of IT", "Student", "VP Sales", "Engineer", "Head of Ops"};
  const char* domains[] = {"gmail.com", "acme.example", "plant.example", "outlook.com"};
  const char* types[] = {"page_view",   "page_view", "page_view", "email_open",
                         "email_click", "download",  "webinar",   "video_watch"};
  const char* urls[] = {"/pricing", "/docs/start", "/blog/a", "/products/x", "/careers"};
  std::vector<SyntheticLead> leads(count);
  for (auto& l : leads) {
    leadscore::AttributeVersion v;
    v.values = {{"employees", leadscore::Value::number(double(rng() % 5000))},
                {"industry", leadscore::Value::string(industries[rng() % 5])},
                {"job_title", leadscore::Value::string(titles[rng() % 5])},
                {"email", leadscore::Value::string(std::string("x@") + domains[rng() % 4])}};
    l.lead.versions.push_back(std::move(v));
    for (std::size_t i = 0; i < events_per_lead; ++i) {
      leadscore::Event e;
      e.type = types[rng() % 8];
      e.ts = as_of - leadscore::Timestamp(rng() % (180ull * 86'400'000));
      e.properties = {{"url", leadscore::Value::string(urls[rng() % 5])},
                      {"asset", leadscore::Value::string(rng() % 2 ? "cad" : "manual")},
                      {"seconds", leadscore::Value::number(double(rng() % 600))}};
      l.events.push_back(std::move(e));
    }
    std::stable_sort(l.events.begin(), l.events.end(),
                     [](const auto& a, const auto& b) { return a.ts < b.ts; });
  }
  return leads;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s MODEL [LEADS] [EVENTS_PER_LEAD] [RUNS]\n", argv[0]);
    return 2;
  }
  std::size_t leads = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 100'000;
  std::size_t per_lead = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 10;
  int runs = argc > 4 ? std::atoi(argv[4]) : 3;
  auto compiled = leadscore::Model::compile_file(argv[1]);
  for (const auto& d : compiled.diagnostics) std::fputs(leadscore::render(d).c_str(), stderr);
  if (!compiled.model) return 1;

  const leadscore::Timestamp as_of = *leadscore::parse_timestamp("2026-06-30");
  auto data = make_leads(leads, per_lead, as_of);
  leadscore::Scorer scorer(compiled.model);
  std::vector<double> rates;
  double checksum = 0;
  for (int run = 0; run < runs; ++run) {
    auto start = std::chrono::steady_clock::now();
    for (const auto& l : data) {
      scorer.begin(l.lead, as_of);
      for (const auto& e : l.events) scorer.add(e);
      checksum += scorer.finish().score;
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rates.push_back(double(leads * per_lead) / seconds);
    std::printf("run %d: %zu leads, %zu events in %.3f s = %.0f events/s\n", run + 1, leads,
                leads * per_lead, seconds, rates.back());
  }
  std::sort(rates.begin(), rates.end());
  std::printf("median: %.0f events/s (%.0f leads/s); checksum %.2f\n", rates[rates.size() / 2],
              rates[rates.size() / 2] / double(per_lead), checksum);
  return 0;
}
