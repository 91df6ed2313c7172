#include "engine/evaluator.hpp"

#include <algorithm>
#include <cmath>

#include "engine/text.hpp"

namespace leadscore::engine {
namespace {

constexpr double ms_per_day = 86'400'000.0;

// A total that overflowed (a rule summing many huge points, a group of huge rules) is missing
// and counts 0, as a rule's points that cannot be computed do (decision 29 of
// dsl/LANGUAGE.md). So no score, group or contribution is ever NaN or infinite.
double finite_or_zero(double x) {
  return std::isfinite(x) ? x : 0;
}

// Public values to VM cells; a blank string is missing (spec 5.1).
Cell to_cell(const Value& v, std::string_view text) {
  switch (v.kind()) {
    case Value::Kind::number:
      return Cell::of_number(v.as_number());
    case Value::Kind::boolean:
      return Cell::of_bool(v.as_boolean());
    case Value::Kind::timestamp:
      return Cell::of_timestamp(double(v.as_timestamp()));
    case Value::Kind::string:
      return text::is_blank(text) ? Cell::missing() : Cell::of_string(text);
    default:
      return Cell::missing();
  }
}

double clamp_cap(double x, const std::optional<double>& cap) {
  return cap ? std::clamp(x, -*cap, *cap) : x;
}

const std::string& band_for(const std::vector<BandCode>& bands, double value) {
  static const std::string none = "none";
  for (const auto& b : bands) {
    if (!b.threshold || value >= *b.threshold) return b.name;
  }
  return none;
}

}  // namespace

Evaluator::Evaluator(const Program& program)
    : program_(program), regex_memo_(program.chunk.regexes.size()) {
  attribute_text_.resize(program.attribute_names.size());
  attributes_.resize(program.attribute_names.size());
  properties_.resize(program.property_names.size());
  aggregates_.resize(program.aggregates.size());
  groups_.resize(program.groups.size());
  scratch_.resize(program.chunk.scratch_strings + 1);
  stack_.resize(program.chunk.max_stack + 1);
  rules_.resize(program.rules.size());
  aggregate_states_.resize(program.aggregates.size());
  counted_times_.resize(program.rules.size());
  frame_.attributes = attributes_.data();
  frame_.properties = properties_.data();
  frame_.aggregates = aggregates_.data();
  frame_.groups = groups_.data();
  frame_.scratch = scratch_.data();
  frame_.stack = stack_.data();
  frame_.regex_memo = &regex_memo_;
  for (const RuleCode& rule : program.rules) {
    rule_quick_.push_back(rule.condition == no_block
                              ? std::nullopt
                              : QuickCondition::recognise(program.chunk, rule.condition));
  }
  for (const AggregateCode& agg : program.aggregates) {
    aggregate_quick_.push_back(
        agg.where == no_block ? std::nullopt : QuickCondition::recognise(program.chunk, agg.where));
  }
}

void Evaluator::begin_resolved(Timestamp as_of) {
  as_of_ms_ = double(as_of);
  frame_.as_of_ms = as_of_ms_;
  any_event_ = false;
  event_index_ = 0;
  std::fill(attributes_.begin(), attributes_.end(), Cell::missing());
  std::fill(rules_.begin(), rules_.end(), RuleState{});
  std::fill(aggregate_states_.begin(), aggregate_states_.end(), AggregateState{});
  for (auto& times : counted_times_) times.clear();
  if (trace_) {
    trace_->assign(program_.rules.size(), {});
  }
}

void Evaluator::begin(const AttributeVersion* attributes, Timestamp as_of) {
  begin_resolved(as_of);
  if (attributes) {
    for (const auto& [name, value] : attributes->values) {
      auto it = program_.attribute_slots.find(name);
      if (it == program_.attribute_slots.end()) continue;
      std::string& copy = attribute_text_[it->second];
      copy.assign(value.as_string());
      attributes_[it->second] = to_cell(value, copy);
    }
  }
}

Scorer::Added Evaluator::accept_time(double ts) {
  if (ts > as_of_ms_) return Scorer::Added::after_as_of;
  if (any_event_ && ts < last_event_ms_) return Scorer::Added::out_of_order;
  any_event_ = true;
  last_event_ms_ = ts;
  frame_.event_time_ms = ts;
  return Scorer::Added::used;
}

void Evaluator::feed_type(std::int32_t type) {
  if (type >= 0) {
    for (const Consumer& c : program_.consumers_by_event[std::size_t(type)]) feed(c);
  }
  for (const Consumer& c : program_.any_event_consumers) feed(c);
  ++event_index_;
}

Scorer::Added Evaluator::add(const Event& event) {
  Scorer::Added added = accept_time(double(event.ts));
  if (added != Scorer::Added::used) return added;
  set_properties(event);
  auto type = program_.event_ids.find(event.type);
  feed_type(type == program_.event_ids.end() ? -1 : std::int32_t(type->second));
  return added;
}

Scorer::Added Evaluator::add_resolved(std::int32_t type, Timestamp ts) {
  Scorer::Added added = accept_time(double(ts));
  if (added == Scorer::Added::used) feed_type(type);
  return added;
}

void Evaluator::clear_properties() {
  for (std::uint32_t slot : properties_set_) properties_[slot] = Cell::missing();
  properties_set_.clear();
}

void Evaluator::set_properties(const Event& event) {
  clear_properties();
  for (const auto& [name, value] : event.properties) {
    auto it = program_.property_slots.find(name);
    if (it == program_.property_slots.end()) continue;
    properties_[it->second] = to_cell(value, value.as_string());
    properties_set_.push_back(it->second);
  }
}

void Evaluator::feed(const Consumer& c) {
  if (c.aggregate) {
    feed_aggregate(c.index);
  } else {
    feed_rule(c.index);
  }
}

// within selects, limit counts, once keeps the latest counted match (spec 4.2).
void Evaluator::feed_rule(std::uint32_t index) {
  const RuleCode& rule = program_.rules[index];
  double ts = frame_.event_time_ms;
  double age = as_of_ms_ - ts;
  if (!(age < rule.within_ms)) return;
  if (rule.condition != no_block && !holds(rule_quick_[index], rule.condition)) return;
  RuleState& state = rules_[index];
  ++state.matches;
  if (rule.limit_count > 0) {
    auto& times = counted_times_[index];
    while (state.window_start < times.size() &&
           !(times[state.window_start] > ts - rule.limit_window_ms)) {
      ++state.window_start;
    }
    if (times.size() - state.window_start >= rule.limit_count) return;
    times.push_back(ts);
  }
  ++state.counted;
  double points = rule.constant_points;
  if (!rule.points_constant) {
    Cell value = run(rule.points);
    points = value.kind == Cell::Kind::number ? value.number : 0;
  }
  points *= rule.sign;
  double weight = decay(rule.decay, age);
  if (trace_) {
    auto& counted = (*trace_)[index];
    if (rule.once) counted.clear();
    counted.push_back({event_index_, points, finite_or_zero(points * weight)});
  }
  if (rule.once) {
    state.decayed = points * weight;
    state.undecayed = points;
  } else {
    state.decayed += points * weight;
    state.undecayed += points;
  }
}

void Evaluator::feed_aggregate(std::uint32_t index) {
  const AggregateCode& agg = program_.aggregates[index];
  double ts = frame_.event_time_ms;
  if (!(as_of_ms_ - ts < agg.within_ms)) return;
  if (agg.where != no_block && !holds(aggregate_quick_[index], agg.where)) return;
  AggregateState& state = aggregate_states_[index];
  state.count += 1;
  if (agg.property >= 0) {
    const Cell& v = properties_[std::size_t(agg.property)];
    if (v.kind == Cell::Kind::number) state.sum += v.number;
  }
  state.last_ms = ts;
  state.seen = true;
}

double Evaluator::decay(const DecaySpec& d, double age_ms) const {
  double days = age_ms / ms_per_day;
  switch (d.kind) {
    case dsl::Decay::Kind::half_life:
      return std::exp2(-days / d.period_days);  // 0.5^x, cheaper than pow
    case dsl::Decay::Kind::linear:
      return std::max(0.0, 1 - days / d.period_days);
    case dsl::Decay::Kind::step:
      return std::pow(d.keep_per_step, std::floor(days / d.period_days));
    default:
      return 1;
  }
}

void Evaluator::compute() {
  for (std::size_t i = 0; i < program_.aggregates.size(); ++i) {
    const AggregateState& s = aggregate_states_[i];
    switch (program_.aggregates[i].kind) {
      case dsl::AggregateKind::count:
        aggregates_[i] = Cell::of_number(s.count);
        break;
      case dsl::AggregateKind::sum:
        aggregates_[i] = Cell::of_number(s.sum);
        break;
      case dsl::AggregateKind::days_since_last:
        aggregates_[i] =
            s.seen ? Cell::of_number((as_of_ms_ - s.last_ms) / ms_per_day) : Cell::missing();
        break;
    }
  }
  for (std::uint32_t index : program_.state_rules) {
    const RuleCode& rule = program_.rules[index];
    if (rule.condition != no_block && !run(rule.condition).is_true()) continue;
    RuleState& state = rules_[index];
    state.matches = state.counted = 1;
    double points = rule.constant_points * rule.sign;
    if (!rule.points_constant) {
      Cell value = run(rule.points);
      points = value.kind == Cell::Kind::number ? value.number * rule.sign : 0;
    }
    state.decayed = state.undecayed = points;
  }

  totals_.assign(program_.groups.size(), 0);
  for (std::size_t i = 0; i < program_.rules.size(); ++i) {
    const RuleCode& rule = program_.rules[i];
    RuleState& state = rules_[i];
    if (!std::isfinite(state.decayed) || !std::isfinite(state.undecayed)) {
      state.decayed = state.undecayed = 0;
    }
    totals_[rule.group] += clamp_cap(state.decayed, rule.cap);
  }
  for (std::size_t g = 0; g < program_.groups.size(); ++g) {
    const GroupCode& group = program_.groups[g];
    totals_[g] = finite_or_zero(totals_[g]);
    if (group.cap) totals_[g] = std::min(totals_[g], *group.cap);
    if (group.floor) totals_[g] = std::max(totals_[g], *group.floor);
    groups_[g] = totals_[g];  // what limit conditions read (spec 3.4)
  }

  // Limits: every condition reads the totals before any limit, so order does not matter.
  // Each target takes the lowest applying limit; that one (or several, if tied) is reported.
  const std::size_t score_target = program_.groups.size();
  binding_.assign(score_target + 1, nullptr);
  applies_.assign(program_.limits.size(), false);
  for (std::size_t i = 0; i < program_.limits.size(); ++i) {
    const LimitCode& limit = program_.limits[i];
    // `unless` applies when the condition is false or unknown; `when` only when it is true.
    bool holds = run(limit.condition).is_true();
    if (limit.unless == holds) continue;
    applies_[i] = true;
    auto& lowest = binding_[limit.target < 0 ? score_target : std::size_t(limit.target)];
    if (!lowest || limit.value < lowest->value) lowest = &limit;
  }
  limited_ = totals_;
  for (std::size_t g = 0; g < score_target; ++g) {
    if (binding_[g]) limited_[g] = std::min(limited_[g], binding_[g]->value);
  }
  double total = 0;
  for (double t : limited_) total += t;
  total = finite_or_zero(total);
  unlimited_total_ = total;
  if (binding_[score_target]) total = std::min(total, binding_[score_target]->value);
  if (program_.scale) total = std::clamp(total, program_.scale->first, program_.scale->second);
  total_ = text::round2(total);
  band_ = &band_for(program_.bands, total_);
}

double Evaluator::finish_quick() {
  compute();
  return total_;
}

const std::string& Evaluator::grade(std::size_t g) const {
  static const std::string none;
  const auto& grades = program_.groups[g].grades;
  return grades.empty() ? none : band_for(grades, text::round2(limited_[g]));
}

Score Evaluator::finish() {
  compute();
  Score score;
  score.rules.reserve(program_.rules.size());
  for (std::size_t i = 0; i < program_.rules.size(); ++i) {
    const RuleCode& rule = program_.rules[i];
    const RuleState& state = rules_[i];
    RuleContribution c;
    c.rule = rule.name;
    c.label = rule.label;
    c.group = program_.groups[rule.group].name;
    c.points = text::round2(clamp_cap(state.decayed, rule.cap));
    c.before_cap = text::round2(state.decayed);
    c.undecayed = text::round2(state.undecayed);
    c.matches = state.matches;
    c.counted = state.counted;
    score.rules.push_back(std::move(c));
  }
  const std::size_t score_target = program_.groups.size();
  for (std::size_t i = 0; i < program_.limits.size(); ++i) {
    const LimitCode& limit = program_.limits[i];
    if (!applies_[i]) continue;
    std::size_t target = limit.target < 0 ? score_target : std::size_t(limit.target);
    double before = target == score_target ? unlimited_total_ : totals_[target];
    if (limit.value == binding_[target]->value && limit.value < before) {
      score.limits_applied.push_back(limit.text);
    }
  }
  score.score = total_;
  score.band = *band_;
  for (const auto& b : program_.bands) {
    if (b.name == score.band) score.band_description = b.description;
  }
  for (std::size_t g = 0; g < program_.groups.size(); ++g) {
    GroupTotal gt;
    gt.group = program_.groups[g].name;
    gt.total = text::round2(limited_[g]);
    gt.before_limits = text::round2(totals_[g]);
    gt.grade = grade(g);
    score.groups.push_back(std::move(gt));
  }
  return score;
}

}  // namespace leadscore::engine
