#include "dsl/expression_checker.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "engine/text.hpp"

namespace leadscore::dsl {
namespace {

using Type = ValueType;

const char* type_name(Type t) {
  switch (t) {
    case Type::number:
      return "a number";
    case Type::string:
      return "a string";
    case Type::boolean:
      return "true/false";
    case Type::timestamp:
      return "a timestamp";
    default:
      return "any value";
  }
}

template <typename Map>
std::vector<std::string> keys(const Map& m) {
  std::vector<std::string> out;
  for (const auto& kv : m) out.push_back(kv.first);
  return out;
}

}  // namespace

void check_duration(const Duration& d, const char* what, DiagnosticSink& sink) {
  if (!std::isfinite(d.seconds)) {
    sink.report(Code::number_out_of_range, d.span,
                std::string("the duration of `") + what + "` is too long to compute with");
  } else if (!(d.seconds > 0)) {
    sink.report(Code::bad_setting, d.span,
                std::string("the duration of `") + what + "` must be above 0");
  }
}

ExpressionChecker::ExpressionChecker(Model& model, const Schema* schema, DiagnosticSink& sink,
                                     bool partial)
    : model_(model), schema_(schema), sink_(sink), partial_(partial) {
  for (const auto& l : model.lists) list_names_.push_back(l.name);
}

bool ExpressionChecker::is_group(const std::string& name) const {
  return std::any_of(model_.groups.begin(), model_.groups.end(),
                     [&](const Group& g) { return g.name == name; });
}

void ExpressionChecker::expect_condition(Expr& e, Scope& scope) {
  Type t = type_of(e, scope);
  if (t != Type::any && t != Type::boolean) {
    sink_.report(Code::type_mismatch, e.span,
                 std::string("a condition must be true or false, but this is ") + type_name(t),
                 "compare it with something, e.g. `employees >= 250`");
  }
}

void ExpressionChecker::expect_points(Expr& e, Scope& scope) {
  Type t = type_of(e, scope);
  if (t != Type::any && t != Type::number) {
    sink_.report(Code::type_mismatch, e.span,
                 std::string("points must be a number, but this is ") + type_name(t));
  }
}

ValueType ExpressionChecker::type_of(Expr& e, Scope& scope) {
  switch (e.kind) {
    case Expr::Kind::number:  // a numeral too large is reported by the parser (LS109)
      return Type::number;
    case Expr::Kind::timestamp:
      return Type::timestamp;
    case Expr::Kind::string:
      return Type::string;
    case Expr::Kind::boolean:
      return Type::boolean;
    case Expr::Kind::name:
      return name_type(e, scope);
    case Expr::Kind::lead_name:
      e.name_kind = NameKind::attribute;
      return attribute_type(e.text, e.span);
    case Expr::Kind::call:
      return call_type(e, scope);
    case Expr::Kind::aggregate:
      return aggregate_type(e, scope);
    case Expr::Kind::unary:
      return unary_type(e, scope);
    case Expr::Kind::binary:
      return binary_type(e, scope);
    case Expr::Kind::list_name:
    case Expr::Kind::list_literal:
      return Type::any;
  }
  return Type::any;
}

ValueType ExpressionChecker::name_type(Expr& e, Scope& scope) {
  bool in_event = scope.place == Place::event_condition || scope.place == Place::event_points ||
                  scope.place == Place::aggregate_where;
  if (in_event && e.text == "ts") {
    e.name_kind = NameKind::event_time;
    return Type::timestamp;
  }
  if (in_event) {
    e.name_kind = NameKind::property;
    return property_type(scope.event_type, e.text, e.span);
  }
  if (scope.place == Place::limit_condition && is_group(e.text)) {
    e.name_kind = NameKind::group;
    return Type::number;
  }
  e.name_kind = NameKind::attribute;
  warn_attribute_meant_otherwise(e, scope);
  return attribute_type(e.text, e.span);
}

// A bare name outside events is a lead attribute, which is rarely what an author who wrote a
// group's name (or `ts`) there meant: say so, since the rule would silently never fire.
void ExpressionChecker::warn_attribute_meant_otherwise(const Expr& e, const Scope& scope) {
  if (scope.place == Place::limit_condition) {
    std::vector<std::string> groups;
    for (const auto& g : model_.groups) groups.push_back(g.name);
    if (auto close = text::closest_name(e.text, groups)) {
      sink_.report(Code::group_name_typo, e.span,
                   "`" + e.text + "` is not a group, so it reads the lead attribute of that name",
                   "did you mean group `" + *close + "`?");
    }
  } else if (is_group(e.text)) {
    sink_.report(Code::name_means_attribute, e.span,
                 "`" + e.text +
                     "` here is the lead attribute of that name, not the group's "
                     "total: group totals can only be read in `limit` conditions",
                 "write `lead." + e.text + "` if you mean the attribute");
  } else if (e.text == "ts") {
    sink_.report(Code::name_means_attribute, e.span,
                 "`ts` is an event's time only in `on` rules and aggregates; here it is a lead "
                 "attribute named `ts`",
                 "for the latest event's age use `days_since_last(any)`");
  }
}

ValueType ExpressionChecker::attribute_type(const std::string& name, Span span) {
  attribute_uses_[name].push_back(span);
  if (!schema_) return Type::any;
  auto it = schema_->attributes.find(name);
  if (it == schema_->attributes.end()) {
    sink_.report(Code::unknown_attribute, span, "the schema has no lead attribute `" + name + "`",
                 did_you_mean(name, keys(schema_->attributes)));
    return Type::any;
  }
  return it->second;
}

void ExpressionChecker::check_event_type(const std::string& type, Span span) {
  if (type == "any") return;
  event_uses_[type].push_back(span);
  if (schema_ && !schema_->events.count(type)) {
    sink_.report(Code::unknown_event, span, "the schema has no event type `" + type + "`",
                 did_you_mean(type, keys(schema_->events)));
  }
}

ValueType ExpressionChecker::property_type(const std::string& event_type, const std::string& name,
                                           Span span) {
  property_uses_[name].push_back(span);
  if (!schema_) return Type::any;
  if (event_type == "any") {
    // Known when every declaring event type agrees; unknown names are still errors.
    std::optional<Type> found;
    for (const auto& [type, props] : schema_->events) {
      auto it = props.find(name);
      if (it == props.end()) continue;
      found = !found || *found == it->second ? it->second : Type::any;
    }
    if (!found) {
      sink_.report(Code::unknown_property, span,
                   "no event type in the schema has a property `" + name + "`");
      return Type::any;
    }
    return *found;
  }
  auto ev = schema_->events.find(event_type);
  if (ev == schema_->events.end()) return Type::any;  // reported with the event type
  auto it = ev->second.find(name);
  if (it == ev->second.end()) {
    sink_.report(Code::unknown_property, span,
                 "event type `" + event_type + "` has no property `" + name + "` in the schema",
                 did_you_mean(name, keys(ev->second)));
    return Type::any;
  }
  return it->second;
}

ValueType ExpressionChecker::call_type(Expr& e, Scope& scope) {
  static const std::vector<std::string> functions = {
      "domain", "lower", "length", "days_since", "count", "sum", "days_since_last"};
  std::vector<Type> args;
  for (auto& a : e.args) args.push_back(type_of(*a, scope));
  auto arity = [&](std::size_t n) {
    if (e.args.size() == n) return true;
    sink_.report(Code::wrong_arguments, e.span,
                 "`" + e.text + "` takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") +
                     ", not " + std::to_string(e.args.size()));
    return false;
  };
  if (e.text == "domain" || e.text == "lower" || e.text == "length") {
    if (arity(1) && args[0] != Type::any && args[0] != Type::string) {
      sink_.report(Code::type_mismatch, e.args[0]->span,
                   "`" + e.text + "` needs a string, but this is " + type_name(args[0]));
    }
    return e.text == "length" ? Type::number : Type::string;
  }
  if (e.text == "days_since") {
    if (arity(1)) {
      Expr& a = *e.args[0];
      if (a.kind == Expr::Kind::string) {
        read_as_timestamp(a);
      } else if (args[0] != Type::any && args[0] != Type::timestamp) {
        sink_.report(
            Code::type_mismatch, a.span,
            std::string("`days_since` needs a timestamp, but this is ") + type_name(args[0]));
      }
    }
    return Type::number;
  }
  if (e.text == "count" || e.text == "sum" || e.text == "days_since_last") {
    sink_.report(Code::wrong_arguments, e.span,
                 "`" + e.text + "` takes an event type, as in `" + e.text +
                     (e.text == "sum" ? "(purchase.amount)`" : "(page_view)`"));
    return Type::number;
  }
  sink_.report(Code::unknown_function, e.span, "no function named `" + e.text + "`",
               did_you_mean(e.text, functions));
  return Type::any;
}

