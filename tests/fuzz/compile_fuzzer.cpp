// Fuzzes the model compiler with arbitrary bytes as the source text. The library promises to
// report every mistake as a diagnostic and never to throw or crash, so any exception other
// than std::bad_alloc escapes and fails the run. What it accepts is run on a sample lead
// (model_checks.hpp). Byte-level inputs are mostly invalid models, so this harness mainly
// explores the error paths; the generated harness covers valid models.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/model_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static leadscore::fuzz::ValidShare share("compile");
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  // Half the inputs also go through lint, chosen by the first byte so that one input always
  // takes the same path.
  share.add(leadscore::fuzz::check_compile(source, size > 0 && (data[0] & 1)));
  return 0;
}
