// Converting PEGTL's generic parse tree into the typed tree of dsl/ast.hpp. Included by
// dsl/parser.cpp only (it needs the grammar's rule types, and PEGTL stays in one translation
// unit); kept apart so the parser file holds just the item-by-item driver.
#pragma once

#include <tao/pegtl/contrib/parse_tree.hpp>

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"
#include "dsl/grammar.hpp"
#include "leadscore/leadscore.hpp"

namespace leadscore::dsl {
namespace tree {

namespace pg = tao::pegtl;
namespace pt = tao::pegtl::parse_tree;
using namespace grammar;

// ---- parse tree selection -----------------------------------------------------------------
// Nodes kept in the generic tree. Everything else is transparent: its kept descendants hang
// from the nearest kept ancestor. Chains (`a or b`, `a + b`) fold away when they have one link.
template <typename Rule>
using selector = pt::selector<
    Rule,
    pt::store_content::on<
        number_lit, percent_lit, string_lit, true_lit, false_lit, name_ref, attribute_name,
        function_name, agg_function, agg_event, event_property, agg_where, agg_within, aggregate,
        call, lead_ref, paren_expr, negation, logical_not, compare_tail, between_tail, not_in_tail,
        in_tail, contains_tail, starts_tail, ends_tail, matches_tail, is_tail, compare_op, add_op,
        mul_op, missing_word, present_word, list_literal, name, unsigned_number, signed_number,
        whole_number, percent, time_unit, duration, points_sign, points, when_clause, on_clause,
        rule_event, where_clause, half_life_decay, linear_decay, step_decay, no_decay_word,
        decay_clause, no_decay_clause, cap_value, cap_clause, floor_clause, once_clause,
        limit_clause, within_clause, rule_name, rule_label, rule_item, model_item, version_item,
        scale_item, threshold, description, label_name, band_item, grade_group, grade_item,
        list_name, list_file, list_item_decl, group_kind, group_name, group_header, limit_target,
        limit_mode, limit_item>,
    // The depth guard (dsl/syntax_errors.hpp) only sees selected rules, so the nesting
    // points are selected too; having one child each, they fold away.
    pt::fold_one::on<or_expr, expr, nested_expr, negated_operand, not_operand, condition, and_expr,
                     comparison, additive, operand, multiplicative>>;

using Node = pt::node;

// The span of a node's own text, without the white space and comments after it.
inline Span span_of(const Node& n, const char* base) {
  if (!n.has_content()) {
    // Chains folded by the selector lose their content: span their children instead.
    if (n.children.empty()) return Span{std::uint32_t(n.m_begin.data - base), 0};
    Span first = span_of(*n.children.front(), base);
    Span last = span_of(*n.children.back(), base);
    return Span{first.offset, last.offset + last.length - first.offset};
  }
  std::string_view text = n.string_view();
  std::size_t end = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        end = i + 1;
      }
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == '"') in_string = true;
    if (!std::isspace(static_cast<unsigned char>(c))) end = i + 1;
  }
  return Span{std::uint32_t(text.data() - base), std::uint32_t(end)};
}

inline std::string_view token_text(const Node& n, const char* base) {
  Span s = span_of(n, base);
  return std::string_view(base + s.offset, s.length);
}

inline double parse_number(std::string_view text) {
  std::string copy(text);
  if (!copy.empty() && copy.back() == '%') copy.pop_back();
  return std::strtod(copy.c_str(), nullptr);
}

// Reads a string literal's value; the grammar has already checked its escapes.
inline std::string unquote(std::string_view literal) {
  std::string out;
  for (std::size_t i = 1; i + 1 < literal.size(); ++i) {
    char c = literal[i];
    if (c == '\\' && i + 2 < literal.size() + 1) {
      char e = literal[++i];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
    } else {
      out += c;
    }
  }
  return out;
}

// ---- conversion of the generic tree into dsl::Model ---------------------------------------
class Converter {
 public:
  Converter(const char* base, const Limits& limits, DiagnosticSink& sink)
      : base_(base), limits_(limits), sink_(sink) {}

