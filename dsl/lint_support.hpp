// What the lint checks share: walking a model's expressions, reading constants, and the
// canonical text of an expression (equal text = the same condition). Used by dsl/lint.cpp
// and dsl/condition_solver.cpp only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/ast.hpp"

namespace leadscore::dsl::lint_support {

// A number in a message (rounded like reports) and its exact text (for keys).
std::string num(double x);
std::string exact(double x);
// Text as string comparisons see it: trimmed and lower-cased.
std::string folded(std::string_view s);

// Every node below `e` (aggregates' `where` included), and every node of a model.
void walk(const Expr& e, const std::function<void(const Expr&)>& visit);
void walk_model(const Model& model, const std::function<void(const Expr&)>& visit);

bool is_comparison(Op op);
Op mirrored(Op op);     // `a < b` is `b > a`
Op negation_of(Op op);  // `not (a < b)` is `a >= b` for present operands

// A literal as a comparison sees it.
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

std::optional<Constant> constant_of(const Expr& e);

// One text per meaning: operands of `and`/`or` sorted, strings folded unless `raw_strings`.
std::string canonical(const Expr& e, bool raw_strings = false);

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

}  // namespace leadscore::dsl::lint_support
