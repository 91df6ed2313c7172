// Per-lead evaluation (spec 4): streams a lead's events through the rules they can match,
// keeping compact per-rule state, then applies caps, floors, limits, scale, bands and grades.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/program.hpp"
#include "engine/quick_condition.hpp"
#include "engine/vm.hpp"
#include "leadscore/leadscore.hpp"

namespace leadscore::engine {

// What an `on` rule has seen of the current lead so far.
struct RuleState {
  std::uint32_t matches = 0;
  std::uint32_t counted = 0;
  double decayed = 0;    // sum of points x decay over counted matches (or the latest, once)
  double undecayed = 0;  // the same without decay
  std::uint32_t window_start = 0;  // first still-relevant entry of the counted-times log
};

struct AggregateState {
  double count = 0;
  double sum = 0;
  double last_ms = 0;
  bool seen = false;
};

// One counted match, for explanations: which event, its points and its points after decay.
struct CountedMatch {
  std::size_t event = 0;
  double points = 0;
  double decayed = 0;
};

class Evaluator {
 public:
  explicit Evaluator(const Program& program);

  void begin(const AttributeVersion* attributes, Timestamp as_of);
  Scorer::Added add(const Event& event);
  Score finish();

  // The store's fast path: names already resolved to slots, values already cells (whose
  // strings the caller keeps alive: attributes until finish, properties until add returns).
  void begin_resolved(Timestamp as_of);
  void set_attribute(std::uint32_t slot, Cell value) { attributes_[slot] = value; }
  void set_property(std::uint32_t slot, Cell value) {
    properties_[slot] = value;
    properties_set_.push_back(slot);
  }
  void clear_properties();
  // `type` is the program's event index, or -1 for a type no rule names.
  Scorer::Added add_resolved(std::int32_t type, Timestamp ts);
  // Computes the score without building a Score: what a bulk run stores.
  double finish_quick();
  const std::string& band() const { return *band_; }
  // The grade of group `g`, or "" when it has none (valid after finish_quick).
  const std::string& grade(std::size_t g) const;

  // Records, per rule, the matches that counted (`once` keeps only the last). `event` numbers
  // the events in the order they were added. Pass nullptr to stop.
  void trace(std::vector<std::vector<CountedMatch>>* counted) { trace_ = counted; }

 private:
  void compute();
  Scorer::Added accept_time(double ts);
  void feed_type(std::int32_t type);
  void feed(const Consumer& c);
  void feed_rule(std::uint32_t index);
  void feed_aggregate(std::uint32_t index);
  void set_properties(const Event& event);
  double decay(const DecaySpec& d, double age_ms) const;
  Cell run(std::uint32_t block) { return run_block(program_.chunk, block, frame_); }
  // Whether an event condition holds: the quick form when it has one, else the VM.
  bool holds(const std::optional<QuickCondition>& quick, std::uint32_t block) {
    if (quick) {
      if (std::optional<bool> answer = quick->test(properties_.data())) return *answer;
    }
    return run(block).is_true();
  }

  const Program& program_;
  Frame frame_;
  double as_of_ms_ = 0;
  double last_event_ms_ = 0;
  bool any_event_ = false;

  std::vector<std::string> attribute_text_;  // copies, so cells can point at them
  std::vector<Cell> attributes_;
  std::vector<Cell> properties_;
  std::vector<std::uint32_t> properties_set_;
  std::vector<Cell> aggregates_;
  std::vector<double> groups_;
  std::vector<std::string> scratch_;
  std::vector<Cell> stack_;
  std::vector<RuleState> rules_;
  std::vector<AggregateState> aggregate_states_;
  std::vector<std::vector<double>> counted_times_;  // per rate-limited rule

  // Results of compute(), reused from lead to lead.
  std::vector<double> totals_, limited_;
  std::vector<const LimitCode*> binding_;
  std::vector<bool> applies_;
  double unlimited_total_ = 0, total_ = 0;
  const std::string* band_ = nullptr;

  RegexMemo regex_memo_;
  std::vector<std::optional<QuickCondition>> rule_quick_, aggregate_quick_;
  std::vector<std::vector<CountedMatch>>* trace_ = nullptr;
  std::size_t event_index_ = 0;
};

}  // namespace leadscore::engine
