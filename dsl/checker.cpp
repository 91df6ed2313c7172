#include "dsl/checker.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

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

// Where an expression sits decides what its bare names mean (spec 4.2, 3.4).
enum class Place : std::uint8_t {
  when_condition,   // bare names are attributes; aggregates allowed
  when_points,      // same
  event_condition,  // `where`: bare names are the event's properties
  event_points,     // points of an `on` rule: same
  limit_condition,  // a group's name stands for its total
  aggregate_where,  // inside count(... where ...): the aggregated event's properties
};

struct Scope {
  Place place;
  std::string event_type;  // for event places; "any" for every type
  bool reads_events = false;
};

class Checker {
 public:
  Checker(Model& model, const Schema* schema, DiagnosticSink& sink, bool partial)
      : model_(model), schema_(schema), sink_(sink), partial_(partial) {}

  void run() {
    declare_names();
    check_bands(model_.bands, "band");
    check_grades();
    check_scale();
    for (auto& group : model_.groups) check_group(group);
    for (auto& limit : model_.limits) check_limit(limit);
    if (!schema_ && !partial_) warn_lonely_names();
  }

 private:
  // ---- names -----------------------------------------------------------------------------
  void declare_names() {
    std::map<std::string, Span> rules_and_groups;
    auto declare = [&](std::map<std::string, Span>& seen, const std::string& name, Span span,
                       const char* what) {
      auto [it, fresh] = seen.emplace(name, span);
      if (!fresh) {
        sink_.report(Code::duplicate_name, span,
                     std::string(what) + " `" + name + "` is already defined on line " +
                         std::to_string(line_of(it->second)),
                     "give it another name");
      }
    };
    for (const auto& g : model_.groups) {
      declare(rules_and_groups, g.name, g.name_span, "a group or rule named");
      group_names_.push_back(g.name);
    }
    for (const auto& g : model_.groups) {
      for (const auto& r : g.rules)
        declare(rules_and_groups, r.name, r.name_span, "a group or rule named");
    }
    std::map<std::string, Span> lists;
    for (const auto& l : model_.lists) {
      declare(lists, l.name, l.name_span, "a list named");
      list_names_.push_back(l.name);
    }
    std::map<std::string, Span> bands;
    for (const auto& b : model_.bands) declare(bands, b.name, b.name_span, "a band named");
    std::map<std::string, std::map<std::string, Span>> grades;
    for (const auto& g : model_.grades) {
      declare(grades[g.group], g.name, g.name_span,
              ("group `" + g.group + "` already has a grade named").c_str());
    }
  }

  std::uint32_t line_of(Span span) const { return sink_.source().locate(span).line; }

  // ---- bands and grades ------------------------------------------------------------------
  void check_bands(const std::vector<Band>& bands, const char* what) {
    for (std::size_t i = 0; i < bands.size(); ++i) {
      const Band& b = bands[i];
      bool last = i + 1 == bands.size();
      if (last && b.threshold) {
        sink_.report(Code::band_catch_all, b.threshold_span,
                     std::string("the last ") + what +
                         " must have no threshold: it takes every "
                         "lead the others do not",
                     std::string("remove `>= ...` here, or add a last ") + what +
                         " without one (e.g. `cold \"Not ready\"`)");
      }
      if (!last && !b.threshold) {
        sink_.report(Code::band_catch_all, b.name_span,
                     std::string("only the last ") + what + " may have no threshold",
                     "give it `>= N`, or move it to the end");
      }
      if (i > 0 && b.threshold && bands[i - 1].threshold &&
          !(*b.threshold < *bands[i - 1].threshold)) {
        sink_.report(Code::band_order, b.threshold_span,
                     std::string(what) + " `" + b.name + "` is not below `" + bands[i - 1].name +
                         "`: " + what + "s must have decreasing thresholds",
                     "the first match wins, so list them from the highest threshold down");
      }
    }
  }

