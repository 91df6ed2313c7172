// `leadscore fmt` on ~1 500 generated models (tests/support/model_generator.hpp), whose line
// breaks and `# leadscore: ignore` comments sit in places no hand-written model has them:
// formatting is idempotent, compiles to the same program, and reports the same warnings.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "leadscore/leadscore.hpp"
#include "tests/support/model_generator.hpp"

namespace {

// The warnings as a sorted list of "CODE subject", where the subject is the first name quoted in
// the message (the rule, list, band or name the warning is about). Positions and the source
// text a message quotes change with the layout; which warnings are reported must not.
std::vector<std::string> warning_set(const std::vector<leadscore::Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) {
    const std::size_t open = d.message.find('`');
    const std::size_t close = open == std::string::npos ? open : d.message.find('`', open + 1);
    out.push_back(
        d.code + " " +
        (close == std::string::npos ? d.message : d.message.substr(open, close - open + 1)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_SUITE("formatter") {
  TEST_CASE("an ignore comment silences only the rule it follows, so fmt cannot change it") {
    // Rule `a` ends on the line of rule `b`, whose comment silences LS012. That comment belongs
    // to `b`: `a`'s LS012 is reported, before formatting (which moves `b` to a line of its own)
    // and after it.
    const std::string text =
        "model \"m\"\nfit g cap 9 {\n"
        "  a: +(x) when x > 1 cap 68 b: +1 when y > 2  # leadscore: ignore LS012\n}\n";
    leadscore::CompileOptions lint;
    lint.lint = true;
    const auto before = leadscore::Model::compile(text, "m.score", lint);
    const leadscore::FormatResult formatted = leadscore::format_model(text, "m.score");
    REQUIRE(formatted.diagnostics.empty());
    const auto after = leadscore::Model::compile(formatted.text, "m.score", lint);
    CHECK(warning_set(before.diagnostics) == std::vector<std::string>{"LS012 `a`"});
    CHECK(warning_set(after.diagnostics) == warning_set(before.diagnostics));

    // Written after `a` itself, the same comment silences it, formatted or not.
    const std::string own =
        "model \"m\"\nfit g cap 9 {\n"
        "  a: +(x) when x > 1 cap 68  # leadscore: ignore LS012\n"
        "  b: +1 when y > 2\n}\n";
    CHECK(leadscore::Model::compile(own, "m.score", lint).diagnostics.empty());
    const std::string own_formatted = leadscore::format_model(own, "m.score").text;
    CHECK(leadscore::Model::compile(own_formatted, "m.score", lint).diagnostics.empty());
  }

  TEST_CASE("generated models: fmt is idempotent, keeps the fingerprint and the lint warnings") {
    leadscore::CompileOptions lint;
    lint.lint = true;
    unsigned formatted = 0, compiled = 0, with_warnings = 0;
    for (std::uint64_t seed = 0; seed < 1500; ++seed) {
      leadscore::testing::SeededChoices choices(seed);
      const std::string text = leadscore::testing::generate_model(choices);
      const leadscore::FormatResult once = leadscore::format_model(text, "gen.score");
      if (!once.diagnostics.empty()) continue;
      ++formatted;
      INFO("seed " << seed << ", model:\n" << text << "\nformatted:\n" << once.text);
      const leadscore::FormatResult twice = leadscore::format_model(once.text, "gen.score");
      CHECK(twice.text == once.text);

      const auto before = leadscore::Model::compile(text, "gen.score", lint);
      const auto after = leadscore::Model::compile(once.text, "gen.score", lint);
      REQUIRE((before.model == nullptr) == (after.model == nullptr));
      if (before.model) {
        ++compiled;
        CHECK(after.model->fingerprint() == before.model->fingerprint());
      }
      const auto warnings = warning_set(before.diagnostics);
      with_warnings += !warnings.empty();
      CHECK(warning_set(after.diagnostics) == warnings);
    }
    MESSAGE(formatted << " of 1500 generated models formatted, " << compiled << " compile, "
                      << with_warnings << " have diagnostics");
    CHECK(formatted >= 1300);
    CHECK(compiled >= 1300);
    CHECK(with_warnings >= 500);
  }
}
