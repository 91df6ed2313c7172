// The library prints nothing: a score run reports its timings in ScoreRunReport instead of
// writing them to stderr, whatever the environment holds (LEADSCORE_TIMING is the CLI's).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

#include "leadscore/leadscore.hpp"
#include "tests/support/files.hpp"
#include "tests/support/import_workspace.hpp"
#include "tests/support/store_model.hpp"

using leadscore::testing::ImportWorkspace;

TEST_SUITE("store quiet") {
  TEST_CASE("a score run writes nothing to stderr, even with LEADSCORE_TIMING set") {
    ImportWorkspace w;
    w.two_leads();
    auto compiled = leadscore::Model::compile(leadscore::testing::store_model_text, "model.score");
    REQUIRE(compiled.model);

    const auto captured = w.dir.path / "stderr.txt";
    const int saved = ::dup(2);
    const int file = ::open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(saved >= 0);
    REQUIRE(file >= 0);
    ::setenv("LEADSCORE_TIMING", "1", 1);
    ::dup2(file, 2);
    const auto report = w.store->score(*compiled.model, "m", 1'800'000'000'000, std::nullopt,
                                       [](const leadscore::LeadScoreLine&) {});
    ::dup2(saved, 2);
    ::close(saved);
    ::close(file);
    ::unsetenv("LEADSCORE_TIMING");

    CHECK(report.leads == 2);
    CHECK(report.scan_seconds >= 0);
    CHECK(report.store_seconds >= 0);
    CHECK(leadscore::testing::read_text(captured).empty());
  }
}
