// The replay timeline in one pass (see include/leadscore/timeline.hpp for the contract).
//
// At a step at time T the explanation of the events so far is, per `on` rule, a sum over
// the events it counts of points x decay(T - ts). Which events match a rule's condition does
// not depend on T (except for the cases the header lists), so matches are found once, when an
// event arrives. What T changes is handled when time moves:
//  - `within` drops the oldest matches: a moving start index;
//  - `limit K per D` counts greedily from the first match inside the window, so it only has
//    to be redone when that first match leaves;
//  - half-life decay multiplies every term by the same factor, so the running sum is
//    multiplied too; other decays are summed afresh over the terms that still weigh.
// A sum carried forward this way differs from the explanation's own left-to-right sum by a
// rounding error. Each rule keeps a bound on it; the step's figures are computed at both
// ends of the bounds, and if anything shown differs, the sums are recomputed exactly the way
// the evaluator does (same terms, same order, same formulas) for that step.
#include "leadscore/timeline.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <limits>
#include <queue>

#include "engine/evaluator.hpp"
#include "engine/model_impl.hpp"
#include "engine/text.hpp"

namespace leadscore {
namespace {

using engine::Cell;
using engine::no_block;

constexpr double ms_per_day = 86'400'000.0;
constexpr double eps = std::numeric_limits<double>::epsilon();

// As the evaluator reads public values: a blank string is missing (spec 5.1).
Cell to_cell(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::number:
      return Cell::of_number(v.as_number());
    case Value::Kind::boolean:
      return Cell::of_bool(v.as_boolean());
    case Value::Kind::timestamp:
      return Cell::of_timestamp(double(v.as_timestamp()));
    case Value::Kind::string:
      return text::is_blank(v.as_string()) ? Cell::missing() : Cell::of_string(v.as_string());
    default:
      return Cell::missing();
  }
}

// The evaluator's decay weight, term for term (the exact recomputation relies on it).
double weight(const engine::DecaySpec& d, double age_ms) {
  double days = age_ms / ms_per_day;
  switch (d.kind) {
    case dsl::Decay::Kind::half_life:
      return std::exp2(-days / d.period_days);
    case dsl::Decay::Kind::linear:
      return std::max(0.0, 1 - days / d.period_days);
    case dsl::Decay::Kind::step:
      return std::pow(d.keep_per_step, std::floor(days / d.period_days));
    default:
      return 1;
  }
}

double clamp_cap(double x, const std::optional<double>& cap) {
  return cap ? std::clamp(x, -*cap, *cap) : x;
}

const std::string& band_for(const std::vector<engine::BandCode>& bands, double value) {
  static const std::string none = "none";
  for (const auto& b : bands) {
    if (!b.threshold || value >= *b.threshold) return b.name;
  }
  return none;
}

// Whether the straight-line block at `entry` contains `op`.
bool block_uses(const engine::Chunk& chunk, std::uint32_t entry, engine::OpCode op) {
  if (entry == no_block) return false;
  for (std::uint32_t at = entry; at < chunk.code.size(); ++at) {
    engine::OpCode here = engine::opcode_of(chunk.code[at]);
    if (here == op) return true;
    if (here == engine::OpCode::ret) return false;
  }
  return false;
}

struct Term {
  double ts = 0;
  double points = 0;
  std::size_t event = 0;  // index into the caller's events
  std::size_t match = 0;  // index into the rule's matches (rate-limited rules with within)
};

// One `on` rule's running state.
struct OnRule {
  std::vector<Term> matches;  // condition held, in time order (rate-limited rules with within)
  std::size_t window = 0;     // first match inside `within` (rate-limited rules with within)
  std::size_t greedy_next = 0;
  std::deque<Term> counted;    // what the evaluator would count, oldest first
  std::size_t begin = 0;       // first counted term still inside the window / still weighing
  std::size_t limit_from = 0;  // first counted term inside the rate limit's window
  // The running decayed sum over counted[begin, summed), as of time `at`.
  double value = 0;
  double at = 0;
  std::size_t summed = 0;
  bool exact = true;       // value is bit for bit the evaluator's (same terms, same order)
  bool integral = true;    // no decay and whole points: sums are exact in any order
  double my_error = 0;     // bound on |value - the true sum|
  double abs_sum = 0;      // sum of |terms| over the live terms (an upper bound)
  std::uint64_t ops = 0;   // carried-forward operations since the last exact sum
  double live_points = 0;  // linear decay: the undecayed points of the live terms
  double live_error = 0;   // ... and a bound on their rounding error
  // `decay P% every D`: each live term's weight in `value`, and when to look at it again.
  std::vector<double> weights;
  std::vector<bool> dropped;  // weighs under 2^-60: left out, its size added to my_error
  std::priority_queue<std::pair<double, std::size_t>, std::vector<std::pair<double, std::size_t>>,
                      std::greater<>>
      checks;
};

struct AggregateMatch {
  double ts = 0;
  double value = 0;  // the summed property, when a number
  bool has_value = false;
};

struct OnAggregate {
  std::vector<AggregateMatch> matches;
  std::size_t window = 0;
  double count = 0;
  double sum = 0;  // over matches[window, summed), as the evaluator would add them up
  std::size_t summed = 0;
  double abs_sum = 0;
  bool integral = true;  // every value a whole number: removing one from the sum is exact
};

// What a step shows, for comparing the two ends of the error bounds.
struct Shown {
  std::vector<double> rule_points;
  std::vector<double> totals;  // group totals before limits (unrounded; limits read them)
  std::vector<bool> applies;
  double score = 0;
  const std::string* band = nullptr;
  bool operator==(const Shown& o) const {
    return rule_points == o.rule_points && applies == o.applies && score == o.score &&
           band == o.band;
  }
};

}  // namespace

