#include "dsl/checker.hpp"

#include <cmath>
#include <map>
#include <set>

#include "dsl/expression_checker.hpp"

namespace leadscore::dsl {
namespace {

// Names, bands and grades, groups, rules and limits; expressions go to ExpressionChecker.
class Checker {
 public:
  Checker(Model& model, const Schema* schema, DiagnosticSink& sink, bool partial)
      : model_(model),
        schema_(schema),
        sink_(sink),
        partial_(partial),
        expressions_(model, schema, sink, partial) {}

  void run() {
    declare_names();
    check_bands(model_.bands, "band");
    check_grades();
    check_scale();
    for (auto& group : model_.groups) check_group(group);
    for (auto& limit : model_.limits) check_limit(limit);
    if (!schema_ && !partial_) expressions_.warn_lonely_names();
  }

 private:
  // ---- names -----------------------------------------------------------------------------
  void declare_names() {
    // `what` names the thing in a sentence: "rule or group `x` is already defined on line 7".
    auto declare = [&](std::map<std::string, Span>& seen, const std::string& name, Span span,
                       const std::string& what) {
      auto [it, fresh] = seen.emplace(name, span);
      if (!fresh) {
        sink_.report(Code::duplicate_name, span,
                     what + " `" + name + "` is already defined on line " +
                         std::to_string(line_of(it->second)),
                     "give it another name");
      }
    };
    std::map<std::string, Span> rules_and_groups;
    for (const auto& g : model_.groups) {
      declare(rules_and_groups, g.name, g.name_span, "a group or rule named");
      group_names_.push_back(g.name);
    }
    for (const auto& g : model_.groups) {
      for (const auto& r : g.rules) {
        declare(rules_and_groups, r.name, r.name_span, "a group or rule named");
      }
    }
    std::map<std::string, Span> lists;
    for (const auto& l : model_.lists) declare(lists, l.name, l.name_span, "a list named");
    std::map<std::string, Span> bands;
    for (const auto& b : model_.bands) declare(bands, b.name, b.name_span, "a band named");
    std::map<std::string, std::map<std::string, Span>> grades;
    for (const auto& g : model_.grades) {
      declare(grades[g.group], g.name, g.name_span, "group `" + g.group + "`'s grade");
    }
  }

  std::uint32_t line_of(Span span) const { return sink_.source().locate(span).line; }

  // ---- bands and grades ------------------------------------------------------------------
  void check_bands(const std::vector<Band>& bands, const char* what) {
    for (std::size_t i = 0; i < bands.size(); ++i) {
      const Band& b = bands[i];
      bool last = i + 1 == bands.size();
      if (last && b.threshold) {
        sink_.report(
            Code::band_catch_all, b.threshold_span,
            std::string("the last ") + what +
                " must have no threshold: it takes every "
                "lead the others do not",
            std::string("remove `>= ...` here, or add a last ") + what + " without one, such as `" +
                (b.group.empty() ? "band cold \"Not ready\"" : "grade " + b.group + " C") + "`");
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
                     *b.threshold == *bands[i - 1].threshold
                         ? "with equal thresholds the first always wins, so `" + b.name +
                               "` could never be chosen"
                         : std::string("the first match wins, so list them from the highest "
                                       "threshold down"));
      }
    }
  }

  void check_grades() {
    std::map<std::string, std::vector<Band>> by_group;
    std::set<std::string> reported;  // one error per unknown group, not one per grade line
    for (const auto& g : model_.grades) {
      if (!find_group(g.group)) {
        if (partial_ || !reported.insert(g.group).second) continue;
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
                   "remove `decay` here; decay belongs to `engagement` groups");
    }
    if (g.is_fit && g.within) {
      sink_.report(Code::modifier_not_allowed, g.within->span,
                   "a fit group cannot take `within`: it limits which events count, and fit "
                   "rules are not event rules",
                   "remove `within` here, or put the rules in an `engagement` group");
    }
    if (g.decay) check_decay(*g.decay);
    if (g.within) check_duration(*g.within, "within", sink_);
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
      expressions_.check_event_type(r.event_type, r.event_span);
      if (r.limit) {
        if (r.limit->count == 0) {
          sink_.report(Code::bad_setting, r.limit->span, "`limit 0 per ...` would never count");
        }
        check_duration(r.limit->per, "limit", sink_);
      }
      if (r.within) check_duration(*r.within, "within", sink_);
      if (r.decay) check_decay(*r.decay);
      Scope where{Place::event_condition, r.event_type};
      if (r.condition) expressions_.expect_condition(*r.condition, where);
      Scope pts{Place::event_points, r.event_type};
      if (r.points) expressions_.expect_points(*r.points, pts);
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
      if (r.condition) expressions_.expect_condition(*r.condition, cond);
      Scope pts{Place::when_points, {}};
      if (r.points) expressions_.expect_points(*r.points, pts);
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
    if (l.condition) expressions_.expect_condition(*l.condition, scope);
  }

  void check_decay(const Decay& d) {
    if (d.kind == Decay::Kind::none) return;
    if (!std::isfinite(d.period_days)) {
      sink_.report(Code::number_out_of_range, d.span, "a decay period too long to compute with");
    } else if (!(d.period_days > 0)) {
      sink_.report(Code::bad_setting, d.span, "a decay period must be above 0");
    }
    if (d.kind == Decay::Kind::step && !(d.step_percent > 0 && d.step_percent <= 100)) {
      sink_.report(Code::bad_setting, d.span, "a decay step must be between 0% and 100%",
                   "`decay 20% every 30 days` takes a fifth off each month");
    }
  }

  Model& model_;
  const Schema* schema_;
  DiagnosticSink& sink_;
  bool partial_;
  ExpressionChecker expressions_;
  std::vector<std::string> group_names_;
};

}  // namespace

void check_model(Model& model, const Schema* schema, DiagnosticSink& sink, bool partial) {
  Checker(model, schema, sink, partial).run();
}

}  // namespace leadscore::dsl
