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

#include "dsl/condition_solver.hpp"
#include "dsl/lint_support.hpp"
#include "dsl/score_range.hpp"
#include "engine/text.hpp"

namespace leadscore::dsl {
namespace {

using namespace lint_support;
constexpr double infinity = std::numeric_limits<double>::infinity();

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
    for (const auto& g : model_.groups) {
      for (const auto& r : g.rules) {
        if (!r.condition) continue;
        auto conflict = find_contradiction(model_, *r.condition);
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
        // A list file's values are not quoted: the file may not be the model author's to show
        // (a CI run prints lint output to a pull request), so its lines are named instead.
        std::string shown = list.file ? "line " + std::to_string(e.file_line) + " (first on line " +
                                            std::to_string(it->second->file_line) + ")"
                            : e.is_number ? num(e.number)
                                          : "\"" + e.text + "\"";
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
