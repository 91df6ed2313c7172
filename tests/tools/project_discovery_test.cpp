// The project file is found in the current directory or any parent, and inside a project
// `check` and `lint` compile against its schema unless --schema names another.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

#ifdef LEADSCORE_CLI

using leadscore::testing::run_command;
using leadscore::testing::TempDir;

namespace {

// Runs the CLI in `dir` with stderr folded into the output.
leadscore::testing::CommandResult cli_in(const std::filesystem::path& dir,
                                         const std::string& arguments) {
  return run_command("cd '" + dir.string() + "' && '" + LEADSCORE_CLI + "' " + arguments + " 2>&1");
}

}  // namespace

TEST_SUITE("project discovery") {
  TEST_CASE("a project command finds leadscore.yaml in a parent directory") {
    TempDir dir;
    dir.write("p/leadscore.yaml", "database: leads.db\nmodels: [m.score]\n");
    dir.write("p/m.score", "model \"m\"\nfit g {\n  r: +5 when employees >= 10\n}\n");
    dir.write("p/a/b/.keep", "");
    const auto changes = cli_in(dir.path / "p/a/b", "changes");
    INFO(changes.output);
    // The project is found: the command goes on to its (not yet imported) database.
    CHECK(changes.output.find("no leadscore.yaml") == std::string::npos);
    CHECK(changes.output.find((dir.path / "p/leads.db").string() + ": no database here yet") !=
          std::string::npos);
    // Outside any project it still says so.
    const auto outside = cli_in(dir.path, "changes");
    CHECK(outside.exit_code == 2);
    CHECK(outside.output.find("no leadscore.yaml here or in a parent directory") !=
          std::string::npos);
  }

  TEST_CASE("check and lint use the project's schema unless --schema is given") {
    TempDir dir;
    dir.write("p/leadscore.yaml",
              "database: leads.db\nmodels: [m.score]\nschema:\n  attributes:\n"
              "    employees: number\n");
    dir.write("p/m.score", "model \"m\"\nfit g {\n  r: +5 when employes >= 10\n}\n");
    dir.write("p/sub/.keep", "");
    for (const std::string command : {"check", "lint"}) {
      CAPTURE(command);
      const auto inside = cli_in(dir.path / "p/sub", command + " ../m.score");
      CHECK(inside.exit_code == 1);
      CHECK(inside.output.find("LS204") != std::string::npos);
      CHECK(inside.output.find("did you mean `employees`?") != std::string::npos);
    }
    const auto other = dir.write("other.yaml", "attributes:\n  employes: number\n");
    CHECK(cli_in(dir.path / "p", "check --schema '" + other.string() + "' m.score").exit_code == 0);
    // Outside the project there is no schema, so the name is not checked.
    CHECK(cli_in(dir.path, "check p/m.score").exit_code == 0);
  }
}

#endif
