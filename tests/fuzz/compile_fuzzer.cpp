// Fuzzes the model compiler with arbitrary bytes as the source text. The library promises to
// report every mistake as a diagnostic and never to throw or crash, so any exception other
// than std::bad_alloc escapes and fails the run. A model that compiles is also disassembled
// and scores a small fixed lead, so the VM runs on whatever the compiler accepted.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/leadscore.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using leadscore::Event;
using leadscore::Lead;
using leadscore::Value;

constexpr leadscore::Timestamp kAsOf = 1'782'777'600'000;  // 2026-06-30T00:00:00Z
constexpr leadscore::Timestamp kDay = 86'400'000;

// Attribute and property names the example models use, with values of every kind, so that
// conditions are evaluated on present data and not only on missing values.
Lead sample_lead() {
  Lead lead;
  lead.id = "L1";
  lead.versions.push_back({std::nullopt,
                           {{"employees", Value::number(800)},
                            {"industry", Value::string("energy")},
                            {"job_title", Value::string("Head of Operations")},
                            {"email", Value::string("ann@example.com")},
                            {"budget", Value::string("Approved")},
                            {"existing_customer", Value::boolean(true)},
                            {"created", Value::timestamp(kAsOf - 40 * kDay)}}});
  return lead;
}

std::vector<Event> sample_events() {
  std::vector<Event> events;
  const char* types[] = {"page_view", "email_open", "webinar", "download", "unsubscribe"};
  for (int i = 0; i < 12; ++i) {
    Event e;
    e.type = types[i % 5];
    e.ts = kAsOf - (i * 3 + 1) * kDay;
    e.properties = {{"url", Value::string(i % 2 ? "/pricing" : "/blog")},
                    {"minutes", Value::number(i * 7)},
                    {"seconds", Value::number(i * 60)}};
    events.push_back(e);
  }
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  leadscore::CompileOptions options;
  // Half the inputs also go through the reviewer's checks (lint), chosen by the first byte so
  // that one input always takes the same path.
  options.lint = size > 0 && (data[0] & 1);
  const leadscore::CompileResult result = leadscore::Model::compile(source, "fuzz.score", options);
  if (!result.model) {
    bool has_error = false;
    for (const auto& d : result.diagnostics) {
      has_error = has_error || d.severity == leadscore::Severity::error;
    }
    FUZZ_CHECK(has_error, "a model was refused without an error diagnostic");
    return 0;
  }
  const auto& model = *result.model;
  (void)model.disassemble();
  FUZZ_CHECK(model.fingerprint() == model.fingerprint(), "the fingerprint is not stable");

  static const Lead lead = sample_lead();
  static const std::vector<Event> events = sample_events();
  const leadscore::Score score = model.evaluate(lead, events, kAsOf);
  FUZZ_CHECK(score.rules.size() == model.rule_names().size(), "a rule is missing from the score");
  // The streaming scorer must agree with the batch evaluation (events are already sorted by
  // time, newest first, so add them oldest first).
  leadscore::Scorer scorer(result.model);
  scorer.begin(lead, kAsOf);
  for (auto it = events.rbegin(); it != events.rend(); ++it) scorer.add(*it);
  const leadscore::Score streamed = scorer.finish();
  FUZZ_CHECK(streamed.band == score.band, "streaming and batch scoring disagree on the band");
  FUZZ_CHECK(streamed.score == score.score ||
                 (streamed.score != streamed.score && score.score != score.score),
             "streaming and batch scoring disagree on the score");
  return 0;
}
