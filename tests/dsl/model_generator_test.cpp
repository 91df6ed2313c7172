// The random model generator itself: reproducible, total on any byte input, and mostly valid
// (a generator whose output never compiles would make every property test over it vacuous).
#include "tests/support/model_generator.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "leadscore/leadscore.hpp"

using leadscore::testing::ByteChoices;
using leadscore::testing::generate_model;
using leadscore::testing::SeededChoices;

TEST_SUITE("model generator") {
  TEST_CASE("the same seed gives the same model, another seed another one") {
    SeededChoices a(42), b(42), c(43);
    const std::string first = generate_model(a);
    CHECK(first == generate_model(b));
    CHECK(first != generate_model(c));
  }

  TEST_CASE("any byte buffer gives a finite model; running out of bytes means simple choices") {
    ByteChoices empty({});
    const std::string minimal = generate_model(empty);
    CHECK(minimal.rfind("model ", 0) == 0);
    CHECK(empty.exhausted());

    std::vector<std::uint8_t> bytes(4096);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 131);
    ByteChoices from_bytes(bytes);
    const std::string model = generate_model(from_bytes);
    CHECK(model.size() > minimal.size());
    ByteChoices again(bytes);
    CHECK(generate_model(again) == model);
  }

  TEST_CASE("most generated models compile, and some do not") {
    unsigned compiled = 0, refused = 0;
    for (std::uint64_t seed = 0; seed < 300; ++seed) {
      SeededChoices choices(seed);
      const auto result = leadscore::Model::compile(generate_model(choices), "gen.score");
      (result.model ? compiled : refused) += 1;
    }
    MESSAGE(compiled << " of 300 compile");
    CHECK(compiled >= 200);
    CHECK(refused >= 3);
  }
}