ValueType ExpressionChecker::aggregate_type(Expr& e, Scope& scope) {
  if (scope.place == Place::event_condition || scope.place == Place::event_points ||
      scope.place == Place::aggregate_where) {
    sink_.report(Code::aggregate_not_allowed, e.span,
                 "`" + e.text + "(...)` cannot be used " +
                     (scope.place == Place::aggregate_where ? "inside another aggregate"
                                                            : "in an `on` rule") +
                     ": it reads all the lead's events, and here only the current event is "
                     "known",
                 scope.place == Place::aggregate_where
                     ? "the condition inside an aggregate sees one event at a time; combine "
                       "aggregates with `and` in the rule's condition instead"
                     : "count events in a `when` rule, e.g. `+5 when count(page_view) >= 3`");
    return Type::number;
  }
  scope.reads_events = true;
  check_event_type(e.event_type, e.event_span);
  if (e.aggregate == AggregateKind::sum) {
    if (e.property.empty()) {
      sink_.report(Code::wrong_arguments, e.span,
                   "`sum` needs an event property, as in `sum(" + e.event_type + ".amount)`");
    } else {
      Type t = property_type(e.event_type, e.property, e.property_span);
      if (t != Type::any && t != Type::number) {
        sink_.report(Code::type_mismatch, e.property_span,
                     std::string("`sum` adds numbers, but this property is ") + type_name(t));
      }
    }
  } else if (!e.property.empty()) {
    sink_.report(Code::wrong_arguments, e.property_span,
                 "`" + e.text + "` counts events: it takes no property");
  }
  if (e.aggregate == AggregateKind::days_since_last && e.within) {
    sink_.report(Code::wrong_arguments, e.within->span, "`days_since_last` takes no `within`");
  }
  if (e.within) check_duration(*e.within, "within", sink_);
  if (e.where) {
    Scope inner{Place::aggregate_where, e.event_type};
    expect_condition(*e.where, inner);
  }
  e.aggregate_index = std::uint32_t(model_.aggregates.size());
  model_.aggregates.push_back(&e);
  return Type::number;
}

