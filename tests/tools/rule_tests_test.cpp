#include "tools/cli/rule_tests.hpp"
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using leadscore::Value;
using leadscore::cli::CaseResult;
using leadscore::cli::RuleTestRunner;
using leadscore::cli::TestFileResult;

namespace {

using leadscore::testing::TempDir;

// Scores 10 for 100+ employees and 2 per page view: 12 for the lead the tests use.
const char* const tiny_model = R"(model "tiny"
band hot >= 10 "Hot"
band cold
fit profile {
  big: +10 when employees >= 100
}
engagement activity {
  visit: +2 on page_view
}
)";

Value plain_or_quoted(const std::string& yaml) {
  return leadscore::cli::scalar_value(YAML::Load(yaml));
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& line : lines) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_SUITE("rule_tests") {
  TEST_CASE("a quoted scalar is a string, a plain one is typed") {
    const YAML::Node lead = YAML::Load(
        "{quoted: \"800\", plain: 800, single: '12.5', neg: -1.5, exp: 1e3, half: .5, "
        "tilde: ~, null_word: null, empty: , yes: true, no: FALSE, quoted_bool: \"true\", "
        "date: 2026-06-29, word: energy, mixed: 12abc, under: 1_000, quoted_null: \"null\"}");
    auto value = [&](const char* key) { return leadscore::cli::scalar_value(lead[key]); };
    CHECK(value("quoted").kind() == Value::Kind::string);
    CHECK(value("quoted").as_string() == "800");
    CHECK(value("plain").kind() == Value::Kind::number);
    CHECK(value("plain").as_number() == 800);
    CHECK(value("single").kind() == Value::Kind::string);
    CHECK(value("neg").as_number() == -1.5);
    CHECK(value("exp").as_number() == 1000);
    CHECK(value("half").as_number() == 0.5);
    CHECK(value("tilde").kind() == Value::Kind::missing);
    CHECK(value("null_word").kind() == Value::Kind::missing);
    CHECK(value("empty").kind() == Value::Kind::missing);
    CHECK(value("yes").kind() == Value::Kind::boolean);
    CHECK(value("yes").as_boolean());
    CHECK(value("no").kind() == Value::Kind::boolean);
    CHECK_FALSE(value("no").as_boolean());
    CHECK(value("quoted_bool").kind() == Value::Kind::string);
    CHECK(value("date").kind() == Value::Kind::string);
    CHECK(value("date").as_string() == "2026-06-29");
    CHECK(value("word").as_string() == "energy");
    CHECK(value("mixed").kind() == Value::Kind::string);
    CHECK(value("under").kind() == Value::Kind::string);
    CHECK(value("quoted_null").kind() == Value::Kind::string);
    CHECK(plain_or_quoted("+7").as_number() == 7);
    CHECK(plain_or_quoted("'7'").kind() == Value::Kind::string);
  }

  TEST_CASE("numbers agree within 0.01") {
    using leadscore::cli::within_tolerance;
    CHECK(within_tolerance(10.86, 10.86));
    CHECK(within_tolerance(10.86, 10.87));
    CHECK(within_tolerance(10.86, 10.85));
    CHECK(within_tolerance(0, -0.01));
    CHECK(within_tolerance(4.89, 4.8949));
    CHECK_FALSE(within_tolerance(10.86, 10.8711));
    CHECK_FALSE(within_tolerance(10.86, 10.9));
    CHECK_FALSE(within_tolerance(-5, -5.02));
  }

  TEST_CASE("the closing line") {
    CHECK(leadscore::cli::summary_line(3, 0) == "3 passed, 0 failed");
    CHECK(leadscore::cli::summary_line(1, 1) == "1 passed, 1 failed");
  }

  TEST_CASE("directories are searched recursively for *.test.yaml, sorted") {
    TempDir dir;
    dir.write("b.test.yaml", "");
    dir.write("a/z.test.yaml", "");
    dir.write("a/notes.yaml", "");
    dir.write("c.test.yml", "");
    const auto files = leadscore::cli::find_test_files(dir.path);
    REQUIRE(files.size() == 2);
    CHECK(files[0] == dir.path / "a/z.test.yaml");
    CHECK(files[1] == dir.path / "b.test.yaml");
    // A file is taken as given, whatever its name.
    CHECK(leadscore::cli::find_test_files(dir.path / "c.test.yml").size() == 1);
  }

  TEST_CASE("one passing and one failing case") {
    TempDir dir;
    dir.write("models/tiny.score", tiny_model);
    const fs::path tests = dir.write("cases.test.yaml", R"(model: models/tiny.score
as_of: 2026-06-30T00:00:00Z
cases:
  - name: big company that visited
    lead: {employees: 800, industry: energy}
    events:
      - {type: page_view, at: 2026-06-29, url: /pricing}
    expect:
      score: 12.005
      band: hot
      groups: {profile: 10, activity: 2}
      rules: {big: 10, visit: 2}
  - name: quoted employees is text
    as_of: 2026-07-01
    lead: {employees: "800"}
    expect:
      score: 10
      band: hot
      rules: {visit: 0}
)");
    RuleTestRunner runner;
    const TestFileResult result = runner.run_file(tests);
    CHECK(result.problems.empty());
    REQUIRE(result.cases.size() == 2);
    const CaseResult& pass = result.cases[0];
    CHECK(pass.name == "big company that visited");
    CHECK(pass.passed());
    REQUIRE(pass.actual.has_value());
    CHECK(pass.actual->score == doctest::Approx(12));

    const CaseResult& fail = result.cases[1];
    CHECK_FALSE(fail.passed());
    CHECK(fail.problems.empty());
    REQUIRE(fail.mismatches.size() == 2);  // rules.visit matches: 0 == 0
    CHECK(fail.mismatches[0].key == "score");
    CHECK(fail.mismatches[0].expected == "10");
    CHECK(fail.mismatches[0].actual == "0");
    CHECK(fail.mismatches[1].key == "band");
    CHECK(fail.mismatches[1].expected == "hot");
    CHECK(fail.mismatches[1].actual == "cold");

    CHECK(result.passed() == 1);
    CHECK(result.failed() == 1);
    CHECK(leadscore::cli::summary_line(result.passed(), result.failed()) == "1 passed, 1 failed");
  }

  TEST_CASE("mistakes in a case are reported at their line and fail the case") {
    TempDir dir;
    dir.write("tiny.score", tiny_model);
    const fs::path tests = dir.write("t.test.yaml", R"(model: tiny.score
as_of: 2026-06-30
cases:
  - name: bad time
    events:
      - {type: page_view, at: yesterday}
  - name: unknown names
    lead: {employees: 5}
    expect:
      scor: 1
      rules: {bigg: 1}
      groups: {profil: 0}
  - name: no type
    events:
      - {at: 2026-06-01}
)");
    RuleTestRunner runner;
    const TestFileResult result = runner.run_file(tests);
    REQUIRE(result.cases.size() == 3);
    const std::string file = tests.string();

    CHECK_FALSE(result.cases[0].passed());
    CHECK(mentions(result.cases[0].problems,
                   file + ":6:31: `at` is not a date or RFC 3339 time: \"yesterday\""));
    CHECK_FALSE(result.cases[0].actual.has_value());

    const CaseResult& names = result.cases[1];
    CHECK_FALSE(names.passed());
    CHECK(mentions(names.problems, file + ":10:7: unknown key `scor` in expect"));
    CHECK(mentions(names.problems, file + ":11:15: the model has no rule `bigg`"));
    CHECK(mentions(names.problems, file + ":12:16: the model has no group `profil`"));
    CHECK(names.actual.has_value());  // the inputs were fine, so the actual result is shown

    CHECK(mentions(result.cases[2].problems, file + ":15:9: the event has no `type`"));
    CHECK(result.failed() == 3);
  }

  TEST_CASE("a broken YAML file is one failure") {
    TempDir dir;
    const fs::path tests = dir.write("broken.test.yaml", "model: tiny.score\ncases: [\n");
    RuleTestRunner runner;
    const TestFileResult result = runner.run_file(tests);
    CHECK(result.cases.empty());
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].rfind(tests.string() + ":3:", 0) == 0);
    CHECK(result.problems[0].find("not valid YAML") != std::string::npos);
    CHECK(result.passed() == 0);
    CHECK(result.failed() == 1);
  }

  TEST_CASE("a missing model fails every case") {
    TempDir dir;
    const fs::path tests = dir.write("t.test.yaml", R"(model: nowhere.score
as_of: 2026-06-30
cases:
  - name: one
  - name: two
)");
    RuleTestRunner runner;
    const TestFileResult result = runner.run_file(tests);
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].find(tests.string() + ":1:8: model file `nowhere.score` not found") ==
          0);
    CHECK(result.cases.size() == 2);
    CHECK(result.failed() == 2);
  }

  TEST_CASE("unknown top-level keys and a missing as-of time are reported") {
    TempDir dir;
    dir.write("tiny.score", tiny_model);
    RuleTestRunner runner;
    const TestFileResult typo =
        runner.run_file(dir.write("a.test.yaml", "model: tiny.score\ncase: []\n"));
    CHECK(mentions(typo.problems, ":2:1: unknown key `case`"));
    CHECK(typo.failed() == 1);

    const TestFileResult no_time =
        runner.run_file(dir.write("b.test.yaml", "model: tiny.score\ncases:\n  - name: x\n"));
    REQUIRE(no_time.cases.size() == 1);
    CHECK(mentions(no_time.cases[0].problems, ":3:5: no as-of time"));
  }

