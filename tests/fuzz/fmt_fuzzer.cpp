// Fuzzes `leadscore fmt` with arbitrary bytes as the model text: formatting twice changes
// nothing, and a formatted model compiles to the same fingerprint (model_checks.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/model_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  leadscore::fuzz::check_format(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
