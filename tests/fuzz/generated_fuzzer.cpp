// Structure-aware fuzzing of the compiler and fmt: the input bytes are the decisions of the
// near-valid model generator (tests/support/model_generator.hpp), so libFuzzer's mutations
// change a model's structure rather than its spelling, and most inputs are valid models. Each
// generated model goes through the same checks as the byte-level compile and fmt harnesses.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "tests/fuzz/model_checks.hpp"
#include "tests/support/model_generator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static leadscore::fuzz::ValidShare share("generated");
  leadscore::testing::ByteChoices choices(std::span<const std::uint8_t>(data, size));
  const std::string model = leadscore::testing::generate_model(choices);
  share.add(leadscore::fuzz::check_compile(model, size > 0 && (data[0] & 1)));
  leadscore::fuzz::check_format(model);
  return 0;
}
