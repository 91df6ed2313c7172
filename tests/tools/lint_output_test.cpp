#include "tools/cli/lint_output.hpp"
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using leadscore::Diagnostic;
using leadscore::Severity;
using leadscore::cli::LintCounts;
using leadscore::cli::LintedFile;
using leadscore::cli::LintFormat;
using leadscore::cli::LintOutputContext;
using nlohmann::json;

namespace {

Diagnostic diagnostic(Severity severity, std::string code, std::string message, std::string file,
                      std::uint32_t line, std::uint32_t column, std::uint32_t length,
                      std::string source_line, std::string hint) {
  Diagnostic d;
  d.severity = severity;
  d.code = std::move(code);
  d.message = std::move(message);
  d.where = {std::move(file), line, column, length};
  d.source_line = std::move(source_line);
  d.hint = std::move(hint);
  return d;
}

// An error, a warning with a hint, a clean file, a file-level error, and a message with `%`,
// `,` and a newline in a file whose name has `,` and `:`.
std::vector<LintedFile> sample() {
  const std::string odd = "rules/b,c:d.score";
  return {
      {"rules/a.score",
       {diagnostic(Severity::error, "LS100", "expected an expression", "rules/a.score", 3, 5, 2,
                   "  a: +1 when", ""),
        diagnostic(Severity::warning, "LS001", "attribute `employes` appears only here",
                   "rules/a.score", 7, 17, 8, "    typo: +1 when employes >= 5",
                   "did you mean `employees`?")}},
      {"rules/clean.score", {}},
      {odd,
       {diagnostic(Severity::error, "LS108", "cannot read model file", odd, 0, 0, 1, "", ""),
        diagnostic(Severity::warning, "LS006", "50% of leads, or more\nread `ts`", odd, 2, 1, 2,
                   "ts", "")}},
  };
}

const LintOutputContext context{"9.8.7", "/repo"};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::set<std::string> keys_of(const json& object) {
  std::set<std::string> keys;
  for (const auto& item : object.items()) keys.insert(item.key());
  return keys;
}

// The properties that the SARIF 2.1.0 schema requires on every object the output uses, with
// their types, plus what GitHub code scanning relies on (ruleId, a location with a URI).
void check_sarif_required(const json& log) {
  REQUIRE(log.is_object());
  CHECK(log.at("$schema") == "https://json.schemastore.org/sarif-2.1.0.json");
  REQUIRE(log.contains("version"));
  CHECK(log.at("version") == "2.1.0");
  REQUIRE(log.contains("runs"));
  REQUIRE(log.at("runs").is_array());
  for (const auto& run : log.at("runs")) {
    REQUIRE(run.is_object());
    // run: requires tool; tool: requires driver; toolComponent: requires name.
    REQUIRE(run.contains("tool"));
    REQUIRE(run.at("tool").contains("driver"));
    const json& driver = run.at("tool").at("driver");
    REQUIRE(driver.contains("name"));
    CHECK(driver.at("name").is_string());
    CHECK(driver.at("version").is_string());
    if (run.contains("columnKind")) {
      CHECK((run.at("columnKind") == "unicodeCodePoints" ||
             run.at("columnKind") == "utf16CodeUnits"));
    }
    REQUIRE(driver.at("rules").is_array());
    const json& rules = driver.at("rules");
    std::set<std::string> ids;
    for (const auto& rule : rules) {
      // reportingDescriptor: requires id; multiformatMessageString: requires text.
      REQUIRE(rule.contains("id"));
      REQUIRE(rule.at("id").is_string());
      CHECK(ids.insert(rule.at("id").get<std::string>()).second);
      REQUIRE(rule.at("shortDescription").contains("text"));
      CHECK(rule.at("shortDescription").at("text").is_string());
      CHECK(rule.at("help").at("text").is_string());
      const json& level = rule.at("defaultConfiguration").at("level");
      CHECK((level == "error" || level == "warning" || level == "note"));
    }
    REQUIRE(run.at("results").is_array());
    for (const auto& result : run.at("results")) {
      // result: requires message; message: text (or id, which we do not use).
      REQUIRE(result.contains("message"));
      REQUIRE(result.at("message").contains("text"));
      CHECK(result.at("message").at("text").is_string());
      REQUIRE(result.at("ruleId").is_string());
      REQUIRE(result.at("ruleIndex").is_number_integer());
      const auto index = result.at("ruleIndex").get<long long>();
      REQUIRE(index >= 0);
      REQUIRE(index < static_cast<long long>(rules.size()));
      CHECK(rules.at(index).at("id") == result.at("ruleId"));
      const json& level = result.at("level");
      CHECK((level == "error" || level == "warning" || level == "note" || level == "none"));
      REQUIRE(result.at("locations").is_array());
      REQUIRE(result.at("locations").size() == 1);
      for (const auto& location : result.at("locations")) {
        REQUIRE(location.contains("physicalLocation"));
        const json& physical = location.at("physicalLocation");
        REQUIRE(physical.contains("artifactLocation"));
        REQUIRE(physical.at("artifactLocation").contains("uri"));
        const std::string uri = physical.at("artifactLocation").at("uri").get<std::string>();
        CHECK(!uri.empty());
        CHECK(uri.find('\\') == std::string::npos);
        if (physical.contains("region")) {
          const json& region = physical.at("region");
          REQUIRE(region.at("startLine").is_number_integer());
          CHECK(region.at("startLine").get<long long>() >= 1);
          if (region.contains("startColumn")) {
            REQUIRE(region.at("startColumn").is_number_integer());
            REQUIRE(region.at("endColumn").is_number_integer());
            CHECK(region.at("startColumn").get<long long>() >= 1);
            CHECK(region.at("endColumn").get<long long>() >=
                  region.at("startColumn").get<long long>());
          }
        }
      }
    }
  }
}

}  // namespace

