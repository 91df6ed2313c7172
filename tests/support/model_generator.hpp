// Random near-valid models for property tests and structure-aware fuzzing.
//
// The generator never draws random numbers itself: every decision asks a ChoiceSource. A test
// drives it from a seeded engine (reproducible from the seed alone); a libFuzzer harness drives
// it from the fuzz input (so mutating bytes mutates the model's structure, and a crash input
// replays exactly). Most output compiles; a small share carries one deliberate slip (a missing
// token, an unknown name, a keyword typo) so the error paths are exercised too.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>

namespace leadscore::testing {

// Where the generator's decisions come from.
class ChoiceSource {
 public:
  virtual ~ChoiceSource() = default;
  // A number in [0, n); n == 0 or 1 gives 0.
  virtual unsigned pick(unsigned n) = 0;
  // True with about `percent` chances in 100. A pick of 0 means false, so a source that has
  // run dry (ByteChoices) takes no optional branch and the model stays small.
  bool chance(unsigned percent) { return pick(100) >= 100 - std::min(percent, 100u); }
};

// Decisions from a seeded std::mt19937_64: the same seed gives the same model.
class SeededChoices final : public ChoiceSource {
 public:
  explicit SeededChoices(std::uint64_t seed) : engine_(seed) {}
  unsigned pick(unsigned n) override;

 private:
  std::mt19937_64 engine_;
};

// Decisions read from a byte buffer (a fuzz input), two bytes per decision. Once the bytes run
// out every decision is 0, which the generator treats as "the simplest choice", so any buffer
// (the empty one too) gives a finite model.
class ByteChoices final : public ChoiceSource {
 public:
  explicit ByteChoices(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  unsigned pick(unsigned n) override;
  bool exhausted() const { return at_ >= bytes_.size(); }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t at_ = 0;
};

struct GeneratorOptions {
  unsigned max_groups = 4;
  unsigned max_rules_per_group = 6;
  unsigned max_expression_depth = 4;
  // Chance in 100 that a model carries one deliberate mistake (0: always near-valid only).
  unsigned mistake_percent = 5;
  // Chance in 100, at each gap between two tokens, of a line break or a comment there. The
  // line breaks and `# leadscore: ignore` comments in odd places are what layout bugs need.
  unsigned layout_noise_percent = 12;
};

// One model's text. List files are never named (the model stands alone): lists are literal.
std::string generate_model(ChoiceSource& choices, const GeneratorOptions& options = {});

}  // namespace leadscore::testing
