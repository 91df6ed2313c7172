// Fuzzes `leadscore fmt` (format_model) against its two promises: formatting a formatted text
// changes nothing, and formatting never changes what a model computes. The second is checked
// by compiling both texts: either both compile, to the same fingerprint, or both fail with
// the same error codes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/leadscore.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

bool has_error(const std::vector<leadscore::Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const auto& d) { return d.severity == leadscore::Severity::error; });
}

// Error codes in sorted order: formatting moves errors to other lines and columns, so only
// which errors there are can be compared.
std::vector<std::string> error_codes(const std::vector<leadscore::Diagnostic>& diagnostics) {
  std::vector<std::string> codes;
  for (const auto& d : diagnostics) {
    if (d.severity == leadscore::Severity::error) codes.push_back(d.code);
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  const leadscore::FormatResult once = leadscore::format_model(source, "fuzz.score");
  const leadscore::CompileResult original = leadscore::Model::compile(source, "fuzz.score");
  if (has_error(once.diagnostics)) {
    // Only syntax errors stop the formatter, and they stop the compiler too.
    FUZZ_CHECK(!original.model, "fmt refused a model that compiles");
    return 0;
  }

  const leadscore::FormatResult twice = leadscore::format_model(once.text, "fuzz.score");
  FUZZ_CHECK(!has_error(twice.diagnostics), "fmt's output does not parse");
  FUZZ_CHECK(twice.text == once.text, "formatting a formatted model changed it");

  const leadscore::CompileResult formatted = leadscore::Model::compile(once.text, "fuzz.score");
  FUZZ_CHECK(bool(original.model) == bool(formatted.model),
             "formatting changed whether the model compiles");
  if (original.model) {
    FUZZ_CHECK(original.model->fingerprint() == formatted.model->fingerprint(),
               "formatting changed the compiled model");
  } else {
    FUZZ_CHECK(error_codes(original.diagnostics) == error_codes(formatted.diagnostics),
               "formatting changed the model's errors");
  }
  return 0;
}
