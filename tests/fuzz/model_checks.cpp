#include "tests/fuzz/model_checks.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "leadscore/leadscore.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace leadscore::fuzz {
namespace {

constexpr Timestamp kAsOf = 1'782'777'600'000;  // 2026-06-30T00:00:00Z
constexpr Timestamp kDay = 86'400'000;

// Attribute and property names the example models and the generator use, with values of every
// kind, so that conditions run on present data and not only on missing values.
Lead sample_lead() {
  Lead lead;
  lead.id = "L1";
  lead.versions.push_back({std::nullopt,
                           {{"employees", Value::number(800)},
                            {"industry", Value::string("energy")},
                            {"job_title", Value::string("Head of Operations")},
                            {"email", Value::string("ann@example.com")},
                            {"country", Value::string("Germany")},
                            {"budget", Value::string("Approved")},
                            {"existing_customer", Value::boolean(true)},
                            {"created", Value::timestamp(kAsOf - 40 * kDay)}}});
  return lead;
}

// Newest first: Model::evaluate sorts them, the streaming check adds them oldest first.
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

bool has_error(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::error; });
}

// Error codes in sorted order: formatting moves errors to other lines and columns, so only
// which errors there are can be compared.
std::vector<std::string> error_codes(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> codes;
  for (const auto& d : diagnostics) {
    if (d.severity == Severity::error) codes.push_back(d.code);
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

bool same_number(double a, double b) {
  return a == b || (a != a && b != b);  // NaN equals NaN here
}

}  // namespace

bool check_compile(std::string_view source, bool lint) {
  CompileOptions options;
  options.lint = lint;
  const CompileResult result = Model::compile(source, "fuzz.score", options);
  for (const auto& d : result.diagnostics) (void)render(d);
  if (!result.model) {
    FUZZ_CHECK(has_error(result.diagnostics), "a model was refused without an error");
    return false;
  }
  const Model& model = *result.model;
  (void)model.disassemble();

  static const Lead lead = sample_lead();
  static const std::vector<Event> events = sample_events();
  const Score score = model.evaluate(lead, events, kAsOf);
  FUZZ_CHECK(score.rules.size() == model.rule_names().size(), "a rule is missing from the score");
  Scorer scorer(result.model);
  scorer.begin(lead, kAsOf);
  for (auto it = events.rbegin(); it != events.rend(); ++it) scorer.add(*it);
  const Score streamed = scorer.finish();
  FUZZ_CHECK(streamed.band == score.band, "streaming and batch scoring disagree on the band");
  FUZZ_CHECK(same_number(streamed.score, score.score),
             "streaming and batch scoring disagree on the score");
  return true;
}

void check_format(std::string_view source) {
  const FormatResult once = format_model(source, "fuzz.score");
  const CompileResult original = Model::compile(source, "fuzz.score");
  if (has_error(once.diagnostics)) {
    FUZZ_CHECK(!original.model, "fmt refused a model that compiles");
    return;
  }

  const FormatResult twice = format_model(once.text, "fuzz.score");
  FUZZ_CHECK(!has_error(twice.diagnostics), "fmt's output does not parse");
  FUZZ_CHECK(twice.text == once.text, "formatting a formatted model changed it");

  const CompileResult formatted = Model::compile(once.text, "fuzz.score");
  FUZZ_CHECK(bool(original.model) == bool(formatted.model),
             "formatting changed whether the model compiles");
  if (original.model) {
    FUZZ_CHECK(original.model->fingerprint() == formatted.model->fingerprint(),
               "formatting changed the compiled model");
  } else {
    FUZZ_CHECK(error_codes(original.diagnostics) == error_codes(formatted.diagnostics),
               "formatting changed the model's errors");
  }
}

ValidShare::~ValidShare() {
  if (inputs_ == 0) return;
  std::fprintf(stderr, "%s: %zu of %zu inputs were valid models (%.1f %%)\n", what_, valid_,
               inputs_, 100.0 * double(valid_) / double(inputs_));
}

}  // namespace leadscore::fuzz
