// Fuzzes the project file reader (`leadscore.yaml`) and the schema reader, which accepts the
// same files. Mistakes must come back as diagnostics: the readers never throw (yaml-cpp's own
// exceptions included), and a project they accept has absolute paths, as its users assume.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "leadscore/leadscore.hpp"
#include "leadscore/project.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const leadscore::ProjectResult result =
      leadscore::parse_project(text, "/fuzz/project/leadscore.yaml");
  if (result.project) {
    const leadscore::Project& project = *result.project;
    FUZZ_CHECK(project.database.is_absolute(), "the database path is not absolute");
    for (const auto& model : project.models) {
      FUZZ_CHECK(model.file.is_absolute(), "a model path is not absolute");
    }
    for (const auto& value : project.won) (void)project.classify(value);
    (void)project.model("");
  } else {
    FUZZ_CHECK(!result.diagnostics.empty(), "a project was refused without a diagnostic");
  }

  const leadscore::SchemaResult schema = leadscore::parse_schema(text, "fuzz.yaml");
  FUZZ_CHECK(schema.schema || !schema.diagnostics.empty(),
             "a schema was refused without a diagnostic");
  return 0;
}
