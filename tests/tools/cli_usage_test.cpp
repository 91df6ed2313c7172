// Command-line usage mistakes: an unknown command or option names the closest real one, and
// `--format json` is accepted wherever `--json` is.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/store_project.hpp"

#ifdef LEADSCORE_CLI

using leadscore::testing::StoreProject;

TEST_SUITE("cli usage") {
  TEST_CASE("an unknown command or option gets a did-you-mean") {
    StoreProject p;
    const auto command = p.run("scroe");
    CHECK(command.status == 2);
    CHECK(command.err.find("unknown command `scroe`; did you mean `score`?") != std::string::npos);

    const auto option = p.run("score --as-off 2026-06-01");
    CHECK(option.status == 2);
    CHECK(option.err.find("did you mean `--as-of`?") != std::string::npos);

    // Nothing close: no suggestion, still a usage error.
    const auto far = p.run("score --zzzzzzzz");
    CHECK(far.status == 2);
    CHECK(far.err.find("did you mean") == std::string::npos);
  }

  TEST_CASE("calibrate and diff take --format json, the same as --json") {
    StoreProject p;
    const auto json = p.run("calibrate --json");
    const auto format = p.run("calibrate --format json");
    REQUIRE(json.status == format.status);
    CHECK(format.out == json.out);
    CHECK(format.out.rfind("{", 0) == 0);
    CHECK(p.run("calibrate --format text").out == p.run("calibrate").out);
    CHECK(p.run("diff model.score model.score --format json").out ==
          p.run("diff model.score model.score --json").out);
    const auto bad = p.run("calibrate --format xml");
    CHECK(bad.status == 2);
    CHECK(bad.err.find("--format must be text or json") != std::string::npos);
  }
  TEST_CASE("`-` reads a model from standard input") {
    const std::string cli = std::string("'") + LEADSCORE_CLI + "'";
    const std::string good = "printf 'model \"m\"\\nfit g { r: +5   when x>=1 }\\n' | ";
    const auto check = leadscore::testing::run_command(good + cli + " check - 2>&1");
    CHECK(check.exit_code == 0);
    CHECK(check.output == "<stdin>: ok\n");
    const auto fmt = leadscore::testing::run_command(good + cli + " fmt -");
    CHECK(fmt.exit_code == 0);
    CHECK(fmt.output == "model \"m\"\nfit g {\n  r: +5 when x >= 1\n}\n");
    const auto lint =
        leadscore::testing::run_command(good + cli + " lint --format json - 2>/dev/null");
    CHECK(lint.output.find("\"file\": \"<stdin>\"") != std::string::npos);

    const auto broken = leadscore::testing::run_command("printf 'x\\n' | " + cli + " check - 2>&1");
    CHECK(broken.exit_code == 1);
    CHECK(broken.output.find("<stdin>:1:1: error:") != std::string::npos);
    const auto twice = leadscore::testing::run_command(good + cli + " check - - 2>&1");
    CHECK(twice.exit_code == 2);
    CHECK(twice.output.find("can be read only once") != std::string::npos);
    const auto write = leadscore::testing::run_command(good + cli + " fmt --write - 2>&1");
    CHECK(write.exit_code == 2);
    CHECK(write.output.find("--write cannot rewrite standard input") != std::string::npos);
  }
}

#endif