ValueType ExpressionChecker::unary_type(Expr& e, Scope& scope) {
  if (e.op == Op::is_missing || e.op == Op::is_present) {
    type_of(*e.args[0], scope);
    return Type::boolean;
  }
  Type t = type_of(*e.args[0], scope);
  Type want = e.op == Op::negate ? Type::number : Type::boolean;
  if (t != Type::any && t != want) {
    sink_.report(Code::type_mismatch, e.args[0]->span,
                 std::string("`") + op_text(e.op) + "` needs " + type_name(want) +
                     ", but this is " + type_name(t));
  }
  return want;
}

ValueType ExpressionChecker::binary_type(Expr& e, Scope& scope) {
  if (e.op == Op::logical_and || e.op == Op::logical_or) {
    for (auto& a : e.args) expect_condition(*a, scope);
    return Type::boolean;
  }
  if (e.op == Op::in || e.op == Op::not_in) {
    type_of(*e.args[0], scope);
    Expr& list = *e.args[1];
    if (list.kind == Expr::Kind::list_name && !partial_ &&
        std::find(list_names_.begin(), list_names_.end(), list.text) == list_names_.end()) {
      sink_.report(Code::unknown_list, list.span, "no list named `" + list.text + "`",
                   did_you_mean(list.text, list_names_));
    }
    return Type::boolean;
  }
  std::vector<Type> t;
  for (auto& a : e.args) t.push_back(type_of(*a, scope));
  switch (e.op) {
    case Op::add:
    case Op::sub:
    case Op::mul:
    case Op::div:
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == Type::timestamp) {
          sink_.report(Code::type_mismatch, e.args[i]->span,
                       "arithmetic on a timestamp is not possible",
                       "use `days_since(...)` to turn it into a number of days");
        } else if (t[i] != Type::any && t[i] != Type::number) {
          sink_.report(
              Code::type_mismatch, e.args[i]->span,
              std::string("`") + op_text(e.op) + "` needs numbers, but this is " + type_name(t[i]));
        }
      }
      return Type::number;
    case Op::contains:
    case Op::starts_with:
    case Op::ends_with:
    case Op::matches:
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] != Type::any && t[i] != Type::string) {
          sink_.report(
              Code::type_mismatch, e.args[i]->span,
              std::string("`") + op_text(e.op) + "` compares text, but this is " + type_name(t[i]));
        }
      }
      return Type::boolean;
    default:
      compare_types(e, t);
      return Type::boolean;
  }
}

