// The interpreter loop: runs one straight-line block of bytecode to a value.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/bytecode.hpp"

namespace leadscore::engine {

// A value on the VM stack. Strings are views: into the model's constants, the lead's copied
// attributes, the current event, or a scratch string of the frame. `missing` doubles as the
// "unknown" truth value of three-valued logic.
struct Cell {
  enum class Kind : std::uint8_t { missing, number, string, boolean, timestamp };
  Kind kind = Kind::missing;
  double number = 0;
  std::string_view text;

  static Cell missing() { return {}; }
  // A number that is not finite (an overflow, or inf/nan given as data) is missing, like a
  // division by zero (decision 29 of dsl/LANGUAGE.md). Every number the VM makes passes here.
  static Cell of_number(double n) { return std::isfinite(n) ? Cell{Kind::number, n, {}} : Cell{}; }
  static Cell of_bool(bool b) { return {Kind::boolean, b ? 1.0 : 0.0, {}}; }
  static Cell of_timestamp(double ms) { return {Kind::timestamp, ms, {}}; }
  static Cell of_string(std::string_view s) { return {Kind::string, 0, s}; }
  bool is_true() const { return kind == Kind::boolean && number != 0; }
};

// Remembers `matches` results per regex and input text. CRM fields repeat (a few hundred job
// titles across a million leads), and a hash lookup costs a fraction of a regex search. Each
// regex keeps at most `max_entries` texts; beyond that it simply searches.
class RegexMemo {
 public:
  explicit RegexMemo(std::size_t regexes) : seen_(regexes) {}
  bool matches(std::uint32_t regex, std::string_view text, const re2::RE2& re);

 private:
  static constexpr std::size_t max_entries = 4096;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::unordered_map<std::string, bool, Hash, std::equal_to<>>> seen_;
};

// Everything a block can read. The evaluator owns the storage; the VM never allocates,
// except that scratch strings grow to the longest string built so far.
struct Frame {
  const Cell* attributes = nullptr;
  const Cell* properties = nullptr;
  double event_time_ms = 0;
  const double* groups = nullptr;
  const Cell* aggregates = nullptr;
  double as_of_ms = 0;
  std::string* scratch = nullptr;   // chunk.scratch_strings of them, plus one for list lookups
  Cell* stack = nullptr;            // chunk.max_stack cells
  RegexMemo* regex_memo = nullptr;  // optional: `matches` searches directly without one
};

Cell run_block(const Chunk& chunk, std::uint32_t entry, Frame& frame);

}  // namespace leadscore::engine
