// `calibrate --by ATTR` with an attribute no lead has: the breakdown would be a single
// "(missing)" segment that reads like a finding. It must warn, on stderr and in the JSON and
// HTML reports, and suggest the attribute that was probably meant.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/files.hpp"
#include "tests/support/store_model.hpp"
#include "tests/support/temp_dir.hpp"

#ifdef LEADSCORE_CLI

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string& project = leadscore::testing::store_project_yaml;

struct Output {
  int status = -1;
  std::string out, err;
};

struct Project {
  explicit Project(const std::string& leads_csv) {
    dir.write("leadscore.yaml", project);
    dir.write("model.score", leadscore::testing::store_model_text);
    dir.write("leads.csv", leads_csv);
    dir.write("outcomes.csv",
              "lead_id,ts,result\nL1,2026-05-25,won\nL2,2026-05-26,lost\n"
              "L3,2026-05-27,lost\n");
    REQUIRE(run("import leads leads.csv").status == 0);
    REQUIRE(run("import outcomes outcomes.csv").status == 0);
  }
  Output run(const std::string& arguments) const {
    const fs::path err = dir.path / "stderr.txt";
    auto result = leadscore::testing::run_command("cd '" + dir.path.string() + "' && '" +
                                                  std::string(LEADSCORE_CLI) + "' " + arguments +
                                                  " 2>'" + err.string() + "'");
    return {result.exit_code, result.output, leadscore::testing::read_text(err)};
  }
  leadscore::testing::TempDir dir;
};

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("calibrate --by a misspelt attribute: warned, with the attribute meant") {
  Project p("id,employees,industry\nL1,500,software\nL2,20,retail\nL3,40,retail\n");
  Output text = p.run("calibrate --before-outcome --by industy");
  CHECK(has(text.err, "leadscore: warning: no imported lead has the attribute `industy`"));
  CHECK(has(text.err, "did you mean `industry`?"));

  Output doc = p.run("calibrate --before-outcome --by industy --json --html report.html");
  const json report = json::parse(doc.out);
  REQUIRE(report.at("segments").is_object());
  const json& warning = report.at("segments").at("warning");
  REQUIRE(warning.is_string());
  CHECK(has(warning.get<std::string>(), "no imported lead has the attribute `industy`"));
  CHECK(has(warning.get<std::string>(), "did you mean `industry`?"));
  const std::string html = leadscore::testing::read_text(p.dir.path / "report.html");
  CHECK(has(html, "no imported lead has the attribute `industy`"));
  CHECK(has(html, "did you mean `industry`?"));

  // An attribute the leads have: no warning anywhere.
  Output fine = p.run("calibrate --before-outcome --by industry --json");
  CHECK_FALSE(has(fine.err, "warning: no imported lead"));
  CHECK(json::parse(fine.out).at("segments").at("warning").is_null());
}

TEST_CASE("calibrate --by when the leads have no attributes at all: still warned") {
  Project p("id\nL1\nL2\nL3\n");
  Output text = p.run("calibrate --before-outcome --by industry --json");
  CHECK(has(text.err, "leadscore: warning: no imported lead has the attribute `industry`"));
  CHECK(json::parse(text.out).at("segments").at("warning").is_string());
}

}  // namespace

#endif