TEST_SUITE("lint_output") {
  TEST_CASE("the format names") {
    CHECK(leadscore::cli::parse_lint_format("text") == LintFormat::text);
    CHECK(leadscore::cli::parse_lint_format("json") == LintFormat::json);
    CHECK(leadscore::cli::parse_lint_format("sarif") == LintFormat::sarif);
    CHECK(leadscore::cli::parse_lint_format("github") == LintFormat::github);
    CHECK_FALSE(leadscore::cli::parse_lint_format("SARIF"));
    CHECK_FALSE(leadscore::cli::parse_lint_format(""));
    CHECK_FALSE(leadscore::cli::parse_lint_format("xml"));
  }

  TEST_CASE("counts and the summary line") {
    const LintCounts counts = leadscore::cli::count_diagnostics(sample());
    CHECK(counts.errors == 2);
    CHECK(counts.warnings == 2);
    CHECK(counts.files == 3);
    CHECK(leadscore::cli::lint_summary(counts) == "2 errors, 2 warnings in 3 files");
    CHECK(leadscore::cli::lint_summary({1, 1, 1}) == "1 error, 1 warning in 1 file");
    CHECK(leadscore::cli::lint_summary({}) == "0 errors, 0 warnings in 0 files");

    std::vector<LintedFile> with_note = {{"n.score", {}}};
    with_note[0].diagnostics.push_back(
        diagnostic(Severity::note, "LS001", "a note", "n.score", 1, 1, 1, "x", ""));
    const LintCounts notes = leadscore::cli::count_diagnostics(with_note);
    CHECK(notes.errors == 0);
    CHECK(notes.warnings == 0);
  }

  TEST_CASE("the exit code from the counts, --werror and I/O problems") {
    using leadscore::cli::lint_exit_code;
    const LintCounts clean{0, 0, 2}, warned{0, 3, 2}, failed{1, 0, 2}, both{2, 1, 2};
    for (bool werror : {false, true}) {
      CAPTURE(werror);
      CHECK(lint_exit_code(clean, werror, false) == 0);
      CHECK(lint_exit_code(failed, werror, false) == 1);
      CHECK(lint_exit_code(both, werror, false) == 1);
      // An unreadable input wins over everything else.
      CHECK(lint_exit_code(clean, werror, true) == 2);
      CHECK(lint_exit_code(warned, werror, true) == 2);
      CHECK(lint_exit_code(failed, werror, true) == 2);
      CHECK(lint_exit_code(both, werror, true) == 2);
    }
    CHECK(lint_exit_code(warned, false, false) == 0);
    CHECK(lint_exit_code(warned, true, false) == 1);
    CHECK(lint_exit_code({0, 0, 0}, true, false) == 0);
  }

  TEST_CASE("text is what a compiler prints") {
    const std::string text = leadscore::cli::format_lint_text(sample());
    CHECK(text ==
          "rules/a.score:3:5: error: expected an expression [LS100]\n"
          "    a: +1 when\n"
          "      ^~\n"
          "rules/a.score:7:17: warning: attribute `employes` appears only here [LS001]\n"
          "      typo: +1 when employes >= 5\n"
          "                  ^~~~~~~~\n"
          "  hint: did you mean `employees`?\n"
          "rules/b,c:d.score: error: cannot read model file [LS108]\n"
          "rules/b,c:d.score:2:1: warning: 50% of leads, or more\n"
          "read `ts` [LS006]\n"
          "  ts\n"
          "  ^~\n");
    CHECK(leadscore::cli::format_lint_text({}).empty());
    CHECK(leadscore::cli::format_lint_text({{"clean.score", {}}}).empty());
  }

  TEST_CASE("json has exactly the documented keys") {
    const json document = json::parse(leadscore::cli::format_lint_json(sample()));
    CHECK(keys_of(document) == std::set<std::string>{"version", "files", "summary"});
    CHECK(document.at("version") == 1);
    CHECK(document.at("summary") == json{{"errors", 2}, {"warnings", 2}, {"files", 3}});
    const json& files = document.at("files");
    REQUIRE(files.is_array());
    REQUIRE(files.size() == 3);
    const std::set<std::string> diagnostic_keys{"severity", "code",   "message", "line",
                                                "column",   "length", "hint"};
    for (const auto& file : files) {
      CHECK(keys_of(file) == std::set<std::string>{"file", "diagnostics"});
      REQUIRE(file.at("diagnostics").is_array());
      for (const auto& d : file.at("diagnostics")) CHECK(keys_of(d) == diagnostic_keys);
    }
    CHECK(files[0].at("file") == "rules/a.score");
    CHECK(files[1].at("file") == "rules/clean.score");
    CHECK(files[1].at("diagnostics").empty());
    CHECK(files[2].at("file") == "rules/b,c:d.score");

    CHECK(files[0].at("diagnostics")[0] == json{{"severity", "error"},
                                                {"code", "LS100"},
                                                {"message", "expected an expression"},
                                                {"line", 3},
                                                {"column", 5},
                                                {"length", 2},
                                                {"hint", ""}});
    CHECK(files[0].at("diagnostics")[1].at("severity") == "warning");
    CHECK(files[0].at("diagnostics")[1].at("hint") == "did you mean `employees`?");
    // A diagnostic about the whole file: line, column and length 0.
    const json& whole = files[2].at("diagnostics")[0];
    CHECK(whole.at("line") == 0);
    CHECK(whole.at("column") == 0);
    CHECK(whole.at("length") == 0);
    CHECK(files[2].at("diagnostics")[1].at("message") == "50% of leads, or more\nread `ts`");

    // The keys come in the documented order, so the text reads the same every time.
    const std::string text = leadscore::cli::format_lint_json(sample());
    CHECK(text.find("\"version\"") < text.find("\"files\""));
    CHECK(text.find("\"files\"") < text.find("\"summary\""));
    CHECK(text.find("\"severity\"") < text.find("\"hint\""));
    CHECK(text.back() == '\n');

    const json empty = json::parse(leadscore::cli::format_lint_json({}));
    CHECK(empty.at("files") == json::array());
    CHECK(empty.at("summary") == json{{"errors", 0}, {"warnings", 0}, {"files", 0}});
  }

  TEST_CASE("sarif has the fields the 2.1.0 schema requires") {
    const json log = json::parse(leadscore::cli::format_lint_sarif(sample(), context));
    check_sarif_required(log);
    REQUIRE(log.at("runs").size() == 1);
    const json& run = log.at("runs")[0];
    const json& driver = run.at("tool").at("driver");
    CHECK(driver.at("name") == "leadscore");
    CHECK(driver.at("version") == "9.8.7");

    // Only the codes that occur, sorted, with the severity and summary from the code table.
    const json& rules = driver.at("rules");
    REQUIRE(rules.size() == 4);
    CHECK(rules[0].at("id") == "LS001");
    CHECK(rules[1].at("id") == "LS006");
    CHECK(rules[2].at("id") == "LS100");
    CHECK(rules[3].at("id") == "LS108");
    CHECK(rules[0].at("defaultConfiguration").at("level") == "warning");
    CHECK(rules[2].at("defaultConfiguration").at("level") == "error");
    for (const auto& info : leadscore::diagnostic_codes()) {
      if (std::string(info.code) == "LS001") {
        CHECK(rules[0].at("shortDescription").at("text") == info.summary);
      }
    }
    CHECK(rules[0].at("help").at("text").get<std::string>().find("dsl/LANGUAGE.md") !=
          std::string::npos);

    const json& results = run.at("results");
    REQUIRE(results.size() == 4);
    CHECK(results[0].at("ruleId") == "LS100");
    CHECK(results[0].at("ruleIndex") == 2);
    CHECK(results[0].at("level") == "error");
    CHECK(results[0].at("message").at("text") == "expected an expression");
    const json& first = results[0].at("locations")[0].at("physicalLocation");
    CHECK(first.at("artifactLocation").at("uri") == "rules/a.score");
    CHECK(first.at("region") == json{{"startLine", 3}, {"startColumn", 5}, {"endColumn", 7}});

    CHECK(results[1].at("level") == "warning");
    CHECK(results[1].at("message").at("text") ==
          "attribute `employes` appears only here\nhint: did you mean `employees`?");
    CHECK(results[1].at("locations")[0].at("physicalLocation").at("region").at("endColumn") == 25);

    // The file-level diagnostic has a location without a region; the URI is encoded.
    const json& whole = results[2].at("locations")[0].at("physicalLocation");
    CHECK(whole.at("artifactLocation").at("uri") == "rules/b%2Cc%3Ad.score");
    CHECK_FALSE(whole.contains("region"));
    CHECK(results[2].at("ruleIndex") == 3);
    CHECK(results[3].at("message").at("text") == "50% of leads, or more\nread `ts`");

    const json empty = json::parse(leadscore::cli::format_lint_sarif({}, context));
    check_sarif_required(empty);
    CHECK(empty.at("runs")[0].at("results") == json::array());
    CHECK(empty.at("runs")[0].at("tool").at("driver").at("rules") == json::array());
  }

  TEST_CASE("sarif artifact URIs are relative with forward slashes") {
    using leadscore::cli::artifact_uri;
    using leadscore::cli::path_from_base;
    CHECK(artifact_uri("rules/a.score", "/repo") == "rules/a.score");
    CHECK(artifact_uri("./rules//a.score", "/repo") == "rules/a.score");
    CHECK(artifact_uri("/repo/rules/a.score", "/repo") == "rules/a.score");
    CHECK(artifact_uri("/repo/my rules/é.score", "/repo") == "my%20rules/%C3%A9.score");
    CHECK(artifact_uri("/elsewhere/a.score", "/repo") == "file:///elsewhere/a.score");
    CHECK(artifact_uri("../other/a.score", "/repo/sub") == "file:///repo/other/a.score");
    CHECK(artifact_uri("../a.score", "/repo") == "file:///a.score");
    CHECK(path_from_base("../a.score", "/repo") == "/a.score");
    CHECK(path_from_base("x/../a.score", "/repo") == "a.score");
  }

  TEST_CASE("github annotations escape messages and properties") {
    using leadscore::cli::github_escape_data;
    using leadscore::cli::github_escape_property;
    CHECK(github_escape_data("100% a, b: c\r\nd") == "100%25 a, b: c%0D%0Ad");
    CHECK(github_escape_property("100% a, b: c\r\nd") == "100%25 a%2C b%3A c%0D%0Ad");
    CHECK(github_escape_data("%0A") == "%250A");

    const std::vector<std::string> lines =
        lines_of(leadscore::cli::format_lint_github(sample(), context));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] ==
          "::error file=rules/a.score,line=3,col=5,endColumn=7,title=LS100::"
          "expected an expression");
    CHECK(lines[1] ==
          "::warning file=rules/a.score,line=7,col=17,endColumn=25,title=LS001::"
          "attribute `employes` appears only here%0Ahint: did you mean `employees`?");
    CHECK(lines[2] == "::error file=rules/b%2Cc%3Ad.score,title=LS108::cannot read model file");
    CHECK(lines[3] ==
          "::warning file=rules/b%2Cc%3Ad.score,line=2,col=1,endColumn=3,title=LS006::"
          "50%25 of leads, or more%0Aread `ts`");
    CHECK(leadscore::cli::format_lint_github({}, context).empty());
  }

  TEST_CASE("format_lint picks the format") {
    const auto files = sample();
    CHECK(leadscore::cli::format_lint(LintFormat::text, files, context) ==
          leadscore::cli::format_lint_text(files));
    CHECK(leadscore::cli::format_lint(LintFormat::json, files, context) ==
          leadscore::cli::format_lint_json(files));
    CHECK(leadscore::cli::format_lint(LintFormat::sarif, files, context) ==
          leadscore::cli::format_lint_sarif(files, context));
    CHECK(leadscore::cli::format_lint(LintFormat::github, files, context) ==
          leadscore::cli::format_lint_github(files, context));
  }
}