  Span span(const Node& n) const { return span_of(n, base_); }
  std::string text(const Node& n) const { return std::string(token_text(n, base_)); }
  // Every numeral of the model passes here, so one too large for a double is reported once,
  // wherever it is (a threshold, a cap, a list entry, a duration, a points value).
  double number(const Node& n) const {
    const double value = parse_number(token_text(n, base_));
    if (!std::isfinite(value)) {
      sink_.report(Code::number_out_of_range, span(n), "this number is too large");
    }
    return value;
  }
  std::string string_value(const Node& n) const { return unquote(token_text(n, base_)); }

  Duration duration(const Node& n) const {
    // duration := unsigned_number time_unit
    double amount = number(*n.children.at(0));
    // A numeral too large was just reported; a stand-in keeps the checker from saying it twice.
    if (!std::isfinite(amount)) amount = 1;
    std::string unit = text(*n.children.at(1));
    double seconds = unit.rfind("hour", 0) == 0  ? 3600.0
                     : unit.rfind("day", 0) == 0 ? 86400.0
                                                 : 7 * 86400.0;
    return Duration{amount * seconds, span(n)};
  }

  Decay decay(const Node& clause) const {
    Decay d;
    d.span = span(clause);
    if (clause.is_type<no_decay_clause>()) return d;
    const Node& spec = *clause.children.at(0);
    if (spec.is_type<half_life_decay>()) {
      d.kind = Decay::Kind::half_life;
      d.period_days = duration(*spec.children.at(0)).seconds / 86400.0;
    } else if (spec.is_type<linear_decay>()) {
      d.kind = Decay::Kind::linear;
      d.period_days = duration(*spec.children.at(0)).seconds / 86400.0;
    } else if (spec.is_type<step_decay>()) {
      d.kind = Decay::Kind::step;
      d.step_percent = number(*spec.children.at(0));
      d.period_days = duration(*spec.children.at(1)).seconds / 86400.0;
    }
    return d;
  }

  // Expressions. `depth` is how many nesting levels enclose the node being built (decision 17
  // of dsl/LANGUAGE.md): a parenthesis, a function call or aggregate, `not`, unary minus, each
  // `+ - * /` of a chain and each `and`/`or` chain are one level each; a comparison is none.
  // The parser's guard (dsl/syntax_errors.hpp) counts the levels that recurse in the grammar,
  // a subset of these, so it never refuses what this accepts; chains are only counted here.
  ExprPtr to_expr(const Node& n, std::size_t depth) {
    if (depth > limits_.max_nesting_depth) {
      if (!depth_reported_) {
        sink_.report(Code::nesting_too_deep, span(n),
                     "expression nested more than " + std::to_string(limits_.max_nesting_depth) +
                         " levels deep",
                     "split it into several rules, or use a list with `in`");
        depth_reported_ = true;
      }
      return nullptr;
    }
    if (n.is_type<paren_expr>()) return to_expr(*n.children.at(0), depth + 1);
    auto e = std::make_unique<Expr>();
    e->span = span(n);
    if (n.is_type<number_lit>() || n.is_type<percent_lit>()) {
      e->kind = Expr::Kind::number;
      e->number = number(n);
      if (n.is_type<percent_lit>()) e->number /= 100.0;
    } else if (n.is_type<string_lit>()) {
      e->kind = Expr::Kind::string;
      e->text = string_value(n);
    } else if (n.is_type<true_lit>() || n.is_type<false_lit>()) {
      e->kind = Expr::Kind::boolean;
      e->number = n.is_type<true_lit>() ? 1 : 0;
    } else if (n.is_type<name_ref>()) {
      e->kind = Expr::Kind::name;
      e->text = text(n);
    } else if (n.is_type<lead_ref>()) {
      e->kind = Expr::Kind::lead_name;
      e->text = text(*n.children.at(0));
    } else if (n.is_type<call>()) {
      e->kind = Expr::Kind::call;
      e->text = text(*n.children.at(0));
      for (std::size_t i = 1; i < n.children.size(); ++i) {
        if (!add_arg(*e, *n.children[i], depth + 1)) return nullptr;
      }
    } else if (n.is_type<aggregate>()) {
      return aggregate_expr(std::move(e), n, depth);
    } else if (n.is_type<negation>()) {
      e->kind = Expr::Kind::unary;
      e->op = Op::negate;
      if (!add_arg(*e, *n.children.at(0), depth + 1)) return nullptr;
    } else if (n.is_type<logical_not>()) {
      e->kind = Expr::Kind::unary;
      e->op = Op::logical_not;
      if (!add_arg(*e, *n.children.at(0), depth + 1)) return nullptr;
    } else if (n.is_type<or_expr>() || n.is_type<expr>() || n.is_type<nested_expr>() ||
               n.is_type<condition>()) {
      return logical_chain(std::move(e), n, Op::logical_or, depth);
    } else if (n.is_type<and_expr>()) {
      return logical_chain(std::move(e), n, Op::logical_and, depth);
    } else if (n.is_type<additive>() || n.is_type<operand>() || n.is_type<multiplicative>()) {
      return arithmetic_chain(n, depth);
    } else if (n.is_type<comparison>()) {
      return comparison_expr(std::move(e), n, depth);
    } else {
      sink_.report(Code::syntax, span(n), "unexpected `" + text(n) + "` in an expression");
      return nullptr;
    }
    return e;
  }

