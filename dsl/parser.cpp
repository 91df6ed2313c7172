// Grammar -> syntax tree. The only translation unit that includes PEGTL: the generic parse
// tree it builds is converted to the typed tree of dsl/ast.hpp right here, so no PEGTL type
// leaves this file.
#include "dsl/parser.hpp"

#include <tao/pegtl/contrib/analyze.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include <cmath>
#include <cstdlib>
#include <optional>

#include "dsl/grammar.hpp"
#include "dsl/syntax_errors.hpp"
#include "engine/text.hpp"

namespace leadscore::dsl {
namespace {

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
        function_name, agg_function, agg_event, event_property, agg_where, agg_within,
        aggregate, call, lead_ref, negation, logical_not, compare_tail, between_tail,
        not_in_tail, in_tail, contains_tail, starts_tail, ends_tail, matches_tail, is_tail,
        compare_op, add_op, mul_op, missing_word, present_word, list_literal, name,
        unsigned_number, signed_number, whole_number, percent, time_unit, duration,
        points_sign, points, when_clause, on_clause, rule_event, where_clause, half_life_decay,
        linear_decay, step_decay, no_decay_word, decay_clause, no_decay_clause, cap_value,
        cap_clause, floor_clause, once_clause, limit_clause, within_clause, rule_name,
        rule_label, rule_item, model_item, version_item, scale_item, threshold, description,
        label_name, band_item, grade_group, grade_item, list_name, list_file, list_item_decl,
        group_kind, group_name, group_header, limit_target, limit_mode, limit_item>,
    pt::fold_one::on<or_expr, expr, nested_expr, condition, and_expr, comparison, additive,
                     operand, multiplicative>>;

using Node = pt::node;

// The span of a node's own text, without the white space and comments after it.
Span span_of(const Node& n, const char* base) {
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

std::string_view token_text(const Node& n, const char* base) {
  Span s = span_of(n, base);
  return std::string_view(base + s.offset, s.length);
}

double parse_number(std::string_view text) {
  std::string copy(text);
  if (!copy.empty() && copy.back() == '%') copy.pop_back();
  return std::strtod(copy.c_str(), nullptr);
}

// Reads a string literal's value; the grammar has already checked its escapes.
std::string unquote(std::string_view literal) {
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
  double number(const Node& n) const { return parse_number(token_text(n, base_)); }
  std::string string_value(const Node& n) const { return unquote(token_text(n, base_)); }

  Duration duration(const Node& n) const {
    // duration := unsigned_number time_unit
    double amount = number(*n.children.at(0));
    std::string unit = text(*n.children.at(1));
    double seconds = unit.rfind("hour", 0) == 0 ? 3600.0
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

  // Expressions. `depth` is the nesting depth of the node being built (spec 2 limit).
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
    r.points = to_expr(*pts.children.at(1), 1);
    const Node& trig = *n.children.at(i++);
    if (trig.is_type<when_clause>()) {
      r.condition = to_expr(*trig.children.at(0), 1);
    } else {
      r.is_event_rule = true;
      r.event_type = text(*trig.children.at(0));
      r.event_span = span(*trig.children.at(0));
      if (trig.children.size() > 1) r.condition = to_expr(*trig.children[1]->children.at(0), 1);
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
    l.condition = to_expr(*n.children.at(3), 1);
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
      e->span = Span{left->span.offset, right->span.offset + right->span.length - left->span.offset};
      e->args.push_back(std::move(left));
      e->args.push_back(std::move(right));
      left = std::move(e);
    }
    return left;
  }

  ExprPtr comparison_expr(ExprPtr e, const Node& n, std::size_t depth) {
    e->kind = Expr::Kind::binary;
    if (!add_arg(*e, *n.children.at(0), depth + 1)) return nullptr;
    const Node& tail = *n.children.at(1);
    auto operand_at = [&](std::size_t k) { return add_arg(*e, *tail.children.at(k), depth + 1); };
    if (tail.is_type<compare_tail>()) {
      std::string op = text(*tail.children.at(0));
      e->op = op == "=" ? Op::eq : op == "!=" ? Op::ne : op == "<" ? Op::lt
            : op == "<=" ? Op::le : op == ">" ? Op::gt : Op::ge;
      if (!operand_at(1)) return nullptr;
    } else if (tail.is_type<between_tail>()) {
      e->op = Op::between;
      if (!operand_at(0) || !operand_at(1)) return nullptr;
    } else if (tail.is_type<in_tail>() || tail.is_type<not_in_tail>()) {
      e->op = tail.is_type<in_tail>() ? Op::in : Op::not_in;
      e->args.push_back(list_operand(*tail.children.at(0)));
    } else if (tail.is_type<contains_tail>() || tail.is_type<starts_tail>() ||
               tail.is_type<ends_tail>()) {
      e->op = tail.is_type<contains_tail>()  ? Op::contains
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

// ---- the item-by-item driver ------------------------------------------------------------
class Driver {
 public:
  Driver(const SourceText& source, const Limits& limits, DiagnosticSink& sink)
      : text_(source.text()),
        base_(source.text().data()),
        file_(source.file_name()),
        limits_(limits),
        sink_(sink),
        convert_(base_, limits, sink) {}

  Model run() {
    std::size_t pos = skip_blank(0);
    bool first = true;
    while (pos < text_.size()) {
      if (text_[pos] == '}') {
        sink_.report(Code::syntax, Span{std::uint32_t(pos), 1},
                     "unexpected `}`: no group is open here");
        pos = skip_blank(pos + 1);
        continue;
      }
      std::unique_ptr<Node> tree;
      std::size_t next = parse_at<top_item>(pos, tree);
      if (!tree) {
        if (next == pos) unexpected_top_level(pos);
        pos = recover(pos, false);
        first = false;
        continue;
      }
      const Node& item = *tree->children.at(0);
      if (first && !item.is_type<model_item>()) {
        sink_.report(Code::missing_model, convert_.span(item),
                     "a model file must start with `model \"NAME\"`",
                     "add a first line such as `model \"B2B inbound\"`");
        model_seen_ = true;  // report it once
      }
      first = false;
      pos = next;
      if (item.is_type<group_header>()) {
        pos = group_body(item, pos);
      } else {
        top_level(item);
      }
    }
    if (!model_seen_) {
      sink_.report(Code::missing_model, Span{0, 0},
                   "a model file must start with `model \"NAME\"`",
                   "add a first line such as `model \"B2B inbound\"`");
    }
    return std::move(model_);
  }

 private:
  // Parses one `Rule` at `pos`. Returns the position after it; `tree` is null on a failure,
  // which has then been reported unless the rule simply did not match (returns `pos`).
  template <typename Rule>
  std::size_t parse_at(std::size_t pos, std::unique_ptr<Node>& tree) {
    pg::memory_input<pg::tracking_mode::lazy, pg::eol::lf_crlf> in(base_ + pos,
                                                                    base_ + text_.size(), file_);
    ParseState state{base_, 0, limits_.max_nesting_depth, 0};
    try {
      tree = pt::parse<Rule, selector, pg::nothing, ErrorControl>(in, state);
    } catch (const SyntaxError& e) {
      sink_.report(e.code, Span{e.offset, e.length}, e.message, e.hint);
      tree.reset();
      return e.offset + 1 > pos ? e.offset + 1 : pos + 1;
    }
    if (!tree) return pos;
    return std::size_t(in.current() - base_);
  }

  std::size_t group_body(const Node& header, std::size_t pos) {
    Group g;
    convert_.group_header_into(g, header);
    std::size_t open = std::size_t(header.children.back()->string_view().data() - base_);
    for (;;) {
      pos = skip_blank(pos);
      if (pos >= text_.size()) {
        sink_.report(Code::syntax, Span{std::uint32_t(open), 1},
                     "group `" + g.name + "` is not closed: `}` is missing");
        break;
      }
      if (text_[pos] == '}') {
        pos = skip_blank(pos + 1);
        break;
      }
      if (starts_top_level_item(pos)) {
        sink_.report(Code::syntax, Span{std::uint32_t(pos), word_length(pos)},
                     "expected `}` to close group `" + g.name + "` before this",
                     "add `}` after the group's last rule");
        break;
      }
      std::unique_ptr<Node> tree;
      std::size_t next = parse_at<rule_item>(pos, tree);
      if (!tree) {
        if (next == pos) {
          auto [found, len] = describe(pos);
          sink_.report(Code::syntax, Span{std::uint32_t(pos), len},
                       "expected a rule (`name: +points when ...` or `... on EVENT`) or `}`, "
                       "found " + found);
        }
        pos = recover(pos, true);
        continue;
      }
      if (++rule_count_ == limits_.max_rules + 1) {
        sink_.report(Code::too_many_rules, convert_.span(*tree->children.at(0)),
                     "the model has more than " + std::to_string(limits_.max_rules) + " rules",
                     "split it into several models");
      }
      g.rules.push_back(convert_.rule(*tree->children.at(0)));
      pos = skip_blank(next);
      if (pos < text_.size() && text_[pos] != '}' && !starts_rule(pos) &&
          !starts_top_level_item(pos)) {
        auto [found, len] = describe(pos);
        std::string hint = keyword_hint(pos, {"cap", "once", "limit", "within", "decay", "no",
                                              "where", "and", "or", "not"});
        if (hint.empty()) {
          hint = "a rule ends with its modifiers (cap, once, limit, within, decay); the next "
                 "rule starts with `name:`";
        }
        sink_.report(Code::syntax, Span{std::uint32_t(pos), len},
                     "unexpected " + found + " after rule `" + g.rules.back().name + "`", hint);
        pos = recover(pos, true);
      }
    }
    model_.groups.push_back(std::move(g));
    return pos;
  }

  void top_level(const Node& item) {
    if (item.is_type<model_item>()) {
      if (model_seen_ && !model_.name.empty()) {
        sink_.report(Code::misplaced_item, convert_.span(item), "`model` is given twice");
      }
      model_seen_ = true;
      model_.name = convert_.string_value(*item.children.at(0));
    } else if (item.is_type<version_item>()) {
      if (version_seen_) {
        sink_.report(Code::misplaced_item, convert_.span(item), "`version` is given twice");
      }
      version_seen_ = true;
      model_.version = convert_.string_value(*item.children.at(0));
    } else if (item.is_type<scale_item>()) {
      if (model_.scale) {
        sink_.report(Code::misplaced_item, convert_.span(item), "`scale` is given twice");
      }
      model_.scale = convert_.scale(item);
    } else if (item.is_type<band_item>()) {
      model_.bands.push_back(convert_.band(item, false));
    } else if (item.is_type<grade_item>()) {
      model_.grades.push_back(convert_.band(item, true));
    } else if (item.is_type<list_item_decl>()) {
      model_.lists.push_back(convert_.list(item));
    } else if (item.is_type<limit_item>()) {
      model_.limits.push_back(convert_.limit(item));
    }
  }

  void unexpected_top_level(std::size_t pos) {
    auto [found, len] = describe(pos);
    std::string hint = keyword_hint(pos, {"model", "version", "scale", "band", "grade", "list",
                                          "fit", "engagement", "limit"});
    if (hint.empty() && starts_rule(pos)) hint = "rules belong inside a `fit` or `engagement` group";
    sink_.report(Code::syntax, Span{std::uint32_t(pos), len},
                 "expected `model`, `version`, `scale`, `band`, `grade`, `list`, `fit`, "
                 "`engagement` or `limit`, found " + found,
                 hint);
  }

  // Panic mode: skip to the next line that starts something we can parse again.
  std::size_t recover(std::size_t pos, bool in_group) {
    for (;;) {
      std::size_t nl = text_.find('\n', pos);
      if (nl == std::string::npos) return text_.size();
      pos = nl + 1;
      std::size_t p = pos;
      while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t' || text_[p] == '\r')) ++p;
      if (p >= text_.size()) return text_.size();
      if (text_[p] == '}' || starts_top_level_item(p) || (in_group && starts_rule(p))) {
        return p;
      }
    }
  }

  std::size_t skip_blank(std::size_t pos) const {
    while (pos < text_.size()) {
      char c = text_[pos];
      if (c == '#') {
        while (pos < text_.size() && text_[pos] != '\n') ++pos;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        ++pos;
      } else {
        break;
      }
    }
    return pos;
  }

  std::string_view word_at(std::size_t pos) const {
    std::size_t end = pos;
    while (end < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_')) {
      ++end;
    }
    return std::string_view(text_).substr(pos, end - pos);
  }
  std::uint32_t word_length(std::size_t pos) const {
    return std::max<std::uint32_t>(1, std::uint32_t(word_at(pos).size()));
  }

  bool starts_top_level_item(std::size_t pos) const {
    static const char* const words[] = {"model", "version", "scale", "band", "grade",
                                        "list", "fit", "engagement"};
    std::string_view w = word_at(pos);
    for (const char* k : words) {
      if (w == k) return true;
    }
    // `limit` starts a top-level gate only as `limit NAME to`; otherwise it is a modifier.
    if (w == "limit") {
      std::size_t p = skip_blank(pos + w.size());
      std::string_view target = word_at(p);
      return !target.empty() && word_at(skip_blank(p + target.size())) == "to";
    }
    return false;
  }

  // name ["label"] ':'
  bool starts_rule(std::size_t pos) const {
    std::string_view w = word_at(pos);
    if (w.empty() || std::isdigit(static_cast<unsigned char>(w[0]))) return false;
    std::size_t p = pos + w.size();
    while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    if (p < text_.size() && text_[p] == '"') {
      ++p;
      while (p < text_.size() && text_[p] != '"' && text_[p] != '\n') p += text_[p] == '\\' ? 2 : 1;
      if (p >= text_.size() || text_[p] != '"') return false;
      ++p;
      while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    }
    return p < text_.size() && text_[p] == ':';
  }

  std::pair<std::string, std::uint32_t> describe(std::size_t pos) const {
    return describe_token(text_, pos);
  }

  std::string keyword_hint(std::size_t pos, std::vector<std::string> words) const {
    std::string_view w = word_at(pos);
    if (w.empty()) return {};
    return did_you_mean(w, words);
  }

  const std::string& text_;
  const char* base_;
  const std::string& file_;
  const Limits& limits_;
  DiagnosticSink& sink_;
  Converter convert_;
  Model model_;
  bool model_seen_ = false;
  bool version_seen_ = false;
  std::size_t rule_count_ = 0;
};

}  // namespace

Model parse_model(const SourceText& source, const Limits& limits, DiagnosticSink& sink) {
  return Driver(source, limits, sink).run();
}

std::size_t grammar_problems() {
  return pg::analyze<top_item>(-1) + pg::analyze<rule_item>(-1);
}

}  // namespace leadscore::dsl
