#include "dsl/score_range.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace leadscore::dsl {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

Range clamp_range(Range r, double low, double high) {
  return {std::clamp(r.low, low, high), std::clamp(r.high, low, high)};
}

Range clamp_group_range(Range r, const Group& g) {
  if (g.cap) r = {std::min(r.low, *g.cap), std::min(r.high, *g.cap)};
  if (g.floor) r = {std::max(r.low, *g.floor), std::max(r.high, *g.floor)};
  return r;
}

}  // namespace

double most_counted_matches(const Rule& rule, const Group& group) {
  if (!rule.is_event_rule || rule.once) return 1;
  const auto& within = rule.within ? rule.within : group.within;
  if (rule.limit && within && rule.limit->per.seconds > 0) {
    // At most K counted matches fall in any window (t - D, t], and ceil(W / D) such windows
    // cover the `within` window (T - W, T].
    return double(rule.limit->count) * std::ceil(within->seconds / rule.limit->per.seconds);
  }
  return infinity;
}

RuleRange rule_range(const Rule& rule, const Group& group) {
  RuleRange out;
  if (rule.points && rule.points->kind == Expr::Kind::number) {
    double points = rule.negative ? -rule.points->number : rule.points->number;
    double most = points == 0 ? 0 : points * most_counted_matches(rule, group);
    out.uncapped = {std::min(0.0, most), std::max(0.0, most)};
  } else {
    // An expression may give any number, of either sign (spec 4.4, decision 14).
    out.uncapped = {-infinity, infinity};
  }
  out.value = rule.cap ? clamp_range(out.uncapped, -*rule.cap, *rule.cap) : out.uncapped;
  return out;
}

double clamp_group(double total, const Group& group) {
  if (std::isnan(total)) return total;
  if (group.cap) total = std::min(total, *group.cap);
  if (group.floor) total = std::max(total, *group.floor);
  return total;
}

ScoreRanges score_ranges(const Model& model) {
  ScoreRanges out;
  for (const auto& g : model.groups) {
    std::vector<RuleRange> rules;
    Range sum;
    for (const auto& r : g.rules) {
      rules.push_back(rule_range(r, g));
      // Lows are finite or -inf and highs finite or +inf, so the sums are never NaN.
      sum.low += rules.back().value.low;
      sum.high += rules.back().value.high;
    }
    out.rules.push_back(std::move(rules));
    out.groups.push_back(clamp_group_range(sum, g));
  }
  out.limited_groups = out.groups;
  for (const auto& l : model.limits) {
    for (std::size_t i = 0; i < model.groups.size(); ++i) {
      if (model.groups[i].name == l.target) {
        out.limited_groups[i].low = std::min(out.limited_groups[i].low, l.value);
      }
    }
  }
  for (const auto& g : out.limited_groups) {
    out.unlimited_score.low += g.low;
    out.unlimited_score.high += g.high;
  }
  out.score = out.unlimited_score;
  for (const auto& l : model.limits) {
    if (l.target == "score") out.score.low = std::min(out.score.low, l.value);
  }
  if (model.scale) out.score = clamp_range(out.score, model.scale->low, model.scale->high);
  return out;
}

