// The reviewer's checks (LS010-LS018). Each one looks at a model that compiled and says what a
// careful reader would question; none changes what the model computes. Every check errs on the
// quiet side: it fires only on what it can show from the text, never on a guess.
#include "dsl/lint.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "dsl/score_range.hpp"
#include "engine/text.hpp"

namespace leadscore::dsl {
namespace {

// ---- shared helpers ------------------------------------------------------------------------

constexpr double infinity = std::numeric_limits<double>::infinity();

std::string num(double x) {
  return text::format_number(x);
}

// Exact text of a number for keys (format_number rounds to 6 decimals).
std::string exact(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

std::string folded(std::string_view s) {
  return text::lower(text::trim(s));
}

// Every node below `e`, aggregates' `where` included.
void walk(const Expr& e, const std::function<void(const Expr&)>& visit) {
  visit(e);
  for (const auto& a : e.args) walk(*a, visit);
  if (e.where) walk(*e.where, visit);
}

void walk_model(const Model& model, const std::function<void(const Expr&)>& visit) {
  for (const auto& g : model.groups) {
    for (const auto& r : g.rules) {
      if (r.condition) walk(*r.condition, visit);
      if (r.points) walk(*r.points, visit);
    }
  }
  for (const auto& l : model.limits) {
    if (l.condition) walk(*l.condition, visit);
  }
}

bool is_comparison(Op op) {
  return op == Op::eq || op == Op::ne || op == Op::lt || op == Op::le || op == Op::gt ||
         op == Op::ge;
}

// `5 < x` is `x > 5`.
Op mirrored(Op op) {
  switch (op) {
    case Op::lt:
      return Op::gt;
    case Op::le:
      return Op::ge;
    case Op::gt:
      return Op::lt;
    case Op::ge:
      return Op::le;
    default:
      return op;
  }
}

// `not (x < 5)` is true exactly when `x >= 5` is (a missing x makes both unknown).
Op negation_of(Op op) {
  switch (op) {
    case Op::eq:
      return Op::ne;
    case Op::ne:
      return Op::eq;
    case Op::lt:
      return Op::ge;
    case Op::le:
      return Op::gt;
    case Op::gt:
      return Op::le;
    case Op::ge:
      return Op::lt;
    default:
      return op;
  }
}

// A literal operand, folded the way comparisons see it.
struct Constant {
  enum class Kind : std::uint8_t { number, timestamp, string, boolean } kind = Kind::number;
  double number = 0;
  std::string text;  // strings: trimmed and lower-cased

  bool ordered() const { return kind == Kind::number || kind == Kind::timestamp; }
  bool same_kind_and_different(const Constant& o) const {
    if (kind != o.kind) return false;
    return kind == Kind::string ? text != o.text : number != o.number;
  }
};

std::optional<Constant> constant_of(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::number:
      return Constant{Constant::Kind::number, e.number, {}};
    case Expr::Kind::timestamp:
      return Constant{Constant::Kind::timestamp, e.number, {}};
    case Expr::Kind::boolean:
      return Constant{Constant::Kind::boolean, e.number, {}};
    case Expr::Kind::string:
      // A blank string is missing (spec 5.1): no comparison with it is ever true, but say
      // nothing here rather than explain that.
      if (text::is_blank(e.text)) return std::nullopt;
      return Constant{Constant::Kind::string, 0, folded(e.text)};
    case Expr::Kind::unary:
      if (e.op == Op::negate && e.args.at(0)->kind == Expr::Kind::number) {
        return Constant{Constant::Kind::number, -e.args[0]->number, {}};
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// A normal form of an expression: equal texts mean the expressions compute the same thing.
// Names say what they stand for, strings are folded except regular expressions, the operands of
// `and`/`or` and list entries are sorted, and `5 < x` is written `x > 5`.
std::string canonical(const Expr& e, bool raw_strings = false);

void flatten(const Expr& e, Op op, std::vector<std::string>& out) {
  for (const auto& a : e.args) {
    if (a->kind == Expr::Kind::binary && a->op == op) {
      flatten(*a, op, out);
    } else {
      out.push_back(canonical(*a));
    }
  }
}

std::string joined(std::string head, std::vector<std::string> parts, bool sort) {
  if (sort) std::sort(parts.begin(), parts.end());
  for (const auto& p : parts) head += ' ' + p;
  return '(' + head + ')';
}

std::string canonical(const Expr& e, bool raw_strings) {
  switch (e.kind) {
    case Expr::Kind::number:
      return "n" + exact(e.number);
    case Expr::Kind::timestamp:
      return "t" + exact(e.number);
    case Expr::Kind::boolean:
      return e.number != 0 ? "true" : "false";
    case Expr::Kind::string: {
      std::string s = raw_strings ? e.text : folded(e.text);
      return "s" + std::to_string(s.size()) + ':' + s;
    }
    case Expr::Kind::name:
      switch (e.name_kind) {
        case NameKind::property:
          return "p:" + e.text;
        case NameKind::event_time:
          return "ts";
        case NameKind::group:
          return "g:" + e.text;
        default:
          return "a:" + e.text;
      }
    case Expr::Kind::lead_name:
      return "a:" + e.text;
    case Expr::Kind::list_name:
      return "L:" + e.text;
    case Expr::Kind::list_literal: {
      std::vector<std::string> items;
      for (const auto& a : e.args) items.push_back(canonical(*a));
      return joined("list", std::move(items), true);
    }
    case Expr::Kind::call: {
      std::vector<std::string> args;
      for (const auto& a : e.args) args.push_back(canonical(*a));
      return joined("call " + e.text, std::move(args), false);
    }
    case Expr::Kind::aggregate: {
      std::string out = "(agg" + std::to_string(int(e.aggregate)) + ' ' + e.event_type + '.' +
                        e.property + " where " + (e.where ? canonical(*e.where) : "-");
      out += " within " + (e.within ? exact(e.within->seconds) : "-");
      return out + ')';
    }
    case Expr::Kind::unary:
      return joined(op_text(e.op), {canonical(*e.args.at(0))}, false);
    case Expr::Kind::binary: {
      if (e.op == Op::logical_and || e.op == Op::logical_or) {
        std::vector<std::string> parts;
        flatten(e, e.op, parts);
        return joined(op_text(e.op), std::move(parts), true);
      }
      if (e.op == Op::matches) {
        return joined("matches", {canonical(*e.args.at(0)), canonical(*e.args.at(1), true)}, false);
      }
      Op op = e.op;
      const Expr* left = e.args.at(0).get();
      const Expr* right = e.args.size() > 1 ? e.args[1].get() : nullptr;
      if (is_comparison(op) && right && constant_of(*left) && !constant_of(*right)) {
        std::swap(left, right);
        op = mirrored(op);
      }
      std::vector<std::string> args{canonical(*left)};
      if (right) args.push_back(canonical(*right));
      for (std::size_t i = 2; i < e.args.size(); ++i) args.push_back(canonical(*e.args[i]));
      return joined(op_text(op), std::move(args), false);
    }
  }
  return "?";
}

// The members of a list, as `in` compares them (engine/vm.cpp).
struct ListSet {
  std::set<std::string> strings;  // folded
  std::set<double> numbers;

  std::optional<bool> has(const Constant& c) const {
    switch (c.kind) {
      case Constant::Kind::string:
        return strings.count(c.text) > 0;
      case Constant::Kind::number:
        return numbers.count(c.number) > 0;
      case Constant::Kind::boolean:
        return strings.count(c.number != 0 ? "true" : "false") > 0;
      default:
        return std::nullopt;
    }
  }
};

// ---- LS011: conditions that can never be true -----------------------------------------------

// Decides whether a condition can ever be true, from what it says about each operand that it
// compares with constants. Logic is three-valued, so a comparison that holds needs its operand
// present, and `not` can be pushed down to the comparisons (`not (x < 5)` holds when `x >= 5`
// does). Anything it does not understand is assumed to be possibly true.
class ConditionSolver {
 public:
  explicit ConditionSolver(const Model& model) : model_(model) {}

  struct Conflict {
    Span first;
    Span second;  // length 0: `first` alone can never hold
  };

  std::optional<Conflict> never_true(const Expr& condition) {
    conflict_.reset();
    branches_ = 256;
    if (satisfiable({{&condition, false}}, {})) return std::nullopt;
    return conflict_;
  }

 private:
  struct Literal {
    const Expr* expr;
    bool negated;
  };
  struct Bound {
    double value;
    bool strict;
    Span span;
  };
  struct Fact {
    Constant value;
    Span span;
  };
  struct ListFact {
    std::string key;
    std::shared_ptr<const ListSet> members;
    Span span;
  };
  struct Subject {
    std::optional<Span> missing;  // `is missing` holds
    std::optional<Span> present;  // something that needs a value holds
    std::optional<Bound> low, high;
    std::optional<Fact> equal;
    std::vector<Fact> not_equal;
    std::vector<ListFact> in, not_in;
  };
  using Facts = std::map<std::string, Subject>;

  bool fail(Span a, Span b = {0, 0}) {
    if (!conflict_) conflict_ = Conflict{a, b};
    return false;
  }

  // Adds what must hold to `facts`, opening an `or` only once everything else is in: a
  // contradiction outside the `or` is then found without trying each of its branches.
  bool satisfiable(std::vector<Literal> todo, Facts facts) {
    std::vector<Literal> choices;
    while (!todo.empty()) {
      Literal lit = todo.back();
      todo.pop_back();
      const Expr& e = *lit.expr;
      if (e.kind == Expr::Kind::binary && (e.op == Op::logical_and || e.op == Op::logical_or)) {
        // `not (a or b)` is `not a and not b`; `not (a and b)` is `not a or not b`.
        if ((e.op == Op::logical_and) != lit.negated) {
          for (const auto& a : e.args) todo.push_back({a.get(), lit.negated});
        } else {
          choices.push_back(lit);
        }
        continue;
      }
      if (e.kind == Expr::Kind::unary && e.op == Op::logical_not) {
        todo.push_back({e.args.at(0).get(), !lit.negated});
        continue;
      }
      if (!add(e, lit.negated, facts)) return false;
    }
    if (choices.empty()) return true;
    Literal choice = choices.back();
    choices.pop_back();
    for (const auto& a : choice.expr->args) {
      // Too many branches: give up and call it possible.
      if (--branches_ < 0) return true;
      auto branch = choices;
      branch.push_back({a.get(), choice.negated});
      if (satisfiable(std::move(branch), facts)) return true;
    }
    return false;
  }

  bool needs_value(const Expr& operand, Span span, Facts& facts) {
    if (constant_of(operand)) return true;
    Subject& s = facts[key(operand)];
    if (s.missing) return fail(*s.missing, span);
    if (!s.present) s.present = span;
    return true;
  }

  // One comparison (or its negation) that must hold.
  bool add(const Expr& e, bool negated, Facts& facts) {
    if (e.kind == Expr::Kind::boolean) {
      return (e.number != 0) != negated ? true : fail(e.span);
    }
    if (e.kind == Expr::Kind::name || e.kind == Expr::Kind::lead_name) {
      // A boolean standing alone: `is_customer`, `not is_customer`.
      return equal(e, Constant{Constant::Kind::boolean, negated ? 0.0 : 1.0, {}}, e.span, facts);
    }
    if (e.kind == Expr::Kind::unary && (e.op == Op::is_missing || e.op == Op::is_present)) {
      bool missing = (e.op == Op::is_missing) != negated;
      const Expr& x = *e.args.at(0);
      if (constant_of(x)) return true;
      Subject& s = facts[key(x)];
      if (missing) {
        if (s.present) return fail(*s.present, e.span);
        if (!s.missing) s.missing = e.span;
      } else {
        if (s.missing) return fail(*s.missing, e.span);
        if (!s.present) s.present = e.span;
      }
      return true;
    }
    if (e.kind != Expr::Kind::binary) return true;  // an aggregate, a call...: who knows
    // Whatever the comparison, it (or its negation) holds only with its operands present.
    for (const auto& a : e.args) {
      if (a->kind == Expr::Kind::list_name || a->kind == Expr::Kind::list_literal) continue;
      if (!needs_value(*a, e.span, facts)) return false;
    }
    if (is_comparison(e.op)) {
      const Expr* x = e.args.at(0).get();
      auto c = constant_of(*e.args.at(1));
      Op op = negated ? negation_of(e.op) : e.op;
      if (!c) {
        c = constant_of(*x);
        if (!c || constant_of(*e.args[1])) return true;
        x = e.args[1].get();
        op = mirrored(op);
      }
      return compare(*x, op, *c, e.span, facts);
    }
    if (e.op == Op::between && !negated) {
      auto low = constant_of(*e.args.at(1));
      auto high = constant_of(*e.args.at(2));
      if (!low || !high || !low->ordered() || !high->ordered()) return true;
      if (low->number > high->number) return fail(e.span);  // decision 11: always false
      return compare(*e.args[0], Op::ge, *low, e.span, facts) &&
             compare(*e.args[0], Op::le, *high, e.span, facts);
    }
    if (e.op == Op::in || e.op == Op::not_in) {
      const Expr& list = *e.args.at(1);
      auto members = list_members(list);
      if (!members || constant_of(*e.args[0])) return true;
      Subject& s = facts[key(*e.args[0])];
      ListFact fact{key(list), members, e.span};
      bool inside = (e.op == Op::in) != negated;
      for (const auto& other : inside ? s.not_in : s.in) {
        if (other.key == fact.key) return fail(other.span, e.span);
      }
      if (s.equal) {
        auto has = fact.members->has(s.equal->value);
        if (has && *has != inside) return fail(s.equal->span, e.span);
      }
      (inside ? s.in : s.not_in).push_back(std::move(fact));
    }
    return true;
  }

  // The canonical text of an operand, computed once per node.
  const std::string& key(const Expr& e) {
    auto it = keys_.find(&e);
    if (it == keys_.end()) it = keys_.emplace(&e, canonical(e)).first;
    return it->second;
  }

  // The members of a list operand, gathered once per list (a list file may be long).
  std::shared_ptr<const ListSet> list_members(const Expr& list) {
    const std::string& name = key(list);
    if (auto it = lists_.find(name); it != lists_.end()) return it->second;
    auto out = std::make_shared<ListSet>();
    auto add = [&](bool is_number, double number, const std::string& text) {
      if (is_number) {
        out->numbers.insert(number);
      } else {
        out->strings.insert(folded(text));
      }
    };
    bool found = list.kind == Expr::Kind::list_literal;
    if (found) {
      for (const auto& item : list.args) {
        add(item->kind == Expr::Kind::number, item->number, item->text);
      }
    }
    for (const auto& decl : model_.lists) {
      if (found || decl.name != list.text) continue;
      found = true;
      for (const auto& entry : decl.entries) add(entry.is_number, entry.number, entry.text);
    }
    if (!found) out = nullptr;
    lists_.emplace(name, out);
    return out;
  }

  bool compare(const Expr& x, Op op, const Constant& c, Span span, Facts& facts) {
    if (op == Op::eq) return equal(x, c, span, facts);
    Subject& s = facts[key(x)];
    if (op == Op::ne) {
      if (s.equal && !s.equal->value.same_kind_and_different(c) && s.equal->value.kind == c.kind) {
        return fail(s.equal->span, span);
      }
      s.not_equal.push_back({c, span});
      return true;
    }
    if (!c.ordered()) return true;
    Bound bound{c.number, op == Op::lt || op == Op::gt, span};
    if (op == Op::gt || op == Op::ge) {
      if (!s.low || bound.value > s.low->value || (bound.value == s.low->value && bound.strict)) {
        s.low = bound;
      }
    } else if (!s.high || bound.value < s.high->value ||
               (bound.value == s.high->value && bound.strict)) {
      s.high = bound;
    }
    return consistent(s);
  }

  bool equal(const Expr& x, const Constant& c, Span span, Facts& facts) {
    Subject& s = facts[key(x)];
    if (s.missing) return fail(*s.missing, span);
    if (!s.present) s.present = span;
    if (s.equal) {
      if (s.equal->value.same_kind_and_different(c)) return fail(s.equal->span, span);
      return true;
    }
    s.equal = Fact{c, span};
    for (const auto& ne : s.not_equal) {
      if (ne.value.kind == c.kind && !ne.value.same_kind_and_different(c)) {
        return fail(ne.span, span);
      }
    }
    for (const auto* lists : {&s.in, &s.not_in}) {
      for (const auto& l : *lists) {
        auto has = l.members->has(c);
        if (has && *has != (lists == &s.in)) return fail(l.span, span);
      }
    }
    return consistent(s);
  }

  // Bounds that leave no room, or an equality outside them.
  bool consistent(const Subject& s) {
    if (s.low && s.high &&
        (s.low->value > s.high->value ||
         (s.low->value == s.high->value && (s.low->strict || s.high->strict)))) {
      return fail(s.low->span, s.high->span);
    }
    if (s.equal && s.equal->value.ordered()) {
      double v = s.equal->value.number;
      if (s.low && (v < s.low->value || (v == s.low->value && s.low->strict))) {
        return fail(s.low->span, s.equal->span);
      }
      if (s.high && (v > s.high->value || (v == s.high->value && s.high->strict))) {
        return fail(s.high->span, s.equal->span);
      }
    }
    return true;
  }

  const Model& model_;
  std::optional<Conflict> conflict_;
  int branches_ = 0;
  std::unordered_map<const Expr*, std::string> keys_;
  std::map<std::string, std::shared_ptr<const ListSet>> lists_;
};

// ---- the checks ----------------------------------------------------------------------------

class Linter {
 public:
  Linter(const Model& model, DiagnosticSink& sink)
      : model_(model), sink_(sink), ranges_(score_ranges(model)) {}

  void run() {
    unreachable_bands();
    impossible_conditions();
    oversized_rule_caps();
    idle_limits();
    duplicate_rules();
    duplicate_list_entries();
    unused_lists();
    undecayed_when_rules();
    decisive_rules();
  }

 private:
  std::uint32_t line_of(Span span) const { return sink_.source().line_of(span.offset); }

  // Source text for a message: on one line, white space runs made one space, long text cut.
  std::string quoted(Span span) const {
    std::string s;
    for (char c : text::trim(sink_.source().slice(span))) {
      bool space = std::isspace(static_cast<unsigned char>(c));
      if (!space) {
        s += c;
      } else if (s.back() != ' ') {
        s += ' ';
      }
    }
    constexpr std::size_t longest = 60;
    if (s.size() > longest) {
      std::size_t cut = longest;
      while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
      s = s.substr(0, cut) + "...";
    }
    return '`' + s + '`';
  }

  // LS010 ---------------------------------------------------------------------------------------
  void unreachable_bands() {
    check_bands(model_.bands, ranges_.score, "band", "", "score",
                "raise the caps (or `scale`) that hold the score down");
    for (std::size_t g = 0; g < model_.groups.size(); ++g) {
      const std::string& name = model_.groups[g].name;
      std::vector<Band> grades;
      for (const auto& b : model_.grades) {
        if (b.group == name) grades.push_back(b);
      }
      check_bands(grades, ranges_.limited_groups[g], "grade", " of group `" + name + "`",
                  "total of `" + name + "`", "raise the caps that hold `" + name + "` down");
    }
  }

  // `what` `NAME``whose`: "band `hot`", "grade `A` of group `fit`"; `value` is what it reads.
  void check_bands(const std::vector<Band>& bands, Range range, const std::string& what,
                   const std::string& whose, const std::string& value, const std::string& raise) {
    double highest = text::round2(range.high);
    double lowest = text::round2(range.low);
    for (std::size_t i = 0; i < bands.size(); ++i) {
      const Band& b = bands[i];
      std::string named = what + " `" + b.name + "`" + whose;
      if (b.threshold && *b.threshold > highest) {
        sink_.report(Code::unreachable_band, b.threshold_span,
                     "no lead can reach " + named + ": its threshold is " + num(*b.threshold) +
                         ", but the highest possible " + value + " is " + num(highest),
                     "lower the threshold, or " + raise);
        continue;
      }
      if (i > 0 && bands[i - 1].threshold && lowest >= *bands[i - 1].threshold) {
        sink_.report(Code::unreachable_band, b.threshold ? b.threshold_span : b.name_span,
                     "no lead can reach " + named + ": the lowest possible " + value + " is " +
                         num(lowest) + ", which already reaches `" + bands[i - 1].name +
                         "` (>= " + num(*bands[i - 1].threshold) + ")",
                     "raise the threshold of `" + bands[i - 1].name + "`, or remove the " + what +
                         "s below it");
      }
    }
  }

  // LS011 ---------------------------------------------------------------------------------------
  void impossible_conditions() {
    ConditionSolver solver(model_);
    for (const auto& g : model_.groups) {
      for (const auto& r : g.rules) {
        if (!r.condition) continue;
        auto conflict = solver.never_true(*r.condition);
        if (!conflict) continue;
        std::string why = conflict->second.length == 0
                              ? quoted(conflict->first) + " is never true"
                              : quoted(conflict->first) + " and " + quoted(conflict->second) +
                                    " cannot both be true";
        sink_.report(Code::rule_never_fires, r.condition->span,
                     "rule `" + r.name + "` can never fire: " + why,
                     "check the constants (was `or` meant instead of `and`?), or remove the rule");
      }
    }
  }

  // LS012 ---------------------------------------------------------------------------------------
  void oversized_rule_caps() {
    for (std::size_t gi = 0; gi < model_.groups.size(); ++gi) {
      const Group& g = model_.groups[gi];
      const auto& rules = ranges_.rules[gi];
      for (std::size_t ri = 0; ri < g.rules.size(); ++ri) {
        const Rule& r = g.rules[ri];
        if (!r.cap) continue;
        double others_low = 0, others_high = 0;
        for (std::size_t k = 0; k < rules.size(); ++k) {
          if (k == ri) continue;
          others_low += rules[k].value.low;
          others_high += rules[k].value.high;
        }
        const Range& raw = rules[ri].uncapped;
        // The most of this rule the group can pass on: up to its cap, plus whatever the other
        // rules may have taken away. Beyond that the rule's cap never matters.
        if (g.cap) {
          double usable = *g.cap - others_low;
          if (*r.cap > usable && raw.high > usable) {
            report_cap(r, g, usable, "is capped at " + num(*g.cap), others_low < 0);
            continue;
          }
        }
        if (g.floor) {
          double usable = others_high - *g.floor;
          if (*r.cap > usable && -raw.low > usable) {
            report_cap(r, g, usable, "has a floor of " + num(*g.floor), others_high > 0);
          }
        }
      }
    }
  }

  void report_cap(const Rule& r, const Group& g, double usable, const std::string& bound,
                  bool others_matter) {
    std::string message = "rule `" + r.name + "` has `cap " + num(*r.cap) + "`, but group `" +
                          g.name + "` " + bound + ", so at most " + num(usable) +
                          " of this rule can ever count";
    if (others_matter) message += " (counting what the group's other rules can offset)";
    sink_.report(
        Code::rule_cap_unused, r.cap_span, std::move(message),
        "lower the rule's cap to " + num(usable) + " or less, or change the group's cap or floor");
  }

  // LS013 ---------------------------------------------------------------------------------------
  void idle_limits() {
    for (const auto& g : model_.groups) {
      for (const auto& r : g.rules) {
        if (!r.is_event_rule || !r.once || !r.limit) continue;
        sink_.report(Code::limit_never_binds, r.limit->span,
                     "rule `" + r.name + "` has `once`, so only one match counts anyway: its " +
                         quoted(r.limit->span) +
                         " cannot add or remove points, it can only make an older match the one "
                         "kept",
                     "remove the `limit` (or `once`, if several matches should count)");
      }
    }
    for (const auto& l : model_.limits) {
      Range reach = ranges_.unlimited_score;
      std::string what = "the score";
      if (l.target != "score") {
        auto g = group_index(l.target);
        if (!g) continue;
        reach = ranges_.groups[*g];
        what = "group `" + l.target + "`";
      }
      if (!(l.value >= reach.high)) continue;
      sink_.report(Code::limit_never_binds, l.span,
                   "this limit can never lower " + what + ": it caps it at " + num(l.value) +
                       ", but " + what + " can be at most " + num(reach.high) + " before limits",
                   "lower the limit below " + num(reach.high) + ", or remove it");
    }
  }

  std::optional<std::size_t> group_index(const std::string& name) const {
    for (std::size_t i = 0; i < model_.groups.size(); ++i) {
      if (model_.groups[i].name == name) return i;
    }
    return std::nullopt;
  }

  // LS014 ---------------------------------------------------------------------------------------
  // Two rules count the same thing when they see the same matches (trigger and condition, and
  // for `on` rules the same `within`, `limit` and `once`) and pay for each in the same way
  // (constant points, or the same points expression, with the same decay). A rule whose points
  // come from another expression measures something else: `+10` per attendance next to
  // `+(minutes / 10)` for the time in the room. An `on` rule without `where` next to one with a
  // `where` on the same event is the usual "base points plus a bonus" when the points differ,
  // so that overlap is reported only when they are the same.
  struct RuleKey {
    std::string trigger;
    std::string selection;
    std::string condition;  // empty: no `where`
    std::string payment;    // how each match is paid, apart from a constant's value
    std::string points;     // the signed points exactly
  };

  void duplicate_rules() {
    // Rules can only clash within one bucket (same trigger, selection and way of paying), and
    // inside it the lookups are by key, so a model of thousands of rules stays fast.
    std::map<std::string, const Rule*> by_condition;  // bucket + condition -> first rule
    std::map<std::string, const Rule*> wide;          // bucket + points -> first without `where`
    std::map<std::string, const Rule*> narrow;        // bucket + points -> first with `where`
    for (const auto& g : model_.groups) {
      for (const auto& r : g.rules) {
        RuleKey key = key_of(r, g);
        std::string bucket = key.trigger + '\n' + key.selection + '\n' + key.payment + '\n';
        auto [same, fresh] = by_condition.emplace(bucket + key.condition, &r);
        if (!fresh) {
          sink_.report(Code::duplicate_rule, r.name_span,
                       "rule `" + r.name + "` gives points for the same " +
                           (r.is_event_rule ? "events" : "condition") + " as " +
                           named(*same->second) + ": every match counts twice",
                       "merge the two rules into one, or make their conditions differ");
          continue;
        }
        if (!r.is_event_rule || r.event_type == "any") continue;
        std::string points = bucket + key.points;
        bool has_where = !key.condition.empty();
        (has_where ? narrow : wide).emplace(points, &r);
        auto other = has_where ? wide.find(points) : narrow.find(points);
        if (other == (has_where ? wide.end() : narrow.end())) continue;
        sink_.report(
            Code::duplicate_rule, r.name_span,
            has_where ? "every event rule `" + r.name + "` counts is also counted, with the same " +
                            "points, by " + named(*other->second) +
                            ", which has no `where`: those count twice"
                      : "rule `" + r.name + "` counts every `" + r.event_type +
                            "` event, so the events " + named(*other->second) +
                            " counts (with the same points) count twice",
            "remove the narrower rule, or give it its own points if it is meant as a bonus");
      }
    }
  }

  std::string named(const Rule& r) const {
    return "`" + r.name + "` (line " + std::to_string(line_of(r.name_span)) + ")";
  }

  RuleKey key_of(const Rule& r, const Group& g) const {
    RuleKey key;
    key.condition = r.condition ? canonical(*r.condition) : std::string();
    bool constant = r.points && r.points->kind == Expr::Kind::number;
    std::string sign = r.negative ? "-" : "+";
    key.points = r.points ? sign + canonical(*r.points) : sign;
    key.payment = constant ? "constant" : key.points;
    if (!r.is_event_rule) {
      key.trigger = "when";
      return key;
    }
    key.trigger = "on " + r.event_type;
    const auto& within = r.within ? r.within : g.within;
    key.selection = "within " + (within ? exact(within->seconds) : "-");
    if (r.limit) {
      key.selection +=
          " limit " + std::to_string(r.limit->count) + " per " + exact(r.limit->per.seconds);
    }
    if (r.once) key.selection += " once";
    const auto& decay = r.decay ? r.decay : g.decay;
    if (decay && decay->kind != Decay::Kind::none) {
      key.payment += " decay " + std::to_string(int(decay->kind)) + ' ' +
                     exact(decay->period_days) + ' ' + exact(decay->step_percent);
    }
    return key;
  }

  // LS015 ---------------------------------------------------------------------------------------
  void duplicate_list_entries() {
    for (const auto& list : model_.lists) {
      std::map<std::string, const ListEntry*> first;
      std::vector<std::string> repeats;
      std::size_t count = 0;
      for (const auto& e : list.entries) {
        // A numeric line of a list file is stored twice, as text and as a number: one entry.
        if (list.file && e.is_number) continue;
        std::string key = e.is_number ? "n" + exact(e.number) : "s" + folded(e.text);
        auto [it, fresh] = first.emplace(key, &e);
        if (fresh) continue;
        if (++count > 3) continue;
        std::string shown = e.is_number ? num(e.number) : "\"" + e.text + "\"";
        if (!list.file) {
          shown += " (line " + std::to_string(line_of(e.span));
          if (line_of(it->second->span) != line_of(e.span)) {
            shown += ", first on line " + std::to_string(line_of(it->second->span));
          }
          shown += ")";
        }
        repeats.push_back(shown);
      }
      if (count == 0) continue;
      std::string listed;
      for (std::size_t i = 0; i < repeats.size(); ++i) {
        listed += (i == 0 ? "" : ", ") + repeats[i];
      }
      if (count > repeats.size())
        listed += " and " + std::to_string(count - repeats.size()) + " more";
      sink_.report(
          Code::duplicate_list_entry, list.name_span,
          "list `" + list.name + "` " + (list.file ? "(file " + *list.file + ") " : "") + "has " +
              (count == 1 ? "a duplicate entry" : std::to_string(count) + " duplicate entries") +
              ": " + listed,
          "entries are compared ignoring case and surrounding spaces; remove the "
          "repeats");
    }
  }

  // LS016 ---------------------------------------------------------------------------------------
  void unused_lists() {
    std::set<std::string> used;
    walk_model(model_, [&](const Expr& e) {
      if (e.kind == Expr::Kind::list_name) used.insert(e.text);
    });
    for (const auto& list : model_.lists) {
      if (used.count(list.name)) continue;
      sink_.report(Code::unused_list, list.name_span,
                   "list `" + list.name + "` is never used: no rule or limit reads it",
                   "remove it, or use it in a condition such as `x in " + list.name + "`");
    }
  }

  // LS017 ---------------------------------------------------------------------------------------
  // A `when` rule whose condition already looks at time (an aggregate with `within`,
  // `days_since_last`, `days_since`) was written with ageing in mind: no warning for it.
  static bool reads_time(const Rule& r) {
    bool found = false;
    auto visit = [&](const Expr& e) {
      if (e.kind == Expr::Kind::aggregate &&
          (e.within || e.aggregate == AggregateKind::days_since_last)) {
        found = true;
      }
      if (e.kind == Expr::Kind::call && e.text == "days_since") found = true;
    };
    if (r.condition) walk(*r.condition, visit);
    if (r.points) walk(*r.points, visit);
    return found;
  }

  void undecayed_when_rules() {
    for (const auto& g : model_.groups) {
      if (g.is_fit || !g.decay || g.decay->kind == Decay::Kind::none) continue;
      for (const auto& r : g.rules) {
        if (r.is_event_rule || reads_time(r)) continue;
        sink_.report(Code::when_rule_not_decayed, r.name_span,
                     "`when` rule `" + r.name + "` does not decay: the decay of group `" + g.name +
                         "` applies only to its `on` rules (its points stay whole as long as "
                         "the condition holds)",
                     "to make it fade, turn it into an `on` rule or give its condition a window "
                     "(`count(... within 30 days)`); if that is intended, add "
                     "`# leadscore: ignore LS017`");
      }
    }
  }

  // LS018 ---------------------------------------------------------------------------------------
  void decisive_rules() {
    const auto& bands = model_.bands;
    if (bands.size() < 2 || !bands.front().threshold || !bands[bands.size() - 2].threshold) return;
    const Band& top = bands.front();
    const Band& lowest = bands.back();
    double lowest_threshold = *bands[bands.size() - 2].threshold;
    const std::size_t n = model_.groups.size();
    // Each group's highest sum, kept as a finite part and a count of unbounded rules so that
    // one rule can be taken out of it.
    std::vector<double> finite_high(n, 0);
    std::vector<int> unbounded_high(n, 0);
    for (std::size_t g = 0; g < n; ++g) {
      for (const auto& rule : ranges_.rules[g]) {
        if (std::isinf(rule.value.high)) {
          ++unbounded_high[g];
        } else {
          finite_high[g] += rule.value.high;
        }
      }
    }
    auto others_high = [&](std::size_t g, const Range& own) {
      int unbounded = unbounded_high[g] - (std::isinf(own.high) ? 1 : 0);
      return unbounded > 0 ? infinity : finite_high[g] - (std::isinf(own.high) ? 0 : own.high);
    };
    double nothing = text::round2(score_from_sums(model_, std::vector<double>(n, 0)));
    for (std::size_t gi = 0; gi < n; ++gi) {
      const Group& g = model_.groups[gi];
      for (std::size_t ri = 0; ri < g.rules.size(); ++ri) {
        const Rule& r = g.rules[ri];
        const Range& value = ranges_.rules[gi][ri].value;
        // From nothing to the top band: every other rule gives 0.
        if (value.high > 0 && nothing < *top.threshold) {
          std::vector<double> sums(n, 0);
          sums[gi] = value.high;
          double alone = text::round2(score_from_sums(model_, sums));
          if (alone >= *top.threshold) {
            report_decisive(r,
                            "a lead with nothing else reaches the top band `" + top.name +
                                "` (>= " + num(*top.threshold) + ")",
                            clamp_group(value.high, g), "give it (or its group) a smaller cap");
            continue;
          }
        }
        // From the highest score to the lowest band: every other rule at its highest.
        if (value.low < 0) {
          std::vector<double> sums(n);
          for (std::size_t k = 0; k < n; ++k) {
            sums[k] = unbounded_high[k] > 0 ? infinity : finite_high[k];
          }
          sums[gi] = others_high(gi, value);
          double without = text::round2(score_from_sums(model_, sums));
          sums[gi] += value.low;
          double with = text::round2(score_from_sums(model_, sums));
          if (std::isnan(with) || std::isnan(without)) continue;
          if (without >= lowest_threshold && with < lowest_threshold) {
            report_decisive(r,
                            "even a lead with the highest possible score falls to the lowest "
                            "band `" +
                                lowest.name + "` (below " + num(lowest_threshold) + ")",
                            value.low, "make its points smaller, or give its group a floor");
          }
        }
      }
    }
  }

  void report_decisive(const Rule& r, const std::string& outcome, double points,
                       const std::string& fix) {
    std::string verb = points < 0 ? "take away " : "give ";
    std::string amount = std::isinf(points) ? "points without bound (nothing caps it)"
                                            : num(std::abs(points)) + " points (after the caps)";
    sink_.report(
        Code::rule_decides_band, r.name_span,
        "rule `" + r.name + "` alone decides the band: it can " + verb + amount + ", so " + outcome,
        fix +
            "; if one signal really is meant to decide, add "
            "`# leadscore: ignore LS018`");
  }

  const Model& model_;
  DiagnosticSink& sink_;
  ScoreRanges ranges_;
};

}  // namespace

void lint_model(const Model& model, const engine::Program&, const Schema*, DiagnosticSink& sink) {
  // With a schema, an event type the schema does not know is already an error (LS205), so a
  // model that gets here has none: only the contradictions are left for LS011.
  Linter(model, sink).run();
}

}  // namespace leadscore::dsl