struct Timeline::State {
  const engine::Program& program;
  const Lead& lead;
  std::span<const Event> events;
  Timestamp end;
  std::vector<std::size_t> order;  // event indexes in time order, equal times kept
  TimelineStats stats;

  // Inputs of the VM, as the evaluator lays them out.
  engine::Frame frame;
  std::vector<Cell> attributes, properties, aggregates;
  std::vector<double> groups;
  std::vector<std::string> scratch;
  std::vector<Cell> stack;
  engine::RegexMemo regex_memo;
  std::vector<std::optional<engine::QuickCondition>> rule_quick, aggregate_quick;

  bool reads_now = false;         // an event-time block calls days_since: matches move with T
  bool reads_attributes = false;  // an event-time block reads lead attributes
  const AttributeVersion* version = nullptr;
  bool version_loaded = false;

  std::vector<OnRule> rules;
  std::vector<OnAggregate> aggs;
  std::vector<double> state_points;  // `when` rules' points at the current step
  std::size_t fed = 0;               // events of `order` fed so far

  // The step schedule (the old replay's order of rows).
  std::vector<Timestamp> version_starts;
  std::size_t next_version = 0;
  std::size_t next_event = 0;
  std::string band;  // the previous step's band
  bool started = false;

  State(const Model& model, const Lead& l, std::span<const Event> e, Timestamp end_time)
      : program(*model.impl().program),
        lead(l),
        events(e),
        end(end_time),
        regex_memo(program.chunk.regexes.size()) {
    order.resize(events.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return events[a].ts < events[b].ts; });
    attributes.resize(program.attribute_names.size());
    properties.resize(program.property_names.size());
    aggregates.resize(program.aggregates.size());
    groups.resize(program.groups.size());
    scratch.resize(program.chunk.scratch_strings + 1);
    stack.resize(program.chunk.max_stack + 1);
    frame.attributes = attributes.data();
    frame.properties = properties.data();
    frame.aggregates = aggregates.data();
    frame.groups = groups.data();
    frame.scratch = scratch.data();
    frame.stack = stack.data();
    frame.regex_memo = &regex_memo;
    rules.resize(program.rules.size());
    aggs.resize(program.aggregates.size());
    state_points.assign(program.rules.size(), 0);
    const auto& chunk = program.chunk;
    auto note_block = [&](std::uint32_t block) {
      reads_now = reads_now || block_uses(chunk, block, engine::OpCode::call_days_since);
      reads_attributes =
          reads_attributes || block_uses(chunk, block, engine::OpCode::load_attribute);
    };
    for (const auto& rule : program.rules) {
      rule_quick.push_back(rule.condition == no_block
                               ? std::nullopt
                               : engine::QuickCondition::recognise(chunk, rule.condition));
      if (rule.on_event) {
        note_block(rule.condition);
        note_block(rule.points);
      }
    }
    for (const auto& agg : program.aggregates) {
      aggregate_quick.push_back(agg.where == no_block
                                    ? std::nullopt
                                    : engine::QuickCondition::recognise(chunk, agg.where));
      note_block(agg.where);
    }
    for (const auto& v : lead.versions) {
      if (v.valid_from && *v.valid_from <= end) version_starts.push_back(*v.valid_from);
    }
    std::sort(version_starts.begin(), version_starts.end());
  }

  Cell run(std::uint32_t block) { return engine::run_block(program.chunk, block, frame); }
  bool holds(const std::optional<engine::QuickCondition>& quick, std::uint32_t block) {
    if (quick) {
      if (std::optional<bool> answer = quick->test(properties.data())) return *answer;
    }
    return run(block).is_true();
  }

  // ---- events in -------------------------------------------------------------------------

  void set_properties(const Event& event) {
    std::fill(properties.begin(), properties.end(), Cell::missing());
    for (const auto& [name, value] : event.properties) {
      auto it = program.property_slots.find(name);
      if (it != program.property_slots.end()) properties[it->second] = to_cell(value);
    }
  }

  void feed(std::size_t index) {
    const Event& event = events[index];
    set_properties(event);
    frame.event_time_ms = double(event.ts);
    auto type = program.event_ids.find(event.type);
    if (type != program.event_ids.end()) {
      for (const auto& c : program.consumers_by_event[type->second]) consume(c, index);
    }
    for (const auto& c : program.any_event_consumers) consume(c, index);
  }

  void consume(const engine::Consumer& c, std::size_t index) {
    ++stats.events_fed;
    const double ts = frame.event_time_ms;
    if (c.aggregate) {
      const auto& agg = program.aggregates[c.index];
      if (agg.where != no_block && !holds(aggregate_quick[c.index], agg.where)) return;
      AggregateMatch m{ts, 0, false};
      if (agg.property >= 0) {
        const Cell& v = properties[std::size_t(agg.property)];
        if (v.kind == Cell::Kind::number) m = {ts, v.number, true};
      }
      aggs[c.index].matches.push_back(m);
      return;
    }
    const auto& rule = program.rules[c.index];
    if (rule.condition != no_block && !holds(rule_quick[c.index], rule.condition)) return;
    double points = rule.constant_points;
    if (!rule.points_constant) {
      Cell value = run(rule.points);
      points = value.kind == Cell::Kind::number ? value.number : 0;
    }
    Term term{ts, points * rule.sign, index};
    OnRule& state = rules[c.index];
    if (rule.limit_count > 0 && rule.within_ms != engine::no_window) {
      term.match = state.matches.size();
      state.matches.push_back(term);  // counted when the step is computed
    } else {
      add_counted(c.index, term);
    }
  }

  // The evaluator's rate limit: a match counts when fewer than K counted ones are inside
  // (ts - D, ts]. Without a limit every match counts.
  void add_counted(std::size_t r, const Term& term) {
    const auto& rule = program.rules[r];
    OnRule& state = rules[r];
    if (rule.limit_count > 0) {
      while (state.limit_from < state.counted.size() &&
             !(state.counted[state.limit_from].ts > term.ts - rule.limit_window_ms)) {
        ++state.limit_from;
      }
      if (state.counted.size() - state.limit_from >= rule.limit_count) return;
    }
    state.counted.push_back(term);
  }

  void reset_matches() {
    for (auto& r : rules) r = OnRule{};
    for (auto& a : aggs) a = OnAggregate{};
  }

  void load_attributes(Timestamp t) {
    const AttributeVersion* now = version_at(lead, t);
    if (version_loaded && now == version) return;
    version = now;
    version_loaded = true;
    std::fill(attributes.begin(), attributes.end(), Cell::missing());
    if (version) {
      for (const auto& [name, value] : version->values) {
        auto it = program.attribute_slots.find(name);
        if (it != program.attribute_slots.end()) attributes[it->second] = to_cell(value);
      }
    }
    if (reads_attributes && fed > 0) refeed();
  }

  // Matches that depend on the attributes or on "now" are found again from the start.
  void refeed() {
    reset_matches();
    for (std::size_t k = 0; k < fed; ++k) feed(order[k]);
  }

  // ---- rule sums at time T ---------------------------------------------------------------

  // The evaluator's sum for rule r at T: every counted term, oldest first.
  void sum_exactly(std::size_t r, double T) {
    const auto& rule = program.rules[r];
    OnRule& s = rules[r];
    const auto& decay = rule.decay;
    double value = 0;
    for (std::size_t k = s.begin; k < s.counted.size(); ++k) {
      value += s.counted[k].points * weight(decay, T - s.counted[k].ts);
    }
    stats.terms_recomputed += s.counted.size() - s.begin;
    s.value = value;
    s.at = T;
    s.summed = s.counted.size();
    s.exact = true;
    s.integral = decay.kind == dsl::Decay::Kind::none;
    s.my_error = s.abs_sum = s.live_points = s.live_error = 0;
    s.ops = 0;
    s.checks = {};
    if (decay.kind == dsl::Decay::Kind::step) {
      s.weights.assign(s.counted.size(), 0);
      s.dropped.assign(s.counted.size(), false);
    }
    for (std::size_t k = s.begin; k < s.counted.size(); ++k) note_added(r, k, T);
  }

  // Book-keeping of a term now in `value`.
  void note_added(std::size_t r, std::size_t k, double T) {
    const auto& decay = program.rules[r].decay;
    OnRule& s = rules[r];
    const Term& t = s.counted[k];
    double term = t.points * weight(decay, T - t.ts);
    s.abs_sum += std::abs(decay.kind == dsl::Decay::Kind::linear ? t.points : term);
    s.integral = s.integral && term == std::trunc(term) && s.abs_sum < 0x1p52;
    if (decay.kind == dsl::Decay::Kind::linear) {
      s.live_points += t.points;
      s.live_error += eps * std::abs(s.live_points);
    }
    if (decay.kind == dsl::Decay::Kind::step) {
      if (s.weights.size() < s.counted.size()) {
        s.weights.resize(s.counted.size(), 0);
        s.dropped.resize(s.counted.size(), false);
      }
      s.weights[k] = weight(decay, T - t.ts);
      schedule_check(r, k, T);
    }
  }

  // When the stepped weight of term k next changes: one step period after its current step
  // began, a little early so that the evaluator's rounding of the division cannot be missed.
  void schedule_check(std::size_t r, std::size_t k, double T) {
    const auto& decay = program.rules[r].decay;
    OnRule& s = rules[r];
    const double age_days = (T - s.counted[k].ts) / ms_per_day;
    const double steps = std::floor(age_days / decay.period_days);
    double next = s.counted[k].ts + (steps + 1) * decay.period_days * ms_per_day - 2;
    s.checks.push({std::max(next, T + 1), k});
  }

  void carry_error(OnRule& s, double changed_by) {
    s.my_error += eps * (std::abs(s.value) + 2 * std::abs(changed_by));
    s.exact = false;
    ++s.ops;
  }

  // A rate limit counts greedily from the first match inside `within`. When that first
  // match changes, the count is redone from the new one, but only until it falls into step
  // with the old count: from a match where both have counted the same events inside the
  // limit's window, every later decision is the same. Returns the new counts up to there and
  // how many old counted terms they replace.
  std::pair<std::vector<Term>, std::size_t> recount(std::size_t r, std::size_t from) {
    const auto& rule = program.rules[r];
    OnRule& s = rules[r];
    std::vector<Term> fresh;
    std::size_t fresh_from = 0;                        // first fresh term inside the limit window
    std::size_t old_at = s.begin, old_from = s.begin;  // old terms up to / inside the window
    for (std::size_t m = from; m < s.greedy_next; ++m) {
      ++stats.terms_recomputed;
      const Term& match = s.matches[m];
      const double edge = match.ts - rule.limit_window_ms;
      while (fresh_from < fresh.size() && !(fresh[fresh_from].ts > edge)) ++fresh_from;
      if (fresh.size() - fresh_from < rule.limit_count) fresh.push_back(match);
      while (old_at < s.counted.size() && s.counted[old_at].match <= m) ++old_at;
      while (old_from < old_at && !(s.counted[old_from].ts > edge)) ++old_from;
      while (fresh_from < fresh.size() && !(fresh[fresh_from].ts > edge)) ++fresh_from;
      if (old_at - old_from != fresh.size() - fresh_from) continue;
      bool same = true;
      for (std::size_t k = 0; same && k < old_at - old_from; ++k) {
        same = s.counted[old_from + k].match == fresh[fresh_from + k].match;
      }
      if (same) return {std::move(fresh), old_at - s.begin};
    }
    return {std::move(fresh), s.counted.size() - s.begin};
  }

  void update_rule(std::size_t r, double T) {
    const auto& rule = program.rules[r];
    OnRule& s = rules[r];
    const auto kind = rule.decay.kind;
    const bool windowed = rule.within_ms != engine::no_window;
    bool rebuilt = false;
    std::optional<std::pair<std::vector<Term>, std::size_t>> spliced;
    if (rule.limit_count > 0 && windowed) {
      std::size_t window = s.window;
      while (window < s.matches.size() && !(T - s.matches[window].ts < rule.within_ms)) ++window;
      if (window != s.window) {
        s.window = window;
        if (kind == dsl::Decay::Kind::step || rule.once || s.summed != s.counted.size()) {
          // Stepped weights are kept per position: count again from scratch.
          s.counted.clear();
          s.begin = s.limit_from = 0;
          s.greedy_next = window;
          rebuilt = true;
        } else {
          spliced = recount(r, window);
        }
      }
    }
    // Terms leaving: out of the window, or (linear) weighing nothing any more.
    auto leaving = [&](const Term& t) {
      return (windowed && !(T - t.ts < rule.within_ms)) ||
             (kind == dsl::Decay::Kind::linear && weight(rule.decay, T - t.ts) == 0);
    };
    if (rule.once || rebuilt || s.summed == s.begin) {
      if (spliced) splice(r, std::move(*spliced));
      extend_count(r);
      while (s.begin < s.counted.size() && leaving(s.counted[s.begin])) ++s.begin;
      if (rule.once) {
        // Only the latest counted term: one product, exactly the evaluator's.
        s.value = s.begin < s.counted.size()
                      ? s.counted.back().points * weight(rule.decay, T - s.counted.back().ts)
                      : 0;
        s.exact = true;
        return;
      }
      sum_exactly(r, T);  // nothing carried: start afresh at T
      return;
    }
    const double dt = T - s.at;
    s.at = T;
    // Time moves: every live term's weight changes the same way (half-life: a factor; linear:
    // the same amount per point), or only some of them change (stepped decay).
    if (dt != 0 && kind == dsl::Decay::Kind::half_life) {
      double f = std::exp2(-(dt / ms_per_day) / rule.decay.period_days);
      s.value *= f;
      s.my_error = s.my_error * f + 2 * eps * std::abs(s.value);
      s.abs_sum *= f;
      s.exact = s.integral = false;
      ++s.ops;
    } else if (dt != 0 && kind == dsl::Decay::Kind::linear) {
      double per_point = (dt / ms_per_day) / rule.decay.period_days;
      s.value -= per_point * s.live_points;
      s.my_error += per_point * (s.live_error + 2 * eps * std::abs(s.live_points)) +
                    2 * eps * std::abs(s.value);
      s.exact = s.integral = false;
      ++s.ops;
    }
    if (spliced) splice(r, std::move(*spliced));
    extend_count(r);
    for (; s.begin < s.summed && leaving(s.counted[s.begin]); ++s.begin) take_out(r, s.begin, T);
    if (kind == dsl::Decay::Kind::step) step_weights(r, T);
    for (; s.summed < s.counted.size(); ++s.summed) {
      const Term& t = s.counted[s.summed];
      s.value += t.points * weight(rule.decay, T - t.ts);
      note_added(r, s.summed, T);
      if (!s.exact && !s.integral) s.my_error += eps * std::abs(s.value);
    }
    // Carried-forward errors grow with every operation: start again from an exact sum once
    // there have been more of them than live terms (which keeps the total work linear).
    if (!s.exact && !s.integral && s.ops > 2 * (s.counted.size() - s.begin) + 64) {
      sum_exactly(r, T);
    }
  }

  // Takes counted term k out of the carried sum, at what it was carried at: for linear decay
  // the unclamped line (a term may have run past zero since it was last looked at).
  void take_out(std::size_t r, std::size_t k, double T) {
    const auto& rule = program.rules[r];
    const auto kind = rule.decay.kind;
    OnRule& s = rules[r];
    const Term& old = s.counted[k];
    double carried = old.points * weight(rule.decay, T - old.ts);
    if (kind == dsl::Decay::Kind::linear) {
      carried = old.points * (1 - ((T - old.ts) / ms_per_day) / rule.decay.period_days);
      s.live_points -= old.points;
      s.live_error += eps * std::abs(s.live_points);
      s.abs_sum = std::max(0.0, s.abs_sum - std::abs(old.points));
    } else if (kind == dsl::Decay::Kind::step) {
      if (s.dropped[k]) return;
      carried = old.points * s.weights[k];
      s.abs_sum = std::max(0.0, s.abs_sum - std::abs(carried));
    } else {
      s.abs_sum = std::max(0.0, s.abs_sum - std::abs(carried));
    }
    s.value -= carried;
    if (!s.integral) carry_error(s, carried * double(s.ops + 4));
  }

  // Puts the recount in place of the old counted terms it replaces (see recount).
  void splice(std::size_t r, std::pair<std::vector<Term>, std::size_t> recounted) {
    OnRule& s = rules[r];
    const double T = s.at;
    // Terms before `begin` already left the sum; the replaced ones leave it now.
    for (std::size_t k = s.begin; k < s.begin + recounted.second; ++k) take_out(r, k, T);
    s.counted.erase(s.counted.begin(),
                    s.counted.begin() + std::ptrdiff_t(s.begin + recounted.second));
    s.summed = s.counted.size();
    s.begin = 0;
    for (auto it = recounted.first.rbegin(); it != recounted.first.rend(); ++it) {
      s.counted.push_front(*it);
      const auto& decay = program.rules[r].decay;
      // Linear terms are carried on their unclamped line, as take_out expects.
      s.value += decay.kind == dsl::Decay::Kind::linear
                     ? it->points * (1 - ((T - it->ts) / ms_per_day) / decay.period_days)
                     : it->points * weight(decay, T - it->ts);
      ++s.summed;
      note_added(r, 0, T);
      if (!s.integral) carry_error(s, it->points);
    }
    // The limit window of the next match starts at the last K counted at most.
    s.limit_from = s.counted.size() > program.rules[r].limit_count
                       ? s.counted.size() - program.rules[r].limit_count
                       : 0;
  }

  // Rate-limited rules with within: count the matches that arrived since the last step.
  void extend_count(std::size_t r) {
    const auto& rule = program.rules[r];
    OnRule& s = rules[r];
    if (!(rule.limit_count > 0 && rule.within_ms != engine::no_window)) return;
    for (; s.greedy_next < s.matches.size(); ++s.greedy_next) {
      Term t = s.matches[s.greedy_next];
      t.match = s.greedy_next;
      add_counted(r, t);
    }
  }

  // Stepped decay: the terms whose step changed since the last look, and only those.
  void step_weights(std::size_t r, double T) {
    const auto& rule = program.rules[r];
    OnRule& s = rules[r];
    while (!s.checks.empty() && s.checks.top().first <= T) {
      std::size_t k = s.checks.top().second;
      s.checks.pop();
      if (k < s.begin || s.dropped[k]) continue;
      ++stats.terms_recomputed;
      const Term& t = s.counted[k];
      double w = weight(rule.decay, T - t.ts);
      if (w != s.weights[k]) {
        double before = t.points * s.weights[k], after = t.points * w;
        s.value += after - before;
        s.abs_sum = std::max(0.0, s.abs_sum - std::abs(before)) + std::abs(after);
        carry_error(s, before);
        s.weights[k] = w;
      }
      if (w < 0x1p-60) {
        // Negligible from now on (the weight only shrinks): out of the sum, into the bound.
        s.value -= t.points * w;
        s.my_error += std::abs(t.points * w) + eps * std::abs(s.value);
        s.abs_sum = std::max(0.0, s.abs_sum - std::abs(t.points * w));
        s.dropped[k] = true;
        continue;
      }
      schedule_check(r, k, T);
    }
  }

  // How far rule r's carried value may be from the evaluator's: our own rounding, plus the
  // evaluator's (a left-to-right sum of `live` terms errs by at most about live x eps x sum).
  double error_bound(std::size_t r) const {
    const OnRule& s = rules[r];
    if (s.exact || s.integral) return 0;
    double live = double(s.counted.size() - s.begin);
    return s.my_error + eps * (live + 64) * s.abs_sum;
  }

  void update_aggregate(std::size_t a, double T) {
    const auto& agg = program.aggregates[a];
    OnAggregate& s = aggs[a];
    std::size_t window = s.window;
    while (window < s.matches.size() && !(T - s.matches[window].ts < agg.within_ms)) ++window;
    const std::size_t left = s.window;
    s.window = window;
    s.count = double(s.matches.size() - window);
    if (agg.kind != dsl::AggregateKind::sum) return;
    // The evaluator sums the window left to right. Without a window that is a running sum;
    // with one, whole numbers sum exactly in any order, others are summed afresh.
    for (; s.summed < s.matches.size(); ++s.summed) {
      const AggregateMatch& m = s.matches[s.summed];
      if (!m.has_value) continue;
      s.abs_sum += std::abs(m.value);
      s.integral = s.integral && m.value == std::trunc(m.value) && s.abs_sum < 0x1p52;
      s.sum += m.value;
    }
    if (window == left) return;
    if (s.integral) {
      for (std::size_t k = left; k < window; ++k) {
        if (s.matches[k].has_value) s.sum -= s.matches[k].value;
      }
      return;
    }
    double sum = 0;
    for (std::size_t k = window; k < s.matches.size(); ++k) {
      if (s.matches[k].has_value) sum += s.matches[k].value;
    }
    stats.terms_recomputed += s.matches.size() - window;
    s.sum = sum;
  }

  // ---- the evaluator's compute() over given rule values ------------------------------------

  Shown compute(const std::vector<double>& on_values, double T) {
    Shown out;
    std::vector<double> decayed = on_values;
    for (std::uint32_t index : program.state_rules) decayed[index] = state_points[index];
    std::vector<double> totals(program.groups.size(), 0);
    out.rule_points.resize(program.rules.size());
    for (std::size_t i = 0; i < program.rules.size(); ++i) {
      const auto& rule = program.rules[i];
      totals[rule.group] += clamp_cap(decayed[i], rule.cap);
      out.rule_points[i] = text::round2(clamp_cap(decayed[i], rule.cap));
    }
    for (std::size_t g = 0; g < program.groups.size(); ++g) {
      const auto& group = program.groups[g];
      if (group.cap) totals[g] = std::min(totals[g], *group.cap);
      if (group.floor) totals[g] = std::max(totals[g], *group.floor);
      groups[g] = totals[g];
    }
    frame.as_of_ms = T;
    const std::size_t score_target = program.groups.size();
    std::vector<const engine::LimitCode*> binding(score_target + 1, nullptr);
    out.applies.assign(program.limits.size(), false);
    for (std::size_t i = 0; i < program.limits.size(); ++i) {
      const auto& limit = program.limits[i];
      bool holds_now = run(limit.condition).is_true();
      if (limit.unless == holds_now) continue;
      out.applies[i] = true;
      auto& lowest = binding[limit.target < 0 ? score_target : std::size_t(limit.target)];
      if (!lowest || limit.value < lowest->value) lowest = &limit;
    }
    std::vector<double> limited = totals;
    for (std::size_t g = 0; g < score_target; ++g) {
      if (binding[g]) limited[g] = std::min(limited[g], binding[g]->value);
    }
    double total = 0;
    for (double t : limited) total += t;
    if (binding[score_target]) total = std::min(total, binding[score_target]->value);
    if (program.scale) total = std::clamp(total, program.scale->first, program.scale->second);
    out.score = text::round2(total);
    out.band = &band_for(program.bands, out.score);
    out.totals = std::move(totals);
    return out;
  }

  void compute_state_rules(double T) {
    frame.as_of_ms = T;
    for (std::size_t i = 0; i < program.aggregates.size(); ++i) {
      const OnAggregate& s = aggs[i];
      switch (program.aggregates[i].kind) {
        case dsl::AggregateKind::count:
          aggregates[i] = Cell::of_number(s.count);
          break;
        case dsl::AggregateKind::sum:
          aggregates[i] = Cell::of_number(s.sum);
          break;
        case dsl::AggregateKind::days_since_last:
          aggregates[i] = s.count > 0 ? Cell::of_number((T - s.matches.back().ts) / ms_per_day)
                                      : Cell::missing();
          break;
      }
    }
    for (std::uint32_t index : program.state_rules) {
      const auto& rule = program.rules[index];
      state_points[index] = 0;
      if (rule.condition != no_block && !run(rule.condition).is_true()) continue;
      double points = rule.constant_points * rule.sign;
      if (!rule.points_constant) {
        Cell value = run(rule.points);
        points = value.kind == Cell::Kind::number ? value.number * rule.sign : 0;
      }
      state_points[index] = points;
    }
  }

  // Whether a program constant lies inside a group total's uncertainty: a limit such as
  // `when profile = 15` could then hold at a point the two ends miss.
  bool constant_inside(const Shown& low, const Shown& high) const {
    if (program.limits.empty()) return false;
    for (std::size_t g = 0; g < low.totals.size(); ++g) {
      if (low.totals[g] == high.totals[g]) continue;
      for (double c : program.chunk.numbers) {
        if (c >= low.totals[g] && c <= high.totals[g]) return true;
      }
    }
    return false;
  }

  Shown evaluate_at(double T) {
    frame.as_of_ms = T;
    if (reads_now) refeed();
    for (std::size_t a = 0; a < aggs.size(); ++a) update_aggregate(a, T);
    compute_state_rules(T);
    std::vector<double> nominal(rules.size(), 0), low, high;
    bool uncertain = false;
    for (std::size_t r = 0; r < rules.size(); ++r) {
      if (!program.rules[r].on_event) continue;
      update_rule(r, T);
      nominal[r] = rules[r].value;
      uncertain = uncertain || error_bound(r) > 0;
    }
    Shown shown = compute(nominal, T);
    if (!uncertain) return shown;
    low = high = nominal;
    for (std::size_t r = 0; r < rules.size(); ++r) {
      if (!program.rules[r].on_event) continue;
      double e = error_bound(r);
      low[r] -= e;
      high[r] += e;
    }
    Shown lo = compute(low, T), hi = compute(high, T);
    if (lo == shown && hi == shown && !constant_inside(lo, hi)) return compute(nominal, T);
    // Too close to a boundary to trust the carried sums: the evaluator's own sums.
    ++stats.exact_steps;
    for (std::size_t r = 0; r < rules.size(); ++r) {
      if (!program.rules[r].on_event || error_bound(r) == 0) continue;
      sum_exactly(r, T);
      stats.exact_step_events += rules[r].counted.size() - rules[r].begin;
      nominal[r] = rules[r].value;
    }
    return compute(nominal, T);
  }

  // ---- steps -----------------------------------------------------------------------------

  TimelineStep make_step(TimelineStep::Kind kind, Timestamp t, const Shown& shown) {
    TimelineStep step;
    step.kind = kind;
    step.at = t;
    step.score = shown.score;
    step.band = *shown.band;
    step.band_changed = step.band != band;
    step.previous_band = band;
    band = step.band;
    step.rule_points = shown.rule_points;
    ++stats.steps;
    return step;
  }

  TimelineStep profile_step(Timestamp t, TimelineStep::Profile profile) {
    frame.as_of_ms = double(t);
    load_attributes(t);
    Shown shown = evaluate_at(double(t));
    TimelineStep step = make_step(TimelineStep::Kind::profile, t, shown);
    step.profile = profile;
    for (std::size_t k = 0; k < program.rules.size(); ++k) {
      if (shown.rule_points[k] == 0) continue;
      // Event rules show at their events; a rule with points but nothing counted is a fact.
      if (program.rules[k].on_event && rules[k].begin < rules[k].counted.size()) continue;
      step.fired.push_back({program.rules[k].name, shown.rule_points[k]});
    }
    return step;
  }

  TimelineStep event_step(std::size_t k) {
    const std::size_t index = order[k];
    const Timestamp t = events[index].ts;
    frame.as_of_ms = double(t);
    load_attributes(t);
    feed(index);
    fed = k + 1;
    Shown shown = evaluate_at(double(t));
    TimelineStep step = make_step(TimelineStep::Kind::event, t, shown);
    step.event = index;
    for (std::size_t r = 0; r < program.rules.size(); ++r) {
      const OnRule& s = rules[r];
      if (!program.rules[r].on_event || s.begin >= s.counted.size()) continue;
      if (s.counted.back().event == index) {
        step.fired.push_back({program.rules[r].name, s.counted.back().points});
      }
    }
    return step;
  }

  std::optional<TimelineStep> next() {
    if (!started) {
      started = true;
      if (version_starts.empty()) {
        Timestamp t = order.empty() ? end : events[order.front()].ts;
        return profile_step(t, TimelineStep::Profile::always);
      }
    }
    const bool events_left = next_event < order.size() && events[order[next_event]].ts <= end;
    const Timestamp until = events_left ? events[order[next_event]].ts : end;
    if (next_version < version_starts.size() && version_starts[next_version] <= until) {
      Timestamp t = version_starts[next_version];
      auto profile =
          next_version == 0 ? TimelineStep::Profile::first : TimelineStep::Profile::updated;
      ++next_version;
      return profile_step(t, profile);
    }
    if (events_left) return event_step(next_event++);
    return std::nullopt;
  }
};

Timeline::Timeline(const Model& model, const Lead& lead, std::span<const Event> events,
                   Timestamp end)
    : state_(std::make_unique<State>(model, lead, events, end)) {}
Timeline::~Timeline() = default;
Timeline::Timeline(Timeline&&) noexcept = default;
Timeline& Timeline::operator=(Timeline&&) noexcept = default;

std::optional<TimelineStep> Timeline::next() {
  return state_->next();
}
const TimelineStats& Timeline::stats() const {
  return state_->stats;
}

}  // namespace leadscore