namespace {

// A value while deciding a condition: a number, a truth value, or not known statically (an
// attribute, an aggregate, a missing value).
struct Known {
  enum class Kind : std::uint8_t { unknown, number, truth } kind = Kind::unknown;
  double number = 0;
  bool truth = false;
};

Known number_of(double x) {
  if (std::isnan(x)) return {};
  return {Known::Kind::number, x, false};
}
Known truth_of(bool b) {
  return {Known::Kind::truth, 0, b};
}

Known evaluate(const Expr& e, const Model& model, const std::vector<double>& totals) {
  switch (e.kind) {
    case Expr::Kind::number:
      return number_of(e.number);
    case Expr::Kind::boolean:
      return truth_of(e.number != 0);
    case Expr::Kind::name:
      if (e.name_kind != NameKind::group) return {};
      for (std::size_t g = 0; g < model.groups.size() && g < totals.size(); ++g) {
        if (model.groups[g].name == e.text) return number_of(totals[g]);
      }
      return {};
    case Expr::Kind::unary: {
      Known a = evaluate(*e.args.at(0), model, totals);
      if (e.op == Op::negate && a.kind == Known::Kind::number) return number_of(-a.number);
      if (e.op == Op::logical_not && a.kind == Known::Kind::truth) return truth_of(!a.truth);
      // `is missing` / `is present` of a known number: a group total is never missing.
      if (a.kind == Known::Kind::number && (e.op == Op::is_missing || e.op == Op::is_present)) {
        return truth_of(e.op == Op::is_present);
      }
      return {};
    }
    case Expr::Kind::binary:
      break;
    default:
      return {};
  }
  if (e.op == Op::logical_and || e.op == Op::logical_or) {
    // Three-valued: one false decides `and`, one true decides `or`, whatever the rest are.
    bool decider = e.op == Op::logical_or;
    bool all_known = true;
    for (const auto& a : e.args) {
      Known k = evaluate(*a, model, totals);
      if (k.kind != Known::Kind::truth) {
        all_known = false;
      } else if (k.truth == decider) {
        return truth_of(decider);
      }
    }
    return all_known ? truth_of(!decider) : Known{};
  }
  std::vector<double> n;
  for (const auto& a : e.args) {
    Known k = evaluate(*a, model, totals);
    if (k.kind != Known::Kind::number) return {};
    n.push_back(k.number);
  }
  switch (e.op) {
    case Op::add:
      return number_of(n.at(0) + n.at(1));
    case Op::sub:
      return number_of(n.at(0) - n.at(1));
    case Op::mul:
      return number_of(n.at(0) * n.at(1));
    case Op::div:
      return n.at(1) == 0 ? Known{} : number_of(n.at(0) / n.at(1));
    case Op::eq:
      return truth_of(n.at(0) == n.at(1));
    case Op::ne:
      return truth_of(n.at(0) != n.at(1));
    case Op::lt:
      return truth_of(n.at(0) < n.at(1));
    case Op::le:
      return truth_of(n.at(0) <= n.at(1));
    case Op::gt:
      return truth_of(n.at(0) > n.at(1));
    case Op::ge:
      return truth_of(n.at(0) >= n.at(1));
    case Op::between:
      return truth_of(n.at(0) >= n.at(1) && n.at(0) <= n.at(2));
    default:
      return {};
  }
}

}  // namespace

std::optional<bool> decide_condition(const Expr& condition, const Model& model,
                                     const std::vector<double>& totals) {
  Known k = evaluate(condition, model, totals);
  if (k.kind != Known::Kind::truth) return std::nullopt;
  return k.truth;
}

double score_for(const Model& model,
                 const std::function<double(std::size_t group, std::size_t rule)>& value) {
  std::vector<double> sums;
  for (std::size_t g = 0; g < model.groups.size(); ++g) {
    double sum = 0;
    for (std::size_t r = 0; r < model.groups[g].rules.size(); ++r) sum += value(g, r);
    sums.push_back(sum);
  }
  return score_from_sums(model, sums);
}

double score_from_sums(const Model& model, const std::vector<double>& sums) {
  std::vector<double> totals;
  for (std::size_t g = 0; g < model.groups.size(); ++g) {
    totals.push_back(clamp_group(sums.at(g), model.groups[g]));
  }
  // Limits read the totals before any limit (spec 3.4); `unless C` applies when C is false.
  auto applies = [&](const Limit& l) {
    if (!l.condition) return false;
    auto holds = decide_condition(*l.condition, model, totals);
    return holds && *holds != l.unless;
  };
  std::vector<double> limited = totals;
  for (const auto& l : model.limits) {
    for (std::size_t g = 0; g < model.groups.size(); ++g) {
      if (model.groups[g].name == l.target && applies(l)) {
        limited[g] = std::min(limited[g], l.value);
      }
    }
  }
  double score = 0;
  for (double t : limited) score += t;
  for (const auto& l : model.limits) {
    if (l.target == "score" && applies(l)) score = std::min(score, l.value);
  }
  if (model.scale && !std::isnan(score)) {
    score = std::clamp(score, model.scale->low, model.scale->high);
  }
  return score;
}

}  // namespace leadscore::dsl
