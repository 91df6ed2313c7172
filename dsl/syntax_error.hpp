// The values a syntax error is made of, and the one function that builds the message for a
// failed `must<>`. Kept apart from dsl/syntax_errors.hpp so that dsl/syntax_errors.cpp can
// define that function without PEGTL: the parser translation unit, the only one with the
// grammar, stays small enough to build quickly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dsl/diagnostics.hpp"

namespace leadscore::dsl {

struct SyntaxError {
  std::uint32_t offset = 0;
  std::uint32_t length = 1;
  Code code = Code::syntax;
  std::string message;
  std::string hint;
};

struct ParseState {
  const char* base;
  std::size_t depth;
  std::size_t max_depth;
  std::size_t string_start;  // where the string being read began, for unterminated strings
};

struct ErrorInfo {
  Code code = Code::syntax;
  const char* expected = nullptr;
  std::vector<std::string> keywords;  // for "did you mean"
};

// Which rule failed, where that changes the hint a habit from another language gets.
enum class HabitContext { other, points, points_value };

// Names the token at `pos` for a message ("`whn`", "the end of the file", "a string") and its
// length.
std::pair<std::string, std::uint32_t> describe_token(std::string_view text, std::size_t pos);

// Hints for habits brought from other languages and spreadsheets, recognised by the text found
// where the grammar expected something else (`word_end`: the end of the word at `pos`).
std::string habit_hint(HabitContext context, std::string_view text, std::size_t pos,
                       std::size_t word_end);

// Builds the error for a failed `must<>` and throws it. Not a template, so that the message
// logic is compiled once rather than once per grammar rule (this keeps the parser's one
// translation unit fast to build); defined in dsl/syntax_errors.cpp.
[[noreturn]] void throw_syntax_error(const ErrorInfo& info, HabitContext habit,
                                     bool after_lone_greater, const ParseState& state,
                                     const char* current, const char* end);

}  // namespace leadscore::dsl
