// What the parser says when the text stops following the grammar: one message per place
// where the grammar has committed (`must<>`), kept together here so they read as a set.
// Also the nesting-depth guard. Included by dsl/parser.cpp only.
#pragma once

#include <cstdio>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "dsl/diagnostics.hpp"
#include "dsl/grammar.hpp"

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

// Names the token at `pos` for a message ("`whn`", "the end of the file", "a string").
inline std::pair<std::string, std::uint32_t> describe_token(std::string_view text,
                                                            std::size_t pos) {
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

struct ErrorInfo {
  Code code = Code::syntax;
  const char* expected = nullptr;
  std::vector<std::string> keywords;  // for "did you mean"
};

template <typename Rule>
ErrorInfo error_info() {
  using namespace grammar;
  if constexpr (std::is_same_v<Rule, string_close>) {
    return {Code::unterminated_string,
            "unterminated string: `\"` is missing before the end of "
            "the line",
            {}};
  } else if constexpr (std::is_same_v<Rule, escape_char>) {
    return {Code::bad_escape, "unknown escape in a string: use `\\\"`, `\\\\`, `\\n` or `\\t`", {}};
  } else if constexpr (std::is_same_v<Rule, time_unit>) {
    return {Code::syntax,
            "expected a time unit: `hours`, `days` or `weeks`",
            {"hour", "hours", "day", "days", "week", "weeks"}};
  } else if constexpr (std::is_same_v<Rule, duration>) {
    return {Code::syntax, "expected a duration such as `30 days`", {}};
  } else if constexpr (std::is_same_v<Rule, nested_expr> || std::is_same_v<Rule, condition> ||
                       std::is_same_v<Rule, operand> || std::is_same_v<Rule, unary> ||
                       std::is_same_v<Rule, multiplicative> || std::is_same_v<Rule, not_expr> ||
                       std::is_same_v<Rule, and_expr>) {
    return {Code::syntax, "expected an expression", {}};
  } else if constexpr (std::is_same_v<Rule, paren_close>) {
    return {Code::syntax, "expected `)`", {}};
  } else if constexpr (std::is_same_v<Rule, bracket_close>) {
    return {Code::syntax, "expected `,` or `]` in the list (entries are strings or numbers)", {}};
  } else if constexpr (std::is_same_v<Rule, agg_event>) {
    return {Code::syntax, "expected an event type or `any`", {}};
  } else if constexpr (std::is_same_v<Rule, attribute_name>) {
    return {Code::syntax, "expected a name after `.`", {}};
  } else if constexpr (std::is_same_v<Rule, sym<'.'>>) {
    return {Code::syntax, "expected `.` after `lead` (write `lead.NAME`)", {}};
  } else if constexpr (std::is_same_v<Rule, kw_and_>) {
    return {Code::syntax, "expected `and` (as in `between 50 and 249`)", {"and"}};
  } else if constexpr (std::is_same_v<Rule, list_ref>) {
    return {Code::syntax, "expected a list name or `[...]`", {}};
  } else if constexpr (std::is_same_v<Rule, kw_with>) {
    return {Code::syntax, "expected `with` (`starts with`, `ends with`)", {"with"}};
  } else if constexpr (std::is_same_v<Rule, string_lit>) {
    return {Code::syntax, "expected a string in double quotes", {}};
  } else if constexpr (std::is_same_v<Rule, pg::sor<missing_word, present_word>>) {
    return {Code::syntax, "expected `missing` or `present` after `is`", {"missing", "present"}};
  } else if constexpr (std::is_same_v<Rule, points>) {
    return {Code::syntax, "expected points: `+N`, `-N`, `+(EXPRESSION)` or `-(EXPRESSION)`", {}};
  } else if constexpr (std::is_same_v<Rule, points_value>) {
    return {Code::syntax, "expected a number or `(EXPRESSION)` after the sign", {}};
  } else if constexpr (std::is_same_v<Rule, trigger>) {
    return {
        Code::syntax, "expected `when CONDITION` or `on EVENT` after the points", {"when", "on"}};
  } else if constexpr (std::is_same_v<Rule, rule_event>) {
    return {Code::syntax, "expected an event type or `any` after `on`", {}};
  } else if constexpr (std::is_same_v<Rule, decay_spec>) {
    return {Code::syntax,
            "expected `half-life DURATION`, `linear DURATION`, `P% every DURATION` or `none` "
            "after `decay`",
            {"half-life", "linear", "none"}};
  } else if constexpr (std::is_same_v<Rule, threshold_equals>) {
    return {Code::syntax, "expected `>=` (thresholds are written `>= N`)", {}};
  } else if constexpr (std::is_same_v<Rule, kw_every>) {
    return {Code::syntax, "expected `every` (as in `decay 20% every 30 days`)", {"every"}};
  } else if constexpr (std::is_same_v<Rule, kw_decay>) {
    return {Code::syntax, "expected `decay` after `no`", {"decay"}};
  } else if constexpr (std::is_same_v<Rule, signed_number> || std::is_same_v<Rule, cap_value>) {
    return {Code::syntax, "expected a number", {}};
  } else if constexpr (std::is_same_v<Rule, whole_number>) {
    return {Code::syntax, "expected a whole number (as in `limit 5 per 7 days`)", {}};
  } else if constexpr (std::is_same_v<Rule, kw_per>) {
    return {Code::syntax, "expected `per` (as in `limit 5 per 7 days`)", {"per"}};
  } else if constexpr (std::is_same_v<Rule, label_name>) {
    return {Code::syntax, "expected a name", {}};
  } else if constexpr (std::is_same_v<Rule, grade_group>) {
    return {Code::syntax, "expected the name of the group to grade", {}};
  } else if constexpr (std::is_same_v<Rule, list_name>) {
    return {Code::syntax, "expected a list name", {}};
  } else if constexpr (std::is_same_v<Rule, sym<'='>>) {
    return {Code::syntax, "expected `=`", {}};
  } else if constexpr (std::is_same_v<Rule, list_value>) {
    return {Code::syntax, "expected `[...]` or `file \"PATH\"` after `=`", {"file"}};
  } else if constexpr (std::is_same_v<Rule, group_name>) {
    return {Code::syntax, "expected a group name", {}};
  } else if constexpr (std::is_same_v<Rule, group_open>) {
    return {Code::syntax,
            "expected `{` or a group option (`cap`, `floor`, `decay`, `within`)",
            {"cap", "floor", "decay", "within"}};
  } else if constexpr (std::is_same_v<Rule, limit_target>) {
    return {Code::syntax, "expected `score` or a group name after `limit`", {}};
  } else if constexpr (std::is_same_v<Rule, kw_to>) {
    return {Code::syntax, "expected `to`", {"to"}};
  } else if constexpr (std::is_same_v<Rule, limit_mode>) {
    return {Code::syntax, "expected `when` or `unless`", {"when", "unless"}};
  } else if constexpr (std::is_same_v<Rule, paren_close>) {
    return {Code::syntax, "expected `)`", {}};
  } else {
    return {Code::syntax, "syntax error", {}};
  }
}

// Hints for habits brought from other languages and spreadsheets, recognised by the text
// found where the grammar expected something else.
template <typename Rule>
std::string habit_hint(std::string_view text, std::size_t pos, std::size_t word_end) {
  using namespace grammar;
  std::string_view word = text.substr(pos, word_end - pos);
  char c = pos < text.size() ? text[pos] : '\0';
  if constexpr (std::is_same_v<Rule, points>) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      return "points need a sign: `+" + std::string(word) + "` or `-" + std::string(word) + "`";
    }
  }
  if constexpr (std::is_same_v<Rule, points_value>) {
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

template <typename Rule>
constexpr bool counts_nesting =
    std::is_same_v<Rule, grammar::nested_expr> || std::is_same_v<Rule, grammar::negated_operand> ||
    std::is_same_v<Rule, grammar::not_operand>;

template <typename... States>
ParseState& find_parse_state(States&... states) {
  ParseState* found = nullptr;
  (
      [&](auto& s) {
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(s)>, ParseState>) found = &s;
      }(states),
      ...);
  return *found;
}