  Rule rule(const Node& n) {
    Rule r;
    std::size_t i = 0;
    r.name = text(*n.children.at(i));
    r.name_span = span(*n.children.at(i++));
    if (n.children.at(i)->is_type<rule_label>()) r.label = string_value(*n.children.at(i++));
    const Node& pts = *n.children.at(i++);
    r.negative = text(*pts.children.at(0)) == "-";
    r.points_span = span(pts);
    r.points = to_expr(*pts.children.at(1), 0);
    const Node& trig = *n.children.at(i++);
    if (trig.is_type<when_clause>()) {
      r.condition = to_expr(*trig.children.at(0), 0);
    } else {
      r.is_event_rule = true;
      r.event_type = text(*trig.children.at(0));
      r.event_span = span(*trig.children.at(0));
      if (trig.children.size() > 1) r.condition = to_expr(*trig.children[1]->children.at(0), 0);
    }
    for (; i < n.children.size(); ++i) modifier(r, *n.children[i]);
    return r;
  }

  void group_header_into(Group& g, const Node& n) {
    g.is_fit = text(*n.children.at(0)) == "fit";
    g.name = text(*n.children.at(1));
    g.name_span = span(*n.children.at(1));
    for (std::size_t i = 2; i < n.children.size(); ++i) {
      const Node& opt = *n.children[i];
      Span s = span(opt);
      if (opt.is_type<cap_clause>()) {
        if (g.cap) duplicate(s, "cap");
        g.cap = number(*opt.children.at(0));
        g.cap_span = s;
      } else if (opt.is_type<floor_clause>()) {
        if (g.floor) duplicate(s, "floor");
        g.floor = number(*opt.children.at(0));
        g.floor_span = s;
      } else if (opt.is_type<decay_clause>() || opt.is_type<no_decay_clause>()) {
        if (g.decay) duplicate(s, "decay");
        g.decay = decay(opt);
      } else if (opt.is_type<within_clause>()) {
        if (g.within) duplicate(s, "within");
        g.within = duration(*opt.children.at(0));
      }
    }
  }

  Band band(const Node& n, bool is_grade) {
    Band b;
    std::size_t i = 0;
    if (is_grade) {
      b.group = text(*n.children.at(i));
      b.group_span = span(*n.children.at(i++));
    }
    b.name = text(*n.children.at(i));
    b.name_span = span(*n.children.at(i++));
    for (; i < n.children.size(); ++i) {
      const Node& c = *n.children[i];
      if (c.is_type<threshold>()) {
        b.threshold = number(*c.children.at(0));
        b.threshold_span = span(c);
      } else {
        b.description = string_value(c);
      }
    }
    return b;
  }

  ListDecl list(const Node& n) {
    ListDecl l;
    l.name = text(*n.children.at(0));
    l.name_span = span(*n.children.at(0));
    const Node& value = *n.children.at(1);
    if (value.is_type<list_file>()) {
      l.file = string_value(*value.children.at(0));
      l.file_span = span(*value.children.at(0));
    } else {
      list_entries(l, value);
    }
    return l;
  }