  void check_grades() {
    std::map<std::string, std::vector<Band>> by_group;
    for (const auto& g : model_.grades) {
      if (!find_group(g.group)) {
        if (partial_) continue;
        sink_.report(Code::unknown_group, g.group_span, "no group named `" + g.group + "` to grade",
                     did_you_mean(g.group, group_names_));
        continue;
      }
      by_group[g.group].push_back(g);
    }
    for (const auto& [group, grades] : by_group) check_bands(grades, "grade");
  }

  void check_scale() {
    if (model_.scale && !(model_.scale->low < model_.scale->high)) {
      sink_.report(Code::bad_setting, model_.scale->span, "`scale A to B` needs A below B",
                   "for example `scale 0 to 100`");
    }
  }

  const Group* find_group(const std::string& name) const {
    for (const auto& g : model_.groups) {
      if (g.name == name) return &g;
    }
    return nullptr;
  }

  // ---- groups and rules ------------------------------------------------------------------
  void check_group(Group& g) {
    if (g.cap && g.floor && *g.floor > *g.cap) {
      sink_.report(Code::bad_setting, g.floor_span, "the group's floor is above its cap");
    }
    if (g.is_fit && g.decay) {
      sink_.report(Code::modifier_not_allowed, g.decay->span,
                   "a fit group cannot decay: fit rules describe the lead as it is now",
                   "move event rules into an `engagement` group");
    }
    if (g.is_fit && g.within) {
      sink_.report(Code::modifier_not_allowed, g.within->span,
                   "`within` is for engagement groups: fit rules read no events");
    }
    if (g.decay) check_decay(*g.decay);
    if (g.within) check_duration(*g.within, "within");
    for (auto& r : g.rules) check_rule(g, r);
  }

  void check_rule(const Group& g, Rule& r) {
    if (r.cap && !(*r.cap > 0)) {
      sink_.report(Code::bad_setting, r.cap_span, "a rule's cap must be above 0",
                   "`cap 10` keeps the rule between -10 and 10");
    }
    if (r.is_event_rule) {
      if (g.is_fit) {
        sink_.report(Code::on_rule_in_fit, r.event_span,
                     "fit group `" + g.name +
                         "` cannot have an `on` rule: fit rules describe "
                         "who the lead is",
                     "move rule `" + r.name + "` into an `engagement` group");
      }
      check_event_type(r.event_type, r.event_span);
      if (r.limit) {
        if (r.limit->count == 0) {
          sink_.report(Code::bad_setting, r.limit->span, "`limit 0 per ...` would never count");
        }
        check_duration(r.limit->per, "limit");
      }
      if (r.within) check_duration(*r.within, "within");
      if (r.decay) check_decay(*r.decay);
      Scope where{Place::event_condition, r.event_type};
      if (r.condition) expect_condition(*r.condition, where);
      Scope pts{Place::event_points, r.event_type};
      if (r.points) expect_points(*r.points, pts);
    } else {
      auto not_allowed = [&](Span span, const char* what) {
        sink_.report(Code::modifier_not_allowed, span,
                     std::string("a `when` rule cannot take `") + what +
                         "`: it is evaluated once, at the as-of time",
                     "only `cap N` applies to `when` rules");
      };
      if (r.once) not_allowed(r.once_span, "once");
      if (r.limit) not_allowed(r.limit->span, "limit");
      if (r.within) not_allowed(r.within->span, "within");
      if (r.decay) not_allowed(r.decay->span, "decay");
      Scope cond{Place::when_condition, {}};
      if (r.condition) expect_condition(*r.condition, cond);
      Scope pts{Place::when_points, {}};
      if (r.points) expect_points(*r.points, pts);
      if (g.is_fit && (cond.reads_events || pts.reads_events)) {
        sink_.report(Code::fit_reads_events, r.name_span, "fit rule `" + r.name + "` reads events",
                     "fit describes who the lead is; move it to an engagement group");
      }
    }
  }

