// `leadscore init`: the starter project must be one a user can build on at once.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using leadscore::testing::run_command;
using leadscore::testing::TempDir;

std::string cli() {
  return LEADSCORE_CLI;
}

}  // namespace

TEST_SUITE("init") {
  TEST_CASE("the starter project checks, lints and formats cleanly against its own schema") {
    TempDir dir;
    const std::string project = (dir.path / "p").string();
    REQUIRE(run_command(cli() + " init " + project + " >/dev/null 2>&1").exit_code == 0);
    const std::string yaml = project + "/leadscore.yaml";
    const std::string model = project + "/model.score";
    auto lint = run_command(cli() + " lint --werror --schema " + yaml + " " + model + " 2>&1");
    CHECK(lint.exit_code == 0);
    CHECK(lint.output.find("0 errors, 0 warnings") != std::string::npos);
    CHECK(run_command(cli() + " fmt --check " + model + " 2>&1").exit_code == 0);
  }

  TEST_CASE("init refuses to overwrite an existing project without --force") {
    TempDir dir;
    const std::string project = (dir.path / "p").string();
    REQUIRE(run_command(cli() + " init " + project + " >/dev/null 2>&1").exit_code == 0);
    auto again = run_command(cli() + " init " + project + " 2>&1");
    CHECK(again.exit_code == 2);
    CHECK(again.output.find("already exists") != std::string::npos);
    CHECK(run_command(cli() + " init --force " + project + " >/dev/null 2>&1").exit_code == 0);
  }
}