// = != < <= > >= between: operands must be comparable (spec 5.2).
void ExpressionChecker::compare_types(Expr& e, std::vector<Type>& t) {
  bool ordering = e.op != Op::eq && e.op != Op::ne;
  bool has_time = std::find(t.begin(), t.end(), Type::timestamp) != t.end();
  for (std::size_t i = 0; i < t.size(); ++i) {
    Expr& a = *e.args[i];
    if (a.kind != Expr::Kind::string) continue;
    // Beside a timestamp a string literal must be a time; in an ordering comparison a
    // literal that reads as one is one (`signed_up >= "2026-01-01"` without a schema).
    if (has_time) {
      // A literal that is not a time has been reported; say nothing more about it.
      t[i] = read_as_timestamp(a) ? Type::timestamp : Type::any;
    } else if (ordering && parse_timestamp(a.text)) {
      read_as_timestamp(a);
      t[i] = Type::timestamp;
      has_time = true;
    }
  }
  if (has_time) {
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] == Type::number) {
        sink_.report(Code::type_mismatch, e.args[i]->span,
                     "a timestamp cannot be compared with a number",
                     "use `days_since(...)` for a number of days, or a date such as "
                     "\"2026-06-01\"");
        return;
      }
    }
  }
  Type known = Type::any;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == Type::any) continue;
    if (ordering && (t[i] == Type::string || t[i] == Type::boolean)) {
      sink_.report(Code::type_mismatch, e.args[i]->span,
                   std::string("`") + op_text(e.op) +
                       "` compares numbers or timestamps, but this is " + type_name(t[i]));
      return;
    }
    if (known != Type::any && known != t[i]) {
      mismatch(e, known, t[i]);
      return;
    }
    known = t[i];
  }
}

// Two known, different types in one comparison: point at a quoted literal when there is one,
// since an extra pair of quotes is the usual cause.
void ExpressionChecker::mismatch(Expr& e, Type left, Type right) {
  const Expr* literal = nullptr;
  Type other = Type::any;
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    if (e.args[i]->kind == Expr::Kind::string) {
      literal = e.args[i].get();
      other = i == 0 ? right : left;
    }
  }
  std::string message =
      std::string("cannot compare ") + type_name(left) + " with " + type_name(right);
  if (literal && other == Type::number) {
    sink_.report(Code::type_mismatch, literal->span, message,
                 "remove the quotes: numbers are written without them (`250`)");
  } else if (literal && other == Type::boolean) {
    sink_.report(Code::type_mismatch, literal->span, message,
                 "write `true` or `false` without quotes");
  } else {
    sink_.report(Code::type_mismatch, e.span, message);
  }
}

bool ExpressionChecker::read_as_timestamp(Expr& literal) {
  auto ts = parse_timestamp(literal.text);
  if (!ts) {
    sink_.report(Code::bad_timestamp_literal, literal.span,
                 "\"" + literal.text + "\" is not a date or an RFC 3339 time",
                 "write a date such as \"2026-06-01\" or \"2026-06-01T09:00:00Z\"");
    return false;
  }
  literal.kind = Expr::Kind::timestamp;
  literal.number = double(*ts);
  return true;
}

// Without a schema every name is allowed, but one used only once that is a letter or two
// away from another name is most likely a typo (spec 6: warnings when there is no schema).
void ExpressionChecker::warn_lonely_names() {
  auto warn = [&](const std::map<std::string, std::vector<Span>>& uses, Code code,
                  const char* what) {
    std::vector<std::string> names;
    for (const auto& kv : uses) names.push_back(kv.first);
    for (const auto& [name, spans] : uses) {
      // One- and two-letter names (`a`, `x1`) are all close to each other: too noisy to guess at.
      if (spans.size() != 1 || name.size() < 3) continue;
      std::vector<std::string> others;
      for (const auto& [other, other_spans] : uses) {
        if (other != name && other_spans.size() > 1) others.push_back(other);
      }
      auto close = text::closest_name(name, others);
      if (close) {
        sink_.report(code, spans[0], std::string(what) + " `" + name + "` appears only here",
                     "did you mean `" + *close + "`?");
      }
    }
  };
  warn(attribute_uses_, Code::unknown_attribute_warning, "attribute");
  warn(event_uses_, Code::unknown_event_warning, "event type");
  warn(property_uses_, Code::unknown_property_warning, "property");
}

}  // namespace leadscore::dsl
