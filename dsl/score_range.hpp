// The lowest and highest values a model can give: each rule's contribution, each group's total
// and the final score. Used by the linter (dsl/lint.cpp) for unreachable bands, idle caps and
// gates, and rules that decide the band alone.
//
// The bounds are safe, not tight: every rule is assumed free to take any value in its own range
// whatever the others do (two rules that exclude each other may both count at their highest),
// and a gate is assumed to apply sometimes and not other times. So the true highest score is at
// most `high` and the true lowest at least `low`; a check that fires on these bounds is right.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "dsl/ast.hpp"

namespace leadscore::dsl {

// A closed interval; either end may be infinite.
struct Range {
  double low = 0;
  double high = 0;
};

struct RuleRange {
  Range uncapped;  // before the rule's own cap
  Range value;     // after it: what the group adds up
};

struct ScoreRanges {
  std::vector<std::vector<RuleRange>> rules;  // [group][rule], in model order
  std::vector<Range> groups;                  // after cap and floor: what limit conditions read
  std::vector<Range> limited_groups;          // after the limits on the group: what grades read
  Range unlimited_score;  // sum of the limited groups, before limits on the score
  Range score;            // after the limits on the score and the scale: for bands
};

// The most matches an `on` rule can count: 1 with `once`; K x ceil(W / D) with `limit K per D`
// and a `within W` (its own or its group's); otherwise unbounded (infinity).
double most_counted_matches(const Rule& rule, const Group& group);

// What one rule can contribute. Constant points p give [min(0, p x n), max(0, p x n)] with n the
// most counted matches (decay only shrinks a match's points); a points expression can be any
// number. The rule's cap then clamps both ends.
RuleRange rule_range(const Rule& rule, const Group& group);

// Group totals are clamped by cap and floor; a limit lowers a target's lowest value to its N (it
// may apply) and leaves the highest alone (it may not); `scale` clamps the score.
ScoreRanges score_ranges(const Model& model);

// Clamps a sum of rule values by the group's cap and floor.
double clamp_group(double total, const Group& group);

// Whether a limit's condition holds when the groups' totals (after cap and floor, before
// limits) are `totals`: decided only when the condition reads nothing but group names and
// constants, else nullopt (it depends on the lead's attributes or events).
std::optional<bool> decide_condition(const Expr& condition, const Model& model,
                                     const std::vector<double>& totals);

// The score when rule j of group g contributes exactly value(g, j): group caps and floors, the
// limits whose conditions those totals decide (decide_condition), the sum and the scale. A limit
// that depends on the lead is left out. NaN when unbounded values of both signs meet.
double score_for(const Model& model,
                 const std::function<double(std::size_t group, std::size_t rule)>& value);
// The same from each group's sum of rule values (before its cap and floor).
double score_from_sums(const Model& model, const std::vector<double>& sums);

}  // namespace leadscore::dsl
