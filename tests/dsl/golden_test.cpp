// Data-driven golden tests: every tests/golden/diagnostics/*.score must give exactly the
// diagnostics in the .expected file beside it, and every tests/golden/bytecode/*.score must
// disassemble exactly to its .expected file. Set LEADSCORE_UPDATE_GOLDEN=1 to rewrite the
// .expected files from the current output (then read every diff before committing it).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "leadscore/leadscore.hpp"
#include "tests/support/files.hpp"

namespace fs = std::filesystem;

namespace {

using leadscore::testing::models_in;
using leadscore::testing::read_text;

// Paths in messages are made relative to the corpus folder, so the files do not depend on
// where the repository is checked out.
std::string relative(std::string text, const fs::path& dir) {
  std::string prefix = dir.string() + "/";
  for (std::size_t at; (at = text.find(prefix)) != std::string::npos;)
    text.erase(at, prefix.size());
  return text;
}

void compare_with_golden(const fs::path& model, const std::string& actual) {
  fs::path expected_path = fs::path(model).replace_extension(".expected");
  if (std::getenv("LEADSCORE_UPDATE_GOLDEN")) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    return;
  }
  INFO("golden file: " << expected_path.string());
  REQUIRE(fs::exists(expected_path));
  CHECK(actual == read_text(expected_path));
}

}  // namespace

TEST_SUITE("golden") {
  TEST_CASE("diagnostics of broken models") {
    fs::path dir = fs::path(LEADSCORE_SOURCE_DIR) / "tests/golden/diagnostics";
    auto models = models_in(dir);
    CHECK(models.size() >= 40);
    auto loaded = leadscore::load_schema(dir / "schema.yaml");
    REQUIRE(loaded.schema);
    for (const auto& model : models) {
      SUBCASE(model.filename().string().c_str()) {
        leadscore::CompileOptions options;
        // Models whose name starts with `schema_` are checked against schema.yaml.
        if (model.filename().string().rfind("schema_", 0) == 0)
          options.schema = loaded.schema.get();
        auto result = leadscore::Model::compile_file(model, options);
        std::string rendered;
        for (const auto& d : result.diagnostics) rendered += leadscore::render(d);
        // Every broken model must be refused, or at least warned about.
        CHECK(!result.diagnostics.empty());
        compare_with_golden(model, relative(rendered, dir));
      }
    }
  }

  TEST_CASE("bytecode of snippets") {
    fs::path dir = fs::path(LEADSCORE_SOURCE_DIR) / "tests/golden/bytecode";
    for (const auto& model : models_in(dir)) {
      SUBCASE(model.filename().string().c_str()) {
        auto result = leadscore::Model::compile_file(model);
        REQUIRE(result.model);
        compare_with_golden(model, result.model->disassemble());
      }
    }
  }
}