  void check_limit(Limit& l) {
    if (l.target != "score" && !find_group(l.target) && !partial_) {
      sink_.report(Code::unknown_group, l.target_span,
                   "`" + l.target + "` is neither `score` nor a group of this model",
                   did_you_mean(l.target, group_names_));
    }
    Scope scope{Place::limit_condition, {}};
    if (l.condition) expect_condition(*l.condition, scope);
  }

  void check_duration(const Duration& d, const char* what) {
    if (!(d.seconds > 0) || !std::isfinite(d.seconds)) {
      sink_.report(Code::bad_setting, d.span,
                   std::string("the duration of `") + what + "` must be above 0");
    }
  }

  void check_decay(const Decay& d) {
    if (d.kind == Decay::Kind::none) return;
    if (!(d.period_days > 0) || !std::isfinite(d.period_days)) {
      sink_.report(Code::bad_setting, d.span, "a decay period must be above 0");
    }
    if (d.kind == Decay::Kind::step && !(d.step_percent > 0 && d.step_percent <= 100)) {
      sink_.report(Code::bad_setting, d.span, "a decay step must be between 0% and 100%",
                   "`decay 20% every 30 days` takes a fifth off each month");
    }
  }

  // ---- expressions -----------------------------------------------------------------------
  void expect_condition(Expr& e, Scope& scope) {
    Type t = type_of(e, scope);
    if (t != Type::any && t != Type::boolean) {
      sink_.report(Code::type_mismatch, e.span,
                   std::string("a condition must be true or false, but this is ") + type_name(t),
                   "compare it with something, e.g. `employees >= 250`");
    }
  }

  void expect_points(Expr& e, Scope& scope) {
    Type t = type_of(e, scope);
    if (t != Type::any && t != Type::number) {
      sink_.report(Code::type_mismatch, e.span,
                   std::string("points must be a number, but this is ") + type_name(t));
    }
  }

