#include "dsl/condition_solver.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "dsl/lint_support.hpp"

namespace leadscore::dsl {
namespace {

using namespace lint_support;

// Decides whether a condition can ever be true, from what it says about each operand that it
// compares with constants. Logic is three-valued, so a comparison that holds needs its operand
// present, and `not` can be pushed down to the comparisons (`not (x < 5)` holds when `x >= 5`
// does). Anything it does not understand is assumed to be possibly true.
class ConditionSolver {
 public:
  explicit ConditionSolver(const Model& model) : model_(model) {}

  using Conflict = ConditionConflict;

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

}  // namespace

std::optional<ConditionConflict> find_contradiction(const Model& model, const Expr& condition) {
  return ConditionSolver(model).never_true(condition);
}

}  // namespace leadscore::dsl