#ifdef LEADSCORE_CLI
namespace {

using leadscore::testing::TempDir;

const char* const clean_model = R"(model "clean"
band hot >= 20 "Hot"
band cold
fit profile {
  big: +10 when employees >= 100
  software: +5 when industry = "software"
}
engagement activity {
  visit: +2 on page_view cap 10
}
)";

// `employes` once next to `employees` twice: warning LS001 on line 7.
const char* const warned_model = R"(model "warned"
band hot >= 20 "Hot"
band cold
fit profile {
  big: +10 when employees >= 100
  huge: +5 when employees >= 1000
  typo: +1 when employes >= 5
}
)";

// A condition cut short: error LS100 on line 4.
const char* const broken_model = R"(model "broken"
band cold
fit profile {
  big: +10 when
}
)";

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

Run lint(const TempDir& dir, const std::string& arguments) {
  const fs::path err_file = dir.path / "stderr.txt";
  const std::string command = std::string("\"") + LEADSCORE_CLI + "\" lint " + arguments + " 2>\"" +
                              err_file.string() + "\"";
  Run run;
  auto result = leadscore::testing::run_command(command);
  REQUIRE(result.exit_code >= 0);
  run.out = std::move(result.output);
  run.status = result.exit_code;
  std::ifstream in(err_file);
  run.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return run;
}