#ifdef LEADSCORE_CLI
  TEST_CASE("leadscore test ends with the tally and fails when a case fails") {
    TempDir dir;
    dir.write("tiny.score", tiny_model);
    dir.write("suite/t.test.yaml", R"(model: ../tiny.score
as_of: 2026-06-30
cases:
  - name: passes
    lead: {employees: 800}
    expect: {score: 10, band: hot}
  - name: fails
    lead: {employees: 5}
    expect: {score: 10}
)");
    const std::string command =
        std::string("\"") + LEADSCORE_CLI + "\" test \"" + dir.path.string() + "\" 2>/dev/null";
    auto [exit_code, out] = leadscore::testing::run_command(command);
    CHECK(exit_code == 1);
    CHECK(out.find("FAIL " + (dir.path / "suite/t.test.yaml").string() + ": fails\n") !=
          std::string::npos);
    CHECK(out.find("  score: expected 10, got 0\n") != std::string::npos);
    CHECK(out.find(": passes\n") == std::string::npos);  // quiet without --verbose
    const std::string last_line = "1 passed, 1 failed\n";
    REQUIRE(out.size() >= last_line.size());
    CHECK(out.substr(out.size() - last_line.size()) == last_line);
    CHECK((out.size() == last_line.size() || out[out.size() - last_line.size() - 1] == '\n'));
  }
#endif
}
