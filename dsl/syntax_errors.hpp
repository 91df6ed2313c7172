// What the parser says when the text stops following the grammar: one message per place
// where the grammar has committed (`must<>`), kept together here so they read as a set.
// Also the nesting-depth guard. Included by dsl/parser.cpp only.
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "dsl/grammar.hpp"
#include "dsl/syntax_error.hpp"

namespace leadscore::dsl {

template <typename Rule>
constexpr HabitContext habit_context() {
  if constexpr (std::is_same_v<Rule, grammar::points>) return HabitContext::points;
  if constexpr (std::is_same_v<Rule, grammar::points_value>) return HabitContext::points_value;
  return HabitContext::other;
}

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
    throw_syntax_error(error_info<Rule>(), habit_context<Rule>(),
                       std::is_same_v<Rule, grammar::threshold_equals>, find_parse_state(states...),
                       in.current(), in.end());
  }
};

}  // namespace leadscore::dsl