std::string quoted(const fs::path& path) {
  return "\"" + path.string() + "\"";
}

// What each format's output must look like, whatever the exit status.
void check_output(const std::string& format, const Run& run) {
  if (format == "json") {
    const json document = json::parse(run.out);
    CHECK(keys_of(document) == std::set<std::string>{"version", "files", "summary"});
  } else if (format == "sarif") {
    check_sarif_required(json::parse(run.out));
  } else if (format == "github") {
    for (const auto& line : lines_of(run.out)) CHECK(line.rfind("::", 0) == 0);
  }
}

}  // namespace

TEST_SUITE("lint_output") {
  TEST_CASE("leadscore lint: exit status 0, 1 and 2 in every format") {
    TempDir dir;
    const fs::path clean = dir.write("models/clean.score", clean_model);
    const fs::path broken = dir.write("models/nested/broken.score", broken_model);
    const fs::path missing = dir.path / "models/missing.score";

    for (const std::string format : {"text", "json", "sarif", "github"}) {
      CAPTURE(format);
      const std::string option = " --format " + format;

      const Run ok = lint(dir, quoted(clean) + option);
      CHECK(ok.status == 0);
      check_output(format, ok);
      CHECK(ok.err.find(" in 1 file\n") != std::string::npos);

      const Run failed = lint(dir, quoted(dir.path / "models") + option);
      CHECK(failed.status == 1);
      check_output(format, failed);
      CHECK(failed.err.find("1 error, ") != std::string::npos);
      CHECK(failed.err.find(" in 2 files\n") != std::string::npos);
      CHECK(failed.out.find("broken.score") != std::string::npos);

      // The missing file stops nothing: the clean one is still linted and reported.
      const Run unreadable = lint(dir, quoted(missing) + " " + quoted(clean) + option);
      CHECK(unreadable.status == 2);
      check_output(format, unreadable);
      CHECK(unreadable.err.find("cannot read " + missing.string()) != std::string::npos);
      CHECK(unreadable.err.find(" in 1 file\n") != std::string::npos);
      if (format == "json") {
        const json document = json::parse(unreadable.out);
        REQUIRE(document.at("files").size() == 1);
        CHECK(document.at("files")[0].at("file") == clean.string());
      }
    }

    // What each format says about the broken model.
    const std::string broken_arg = quoted(broken);
    const Run text = lint(dir, broken_arg);
    CHECK(text.out.find(broken.string() + ":4:16: error: ") != std::string::npos);
    CHECK(text.out.find("[LS100]") != std::string::npos);
    CHECK(text.err == "1 error, 0 warnings in 1 file\n");

    const json document = json::parse(lint(dir, broken_arg + " --format json").out);
    CHECK(document.at("summary") == json{{"errors", 1}, {"warnings", 0}, {"files", 1}});
    const json& d = document.at("files")[0].at("diagnostics")[0];
    CHECK(d.at("code") == "LS100");
    CHECK(d.at("line") == 4);
    CHECK(d.at("column") == 16);

    const json log = json::parse(lint(dir, broken_arg + " --format sarif").out);
    const json& result = log.at("runs")[0].at("results")[0];
    CHECK(result.at("ruleId") == "LS100");
    CHECK(result.at("locations")[0].at("physicalLocation").at("region").at("startLine") == 4);

    const Run github = lint(dir, broken_arg + " --format github");
    CHECK(
        github.out.rfind("::error file=" +
                             leadscore::cli::github_escape_property(leadscore::cli::path_from_base(
                                 broken.string(), fs::current_path())) +
                             ",line=4,col=16,",
                         0) == 0);
  }

  TEST_CASE("leadscore lint: warnings fail only with --werror") {
    TempDir dir;
    const fs::path warned = dir.write("warned.score", warned_model);
    const fs::path clean = dir.write("clean.score", clean_model);

    const Run plain = lint(dir, quoted(warned));
    CHECK(plain.status == 0);
    CHECK(plain.out.find(":7:17: warning: ") != std::string::npos);
    CHECK(plain.out.find("[LS001]") != std::string::npos);
    CHECK(lint(dir, quoted(warned) + " --werror").status == 1);
    CHECK(lint(dir, quoted(warned) + " --werror --format sarif").status == 1);

    // The lint checks may add warnings of their own; LS001 is among them.
    const json log = json::parse(lint(dir, quoted(warned) + " --format sarif").out);
    check_sarif_required(log);
    bool found = false;
    for (const auto& result : log.at("runs")[0].at("results")) {
      CHECK(result.at("level") == "warning");
      if (result.at("ruleId") != "LS001") continue;
      found = true;
      const json& region = result.at("locations")[0].at("physicalLocation").at("region");
      CHECK(region == json{{"startLine", 7}, {"startColumn", 17}, {"endColumn", 25}});
    }
    CHECK(found);
    const Run github = lint(dir, quoted(warned) + " --format github");
    for (const auto& line : lines_of(github.out)) CHECK(line.rfind("::warning file=", 0) == 0);
    CHECK(github.out.find(",line=7,col=17,endColumn=25,title=LS001::") != std::string::npos);

    // The clean model fails under --werror exactly when the lint checks find a warning in it.
    const json counts = json::parse(lint(dir, quoted(clean) + " --format json").out).at("summary");
    CHECK(counts.at("errors") == 0);
    const int expected = counts.at("warnings") == 0 ? 0 : 1;
    CHECK(lint(dir, quoted(clean) + " --werror").status == expected);
  }

  TEST_CASE("leadscore lint: directories are searched recursively, in sorted order") {
    TempDir dir;
    dir.write("rules/b.score", clean_model);
    dir.write("rules/a/z.score", clean_model);
    dir.write("rules/a/notes.txt", "not a model");
    dir.write("rules/c/deeper/a.score", clean_model);
    const json document = json::parse(lint(dir, quoted(dir.path / "rules") + " --format json").out);
    const json& files = document.at("files");
    REQUIRE(files.size() == 3);
    CHECK(files[0].at("file") == (dir.path / "rules/a/z.score").string());
    CHECK(files[1].at("file") == (dir.path / "rules/b.score").string());
    CHECK(files[2].at("file") == (dir.path / "rules/c/deeper/a.score").string());

    // A model named both directly and through its directory is linted once.
    const json twice = json::parse(lint(dir, quoted(dir.path / "rules/b.score") + " " +
                                                 quoted(dir.path / "rules") + " --format json")
                                       .out);
    CHECK(twice.at("summary").at("files") == 3);
  }

  TEST_CASE("leadscore lint: usage and I/O problems exit with 2") {
    TempDir dir;
    const fs::path clean = dir.write("clean.score", clean_model);
    CHECK(lint(dir, "").status == 2);
    CHECK(lint(dir, quoted(clean) + " --format xml").status == 2);
    CHECK(lint(dir, quoted(clean) + " --no-such-option").status == 2);
    CHECK(lint(dir, quoted(clean) + " --schema " + quoted(dir.path / "absent.yaml")).status == 2);
    CHECK(lint(dir, quoted(dir.path / "no-such-dir")).status == 2);
    CHECK(lint(dir, "--help").status == 0);
  }
}
#endif