template <typename Rule>
struct ErrorControl : tao::pegtl::normal<Rule> {
  template <typename Input, typename... States>
  static void start(const Input& in, States&... states) {
    if constexpr (counts_nesting<Rule>) {
      ParseState& ps = find_parse_state(states...);
      if (++ps.depth > ps.max_depth) {
        SyntaxError e;
        e.offset = std::uint32_t(in.current() - ps.base);
        e.code = Code::nesting_too_deep;
        e.message = "expression nested more than " + std::to_string(ps.max_depth) + " levels deep";
        e.hint = "split it into several rules, or use a list with `in`";
        throw e;
      }
    } else if constexpr (std::is_same_v<Rule, grammar::string_open>) {
      ParseState& ps = find_parse_state(states...);
      ps.string_start = std::size_t(in.current() - ps.base);
    }
  }
  template <typename Input, typename... States>
  static void success(const Input&, States&... states) {
    if constexpr (counts_nesting<Rule>) --find_parse_state(states...).depth;
  }
  template <typename Input, typename... States>
  static void failure(const Input&, States&... states) {
    if constexpr (counts_nesting<Rule>) --find_parse_state(states...).depth;
  }

  template <typename Input, typename... States>
  [[noreturn]] static void raise(const Input& in, States&... states) {
    ParseState& ps = find_parse_state(states...);
    ErrorInfo info = error_info<Rule>();
    SyntaxError e;
    e.code = info.code;
    std::size_t pos = std::size_t(in.current() - ps.base);
    const std::string_view whole(ps.base, std::size_t(in.end() - ps.base));
    if (info.code == Code::unterminated_string) {
      e.offset = std::uint32_t(ps.string_start);
      e.message = info.expected;
      e.hint = "strings end on the line they start";
    } else if constexpr (std::is_same_v<Rule, grammar::threshold_equals>) {
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
      if (e.hint.empty()) e.hint = habit_hint<Rule>(whole, pos, end);
      // When what comes next is on a later line (and is no misspelt keyword), the mistake is
      // at the end of this line: point there rather than at the next line's first token.
      std::size_t before = pos;
      while (before > 0 && std::isspace(static_cast<unsigned char>(whole[before - 1]))) --before;
      if (e.hint.empty() &&
          whole.substr(before, pos - before).find('\n') != std::string_view::npos) {
        e.offset = std::uint32_t(before);
        e.length = 1;
        found = "the end of the line";
      }
      e.message = std::string(info.expected) + ", found " + found;
    }
    throw e;
  }
};

}  // namespace leadscore::dsl