  Limit limit(const Node& n) {
    Limit l;
    l.span = span(n);
    l.target = text(*n.children.at(0));
    l.target_span = span(*n.children.at(0));
    l.value = number(*n.children.at(1));
    l.unless = text(*n.children.at(2)) == "unless";
    l.condition = to_expr(*n.children.at(3), 0);
    return l;
  }

  Scale scale(const Node& n) {
    return Scale{number(*n.children.at(0)), number(*n.children.at(1)), span(n)};
  }

 private:
  bool add_arg(Expr& e, const Node& n, std::size_t depth) {
    ExprPtr arg = to_expr(n, depth);
    if (!arg) return false;
    e.args.push_back(std::move(arg));
    return true;
  }

  // `a or b or c` is one node with three operands, so long chains do not nest.
  ExprPtr logical_chain(ExprPtr e, const Node& n, Op op, std::size_t depth) {
    e->kind = Expr::Kind::binary;
    e->op = op;
    for (const auto& c : n.children) {
      if (!add_arg(*e, *c, depth + 1)) return nullptr;
    }
    return e;
  }

  // `a + b - c` is ((a + b) - c): each operator is one level of nesting.
  ExprPtr arithmetic_chain(const Node& n, std::size_t depth) {
    std::size_t operators = (n.children.size() - 1) / 2;
    ExprPtr left = to_expr(*n.children.at(0), depth + operators);
    if (!left) return nullptr;
    for (std::size_t i = 1; i + 1 < n.children.size(); i += 2) {
      auto e = std::make_unique<Expr>();
      char op = token_text(*n.children[i], base_).front();
      e->kind = Expr::Kind::binary;
      e->op = op == '+' ? Op::add : op == '-' ? Op::sub : op == '*' ? Op::mul : Op::div;
      ExprPtr right = to_expr(*n.children[i + 1], depth + operators - i / 2);
      if (!right) return nullptr;
      e->span =
          Span{left->span.offset, right->span.offset + right->span.length - left->span.offset};
      e->args.push_back(std::move(left));
      e->args.push_back(std::move(right));
      left = std::move(e);
    }
    return left;
  }

  // A comparison is not a nesting level of its own (decision 17): its operands cannot hold
  // another comparison without parentheses, which count.
  ExprPtr comparison_expr(ExprPtr e, const Node& n, std::size_t depth) {
    e->kind = Expr::Kind::binary;
    if (!add_arg(*e, *n.children.at(0), depth)) return nullptr;
    const Node& tail = *n.children.at(1);
    auto operand_at = [&](std::size_t k) { return add_arg(*e, *tail.children.at(k), depth); };
    if (tail.is_type<compare_tail>()) {
      std::string op = text(*tail.children.at(0));
      e->op = op == "="    ? Op::eq
              : op == "!=" ? Op::ne
              : op == "<"  ? Op::lt
              : op == "<=" ? Op::le
              : op == ">"  ? Op::gt
                           : Op::ge;
      if (!operand_at(1)) return nullptr;
    } else if (tail.is_type<between_tail>()) {
      e->op = Op::between;
      if (!operand_at(0) || !operand_at(1)) return nullptr;
    } else if (tail.is_type<in_tail>() || tail.is_type<not_in_tail>()) {
      e->op = tail.is_type<in_tail>() ? Op::in : Op::not_in;
      e->args.push_back(list_operand(*tail.children.at(0)));
    } else if (tail.is_type<contains_tail>() || tail.is_type<starts_tail>() ||
               tail.is_type<ends_tail>()) {
      e->op = tail.is_type<contains_tail>() ? Op::contains
              : tail.is_type<starts_tail>() ? Op::starts_with
                                            : Op::ends_with;
      if (!operand_at(0)) return nullptr;
    } else if (tail.is_type<matches_tail>()) {
      e->op = Op::matches;
      if (!operand_at(0)) return nullptr;
    } else if (tail.is_type<is_tail>()) {
      e->kind = Expr::Kind::unary;
      e->op = tail.children.at(0)->is_type<missing_word>() ? Op::is_missing : Op::is_present;
    }
    return e;
  }

