// A small project on disk for the store's hardening tests: leadscore.yaml, the store model,
// three leads with a few events and an outcome imported into leads.db, and a way to run the
// built command line in it (optionally as another user, through `prefix`).
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "leadscore/project.hpp"
#include "leadscore/store.hpp"
#include "tests/support/files.hpp"
#include "tests/support/store_model.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadscore::testing {

struct CliRun {
  int status = -1;
  std::string out, err;
};

inline std::string shell_quoted(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

struct StoreProject {
  // The project lives in `folder` under a fresh temporary directory.
  explicit StoreProject(const std::string& folder = "project") : root(dir.path / folder) {
    dir.write(
        folder + "/leadscore.yaml",
        "database: leads.db\nmodels: [model.score]\n"
        "outcomes: {won: [won], lost: [lost]}\n"
        "import:\n  leads: {id: id}\n  events: {id: id, lead_id: lead_id, ts: ts, type: type}\n"
        "  outcomes: {lead_id: lead_id, ts: ts, result: result}\n");
    dir.write(folder + "/model.score", store_model_text);
    auto project = load_project(root / "leadscore.yaml").project;
    REQUIRE(project);
    auto store = Store::open(database(), Store::Mode::read_write);
    auto import = [&](ImportKind kind, const std::string& name, const std::string& csv) {
      REQUIRE(store->import_file(kind, dir.write(folder + "/" + name, csv), *project).rejected ==
              0);
    };
    import(ImportKind::leads, "leads.csv",
           "id,employees,industry\nL1,500,software\nL2,5,x\nL3,200,x\n");
    import(ImportKind::events, "events.csv",
           "id,lead_id,ts,type\nE1,L1,2026-05-01T10:00:00Z,download\n"
           "E2,L1,2026-05-02T10:00:00Z,download\nE3,L2,2026-05-03T10:00:00Z,download\n");
    import(ImportKind::outcomes, "outcomes.csv", "lead_id,ts,result\nL1,2026-05-20,won\n");
  }

  std::filesystem::path database() const { return root / "leads.db"; }

  CliRun run(const std::string& arguments, const std::string& prefix = "") const {
#ifdef LEADSCORE_CLI
    const std::filesystem::path err = dir.path / "stderr.txt";
    auto result =
        run_command("cd " + shell_quoted(root) + " && " + prefix + shell_quoted(LEADSCORE_CLI) +
                    " " + arguments + " 2>" + shell_quoted(err));
    return {result.exit_code, result.output, read_text(err)};
#else
    (void)arguments;
    (void)prefix;
    FAIL("LEADSCORE_CLI is not defined");
    return {};
#endif
  }

  TempDir dir;
  std::filesystem::path root;
};

}  // namespace leadscore::testing
