// A project folder with a schema and an open store, for the import tests: files are written
// into it and imported through the library, as `leadscore import` does.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "leadscore/project.hpp"
#include "leadscore/store.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadscore::testing {

// A schema, so that type checks and unknown event types are live.
inline const std::string import_project_yaml = R"(database: leads.db
models:
  - model.score
schema:
  attributes:
    employees: number
    industry: string
  events:
    page_view: {url: string}
    download: {asset: string}
outcomes:
  won: [won]
  lost: [lost]
import:
  leads:
    id: id
  events:
    id: id
    lead_id: lead_id
    ts: ts
    type: type
  outcomes:
    lead_id: lead_id
    ts: ts
    result: result
)";

struct ImportWorkspace {
  explicit ImportWorkspace(const std::string& yaml = import_project_yaml) {
    const std::filesystem::path file = dir.write("leadscore.yaml", yaml);
    ProjectResult loaded = load_project(file);
    for (const auto& d : loaded.diagnostics) MESSAGE(d.message);
    REQUIRE(loaded.project);
    project = std::move(loaded.project);
    store = Store::open(project->database, Store::Mode::read_write);
  }

  ImportReport import(ImportKind kind, const std::string& name, const std::string& text) {
    return store->import_file(kind, dir.write(name, text), *project);
  }

  // Two plain leads to hang events on.
  void two_leads() {
    auto r = import(ImportKind::leads, "base_leads.csv",
                    "id,employees,industry\nL1,500,software\nL2,20,retail\n");
    REQUIRE(r.rejected == 0);
  }

  TempDir dir;
  std::unique_ptr<Project> project;
  std::unique_ptr<Store> store;
};

}  // namespace leadscore::testing