  ExprPtr list_operand(const Node& n) {
    auto e = std::make_unique<Expr>();
    e->span = span(n);
    if (n.is_type<list_literal>()) {
      e->kind = Expr::Kind::list_literal;
      ListDecl entries;
      list_entries(entries, n);
      for (auto& entry : entries.entries) {
        auto item = std::make_unique<Expr>();
        item->span = entry.span;
        item->kind = entry.is_number ? Expr::Kind::number : Expr::Kind::string;
        item->number = entry.number;
        item->text = entry.text;
        e->args.push_back(std::move(item));
      }
    } else {
      e->kind = Expr::Kind::list_name;
      e->text = text(n);
    }
    return e;
  }

  void list_entries(ListDecl& l, const Node& literal) {
    for (const auto& c : literal.children) {
      ListEntry entry;
      entry.span = span(*c);
      if (c->is_type<string_lit>()) {
        entry.text = string_value(*c);
      } else if (c->is_type<signed_number>()) {
        entry.is_number = true;
        entry.number = number(*c);
      } else {
        // A boolean in a list compares as its text.
        entry.text = c->is_type<true_lit>() ? "true" : "false";
      }
      l.entries.push_back(std::move(entry));
    }
    if (l.entries.size() > limits_.max_list_entries) {
      sink_.report(Code::too_many_list_entries, span(literal),
                   "this list has " + std::to_string(l.entries.size()) + " entries; at most " +
                       std::to_string(limits_.max_list_entries) + " are allowed",
                   "split it into several lists");
    }
  }

  ExprPtr aggregate_expr(ExprPtr e, const Node& n, std::size_t depth) {
    e->kind = Expr::Kind::aggregate;
    std::string fn = text(*n.children.at(0));
    e->text = fn;
    e->aggregate = fn == "count" ? AggregateKind::count
                   : fn == "sum" ? AggregateKind::sum
                                 : AggregateKind::days_since_last;
    e->event_type = text(*n.children.at(1));
    e->event_span = span(*n.children.at(1));
    for (std::size_t i = 2; i < n.children.size(); ++i) {
      const Node& c = *n.children[i];
      if (c.is_type<event_property>()) {
        e->property = text(*c.children.at(0));
        e->property_span = span(*c.children.at(0));
      } else if (c.is_type<agg_where>()) {
        e->where = to_expr(*c.children.at(0), depth + 1);
        if (!e->where) return nullptr;
      } else if (c.is_type<agg_within>()) {
        e->within = duration(*c.children.at(0));
      }
    }
    return e;
  }

  void modifier(Rule& r, const Node& m) {
    Span s = span(m);
    if (m.is_type<cap_clause>()) {
      if (r.cap) duplicate(s, "cap");
      r.cap = number(*m.children.at(0));
      r.cap_span = s;
    } else if (m.is_type<once_clause>()) {
      if (r.once) duplicate(s, "once");
      r.once = true;
      r.once_span = s;
    } else if (m.is_type<limit_clause>()) {
      if (r.limit) duplicate(s, "limit");
      double count = number(*m.children.at(0));
      RateLimit l;
      l.count = count > 1e9 ? 1'000'000'000u : std::uint32_t(count);
      l.per = duration(*m.children.at(1));
      l.span = s;
      r.limit = l;
    } else if (m.is_type<within_clause>()) {
      if (r.within) duplicate(s, "within");
      r.within = duration(*m.children.at(0));
    } else if (m.is_type<decay_clause>() || m.is_type<no_decay_clause>()) {
      if (r.decay) duplicate(s, "decay");
      r.decay = decay(m);
    }
  }

  void duplicate(Span s, const char* what) {
    sink_.report(Code::duplicate_modifier, s, std::string("`") + what + "` is given twice",
                 "keep one");
  }

  const char* base_;
  const Limits& limits_;
  DiagnosticSink& sink_;
  bool depth_reported_ = false;
};

}  // namespace tree
}  // namespace leadscore::dsl
