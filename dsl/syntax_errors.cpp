// The messages of syntax errors: what was found where the grammar expected something else,
// with "did you mean" and hints for habits from other languages (dsl/syntax_error.hpp).
#include "dsl/syntax_error.hpp"

#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

namespace leadscore::dsl {

std::pair<std::string, std::uint32_t> describe_token(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return {"the end of the file", 1};
  unsigned char c = static_cast<unsigned char>(text[pos]);
  if (std::isalnum(c) || c == '_') {
    std::size_t end = pos;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                                 text[end] == '_' || text[end] == '.')) {
      ++end;
    }
    return {"`" + std::string(text.substr(pos, end - pos)) + "`", std::uint32_t(end - pos)};
  }
  if (c == '"') return {"a string", 1};
  if (c == '\n' || c == '\r') return {"the end of the line", 1};
  if (c == ' ' || c == '\t') return {"a space", 1};
  if (c >= 0x80) return {"a non-ASCII character", 1};
  if (c < 0x20 || c == 0x7F) {
    char name[40];
    std::snprintf(name, sizeof name, "a control character (0x%02X)", c);
    return {name, 1};
  }
  return {"`" + std::string(1, char(c)) + "`", 1};
}

std::string habit_hint(HabitContext context, std::string_view text, std::size_t pos,
                       std::size_t word_end) {
  std::string_view word = text.substr(pos, word_end - pos);
  char c = pos < text.size() ? text[pos] : '\0';
  if (context == HabitContext::points) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      return "points need a sign: `+" + std::string(word) + "` or `-" + std::string(word) + "`";
    }
  }
  if (context == HabitContext::points_value) {
    if (!word.empty())
      return "an expression as points goes in parentheses: `+(" + std::string(word) + ")`";
  }
  if (c == '=' && pos > 0 && text[pos - 1] == '=') return "compare with a single `=`";
  if (c == '\'') return "strings are written in double quotes: \"...\"";
  if (c == '&') return "write `and`";
  if (c == '|') return "write `or`";
  if (word == "null" || word == "empty") return "write `is missing` (or `is present`)";
  if (word == "day" || word == "days" || word == "week" || word == "weeks" || word == "hour" ||
      word == "hours") {
    return "durations belong to `within`, `limit` and `decay`; `days_since(...)` is already a "
           "number of days";
  }
  return {};
}

[[noreturn]] void throw_syntax_error(const ErrorInfo& info, HabitContext habit,
                                     bool after_lone_greater, const ParseState& ps,
                                     const char* current, const char* end_of_input) {
  SyntaxError e;
  e.code = info.code;
  std::size_t pos = std::size_t(current - ps.base);
  const std::string_view whole(ps.base, std::size_t(end_of_input - ps.base));
  if (info.code == Code::unterminated_string) {
    e.offset = std::uint32_t(ps.string_start);
    e.message = info.expected;
    e.hint = "strings end on the line they start";
  } else if (after_lone_greater) {
    e.offset = std::uint32_t(pos - 1);
    e.message = std::string(info.expected) + ", found `>` alone";
  } else if (info.code == Code::bad_escape) {
    e.offset = std::uint32_t(pos - 1);
    e.length = 2;
    e.message = info.expected;
  } else {
    auto [found, length] = describe_token(whole, pos);
    e.offset = std::uint32_t(pos);
    e.length = length;
    std::size_t end = pos;
    while (end < whole.size() && (std::isalnum(static_cast<unsigned char>(whole[end])) ||
                                  whole[end] == '_' || whole[end] == '-')) {
      ++end;
    }
    if (end > pos && !info.keywords.empty()) {
      e.hint = did_you_mean(whole.substr(pos, end - pos), info.keywords);
    }
    if (e.hint.empty()) e.hint = habit_hint(habit, whole, pos, end);
    // When what comes next is on a later line (and is no misspelt keyword), the mistake is
    // at the end of this line: point there rather than at the next line's first token.
    std::size_t before = pos;
    while (before > 0 && std::isspace(static_cast<unsigned char>(whole[before - 1]))) --before;
    if (e.hint.empty() && whole.substr(before, pos - before).find('\n') != std::string_view::npos) {
      e.offset = std::uint32_t(before);
      e.length = 1;
      found = "the end of the line";
    }
    e.message = std::string(info.expected) + ", found " + found;
  }
  throw e;
}

}  // namespace leadscore::dsl