  Type type_of(Expr& e, Scope& scope) {
    switch (e.kind) {
      case Expr::Kind::number:
        if (!std::isfinite(e.number)) {
          sink_.report(Code::number_out_of_range, e.span, "this number is too large");
        }
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

  Type name_type(Expr& e, Scope& scope) {
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
    if (scope.place == Place::limit_condition && find_group(e.text)) {
      e.name_kind = NameKind::group;
      return Type::number;
    }
    e.name_kind = NameKind::attribute;
    return attribute_type(e.text, e.span);
  }

  Type attribute_type(const std::string& name, Span span) {
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

  void check_event_type(const std::string& type, Span span) {
    if (type == "any") return;
    event_uses_[type].push_back(span);
    if (schema_ && !schema_->events.count(type)) {
      sink_.report(Code::unknown_event, span, "the schema has no event type `" + type + "`",
                   did_you_mean(type, keys(schema_->events)));
    }
  }

  Type property_type(const std::string& event_type, const std::string& name, Span span) {
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

  template <typename Map>
  static std::vector<std::string> keys(const Map& m) {
    std::vector<std::string> out;
    for (const auto& kv : m) out.push_back(kv.first);
    return out;
  }

  Type call_type(Expr& e, Scope& scope) {
    static const std::vector<std::string> functions = {
        "domain", "lower", "length", "days_since", "count", "sum", "days_since_last"};
    std::vector<Type> args;
    for (auto& a : e.args) args.push_back(type_of(*a, scope));
    auto arity = [&](std::size_t n) {
      if (e.args.size() == n) return true;
      sink_.report(Code::wrong_arguments, e.span,
                   "`" + e.text + "` takes " + std::to_string(n) + " argument" +
                       (n == 1 ? "" : "s") + ", not " + std::to_string(e.args.size()));
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

  Type aggregate_type(Expr& e, Scope& scope) {
    if (scope.place == Place::event_condition || scope.place == Place::event_points ||
        scope.place == Place::aggregate_where) {
      sink_.report(Code::aggregate_not_allowed, e.span,
                   "`" + e.text + "(...)` cannot be used " +
                       (scope.place == Place::aggregate_where ? "inside another aggregate"
                                                              : "in an `on` rule") +
                       ": it reads all the lead's events, and here only the current event is "
                       "known",
                   "use it in a `when` rule or a limit");
      return Type::number;
    }
    scope.reads_events = true;
    check_event_type(e.event_type, e.event_span);
    if (e.aggregate == AggregateKind::sum) {
      if (e.property.empty()) {
        sink_.report(Code::wrong_arguments, e.span,
                     "`sum` needs an event property, as in `sum(purchase.amount)`");
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
    if (e.within) check_duration(*e.within, "within");
    if (e.where) {
      Scope inner{Place::aggregate_where, e.event_type};
      expect_condition(*e.where, inner);
    }
    e.aggregate_index = std::uint32_t(model_.aggregates.size());
    model_.aggregates.push_back(&e);
    return Type::number;
  }

  Type unary_type(Expr& e, Scope& scope) {
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

  Type binary_type(Expr& e, Scope& scope) {
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
            sink_.report(Code::type_mismatch, e.args[i]->span,
                         std::string("`") + op_text(e.op) + "` needs numbers, but this is " +
                             type_name(t[i]));
          }
        }
        return Type::number;
      case Op::contains:
      case Op::starts_with:
      case Op::ends_with:
      case Op::matches:
        for (std::size_t i = 0; i < t.size(); ++i) {
          if (t[i] != Type::any && t[i] != Type::string) {
            sink_.report(Code::type_mismatch, e.args[i]->span,
                         std::string("`") + op_text(e.op) + "` compares text, but this is " +
                             type_name(t[i]));
          }
        }
        return Type::boolean;
      default:
        compare_types(e, t);
        return Type::boolean;
    }
  }

  // = != < <= > >= between: operands must be comparable (spec 5.2).
  void compare_types(Expr& e, std::vector<Type>& t) {
    bool ordering = e.op != Op::eq && e.op != Op::ne;
    bool has_time = std::find(t.begin(), t.end(), Type::timestamp) != t.end();
    for (std::size_t i = 0; i < t.size(); ++i) {
      Expr& a = *e.args[i];
      if (a.kind != Expr::Kind::string) continue;
      // Beside a timestamp a string literal must be a time; in an ordering comparison a
      // literal that reads as one is one (`signed_up >= "2026-01-01"` without a schema).
      if (has_time) {
        if (read_as_timestamp(a)) t[i] = Type::timestamp;
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
        sink_.report(
            Code::type_mismatch, e.span,
            std::string("cannot compare ") + type_name(known) + " with " + type_name(t[i]),
            known == Type::string || t[i] == Type::string
                ? "quote both sides or neither: `employees >= 250`, `industry = \"energy\"`"
                : "");
        return;
      }
      known = t[i];
    }
  }

  bool read_as_timestamp(Expr& literal) {
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
  void warn_lonely_names() {
    auto warn = [&](const std::map<std::string, std::vector<Span>>& uses, Code code,
                    const char* what) {
      std::vector<std::string> names;
      for (const auto& kv : uses) names.push_back(kv.first);
      for (const auto& [name, spans] : uses) {
        if (spans.size() != 1) continue;
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

  Model& model_;
  const Schema* schema_;
  DiagnosticSink& sink_;
  bool partial_;
  std::vector<std::string> group_names_;
  std::vector<std::string> list_names_;
  std::map<std::string, std::vector<Span>> attribute_uses_;
  std::map<std::string, std::vector<Span>> event_uses_;
  std::map<std::string, std::vector<Span>> property_uses_;
};

}  // namespace

void check_model(Model& model, const Schema* schema, DiagnosticSink& sink, bool partial) {
  Checker(model, schema, sink, partial).run();
}

}  // namespace leadscore::dsl
