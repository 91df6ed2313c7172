#include "dsl/lint_support.hpp"

#include <algorithm>
#include <cstdio>

#include "engine/text.hpp"

namespace leadscore::dsl::lint_support {

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
std::string canonical(const Expr& e, bool raw_strings);

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

}  // namespace leadscore::dsl::lint_support
