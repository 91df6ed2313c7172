// The typed syntax tree of a model. Every node keeps the span of source it came from, so the
// checker, the compiler and the disassembler can all point back at the text.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace leadscore::dsl {

// A byte range of the model source; lines and columns are derived when a diagnostic is made.
struct Span {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
};

enum class Op : std::uint8_t {
  add,
  sub,
  mul,
  div,
  negate,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  between,
  in,
  not_in,
  contains,
  starts_with,
  ends_with,
  matches,
  is_missing,
  is_present,
  logical_not,
  logical_and,
  logical_or,
};

const char* op_text(Op op);

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Duration {
  double seconds = 0;
  Span span;
};

// What a bare name in an expression stands for; the checker fills it in.
enum class NameKind : std::uint8_t { unresolved, attribute, property, event_time, group };

// The aggregates of spec 5.3, read from the lead's events.
enum class AggregateKind : std::uint8_t { count, sum, days_since_last };

struct Expr {
  enum class Kind : std::uint8_t {
    number,        // `number`
    timestamp,     // `number` milliseconds; a date string the checker read as a time
    string,        // `text`
    boolean,       // `number` is 0 or 1
    name,          // bare name `text`; meaning in `name_kind`
    lead_name,     // `lead.text`: always an attribute
    call,          // function `text` applied to `args`
    aggregate,     // count/sum/days_since_last over `event_type`
    unary,         // `op` applied to args[0]
    binary,        // `op` applied to args[0], args[1] (and args[2] for between)
    list_name,     // a declared list, right of `in`
    list_literal,  // `[...]` right of `in`; entries in `args`
  };

  Kind kind = Kind::number;
  Op op = Op::add;
  Span span;
  double number = 0;
  std::string text;
  std::vector<ExprPtr> args;
  NameKind name_kind = NameKind::unresolved;
  // The aggregate (index in Model::aggregates) this node reads; set by the checker.
  std::uint32_t aggregate_index = 0;

  // Aggregates only.
  AggregateKind aggregate = AggregateKind::count;
  std::string event_type;  // "any" for every type
  Span event_span;
  std::string property;  // sum(EVENT.property)
  Span property_span;
  ExprPtr where;
  std::optional<Duration> within;
};

struct Decay {
  enum class Kind : std::uint8_t { none, half_life, linear, step } kind = Kind::none;
  double period_days = 0;   // half-life, linear span, or step period
  double step_percent = 0;  // `P% every D`
  Span span;
};

struct RateLimit {
  std::uint32_t count = 0;
  Duration per;
  Span span;
};

struct Rule {
  std::string name;
  Span name_span;
  std::string label;
  bool negative = false;  // the sign in front of the points
  ExprPtr points;         // a number literal or a parenthesised expression
  Span points_span;

  bool is_event_rule = false;  // `on EVENT` rather than `when COND`
  std::string event_type;      // "any" for `on any`
  Span event_span;
  ExprPtr condition;  // the `when` condition, or the `where` condition (may be null)

  std::optional<double> cap;
  Span cap_span;
  bool once = false;
  Span once_span;
  std::optional<RateLimit> limit;
  std::optional<Duration> within;
  std::optional<Decay> decay;  // an explicit `decay ...` or `no decay` on the rule
};

struct Group {
  bool is_fit = true;
  std::string name;
  Span name_span;
  std::optional<double> cap;
  Span cap_span;
  std::optional<double> floor;
  Span floor_span;
  std::optional<Decay> decay;
  std::optional<Duration> within;
  std::vector<Rule> rules;
};

// A band, or a grade of one group (spec 3.2).
struct Band {
  std::string name;
  Span name_span;
  std::optional<double> threshold;
  Span threshold_span;
  std::string description;
  std::string group;  // grades only
  Span group_span;
};

struct ListEntry {
  bool is_number = false;
  double number = 0;
  std::string text;
  Span span;
  std::uint32_t file_line = 0;  // the line of a list file (0 for a literal list)
};

struct ListDecl {
  std::string name;
  Span name_span;
  std::optional<std::string> file;  // `file "path"` as written
  Span file_span;
  std::vector<ListEntry> entries;  // read from the file by the parser's caller
};

struct Limit {
  std::string target;  // "score" or a group name
  Span target_span;
  double value = 0;
  bool unless = false;  // `unless COND` rather than `when COND`
  ExprPtr condition;
  Span span;  // the whole `limit ...` item, for reports
};

struct Scale {
  double low = 0;
  double high = 0;
  Span span;
};

struct Model {
  std::string name;
  std::string version;
  std::optional<Scale> scale;
  std::vector<Band> bands;
  std::vector<Band> grades;
  std::vector<ListDecl> lists;
  std::vector<Group> groups;
  std::vector<Limit> limits;
  // Every aggregate node, in the order the checker met them; they point back into the tree.
  std::vector<const Expr*> aggregates;
};

}  // namespace leadscore::dsl
