// What `leadscore calibrate` and `leadscore diff` compute: the data behind the terminal
// tables, the --json output and the --html report. Built by build_report() (report.cpp) from
// the backtest rows (backtest.hpp); the three outputs only format it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/calibration/logistic.hpp"
#include "engine/calibration/metrics.hpp"

namespace leadscore::calibration {

// How leads were scored against their outcomes.
struct BacktestMode {
  enum class Kind : std::uint8_t { as_of, before_outcome } kind = Kind::before_outcome;
  std::int64_t as_of = 0;    // ms; as_of mode only
  std::int64_t horizon = 0;  // ms; as_of mode only: converted when won in (as_of, as_of + horizon]
};

// One lead as the backtest scored it.
struct BacktestRow {
  std::string lead_id;
  std::int64_t scored_at = 0;  // the as-of time used for this lead (ms)
  double score = 0;
  std::uint32_t band = 0;  // index into CalibrationReport::bands
  bool converted = false;
  std::string outcome;              // the raw result ("" when none in scope)
  bool lost = false;                // a lost outcome in scope (for the review lists)
  std::string segment;              // value of the --by attribute ("(missing)" when absent)
  std::vector<double> rule_points;  // per rule, in model rule order (after decay and cap)
};

// What the backtest left out and why, so every output can say how many leads were scored.
struct BacktestStats {
  std::size_t leads_seen = 0;         // leads in the store
  std::size_t scored = 0;             // rows returned
  std::size_t already_decided = 0;    // as_of: a won or lost outcome at or before T
  std::size_t created_after = 0;      // as_of: the lead's first time is at or after T
  std::size_t undated_decisions = 0;  // as_of: left out (a won/lost outcome without a time);
                                      // before_outcome: scored at the end of history
  std::size_t open_at_end = 0;        // before_outcome: no won/lost outcome, scored at the end
  std::int64_t end_of_history = 0;    // before_outcome: latest event time, or now without events
};

struct BandSummary {
  std::string name;
  std::optional<double> threshold;  // the band's lower bound; none for the catch-all band
  BandRow row;                      // leads, conversions, rate, share of conversions
  std::optional<ThresholdMetrics> at_threshold;  // precision/recall/F1 selecting score >= threshold
};

struct RuleWorth {
  std::string rule;
  std::string group;
  std::string label;
  double current_points = 0;  // the largest absolute contribution seen, with its sign
  double coverage = 0;        // share of leads it gave nonzero points
  std::size_t fired = 0;
  double rate_fired = 0;      // conversion rate of leads it fired for (0 when none)
  double rate_not_fired = 0;  // ... and of the others
  double lift = 0;            // rate_fired / overall rate (0 when undefined)
  double suggested_points = 0;
  bool never_fires = false;
  bool sign_flipped = false;  // suggested sign opposite to the current one
};

struct ReviewLead {
  std::string lead_id;
  double score = 0;
  std::string band;
  std::string outcome;
  // The largest contributions (rule name, points), at most five.
  std::vector<std::pair<std::string, double>> top_rules;
};

struct SegmentRow {
  std::string segment;
  std::size_t leads = 0;
  double mean_score = 0;
  std::size_t conversions = 0;
  double rate = 0;
  Auc auc;
};

struct CalibrationReport {
  std::string model_name;
  std::string model_fingerprint;
  BacktestMode mode;
  std::string mode_note;  // e.g. the warning that before-outcome scoring flatters the model
  // Why the numbers cannot be read ("no leads in scope", a single class); "" when they can.
  std::string problem;
  BacktestStats stats;  // filled by the caller of build_report() from run_backtest()
  std::size_t leads = 0;
  std::size_t conversions = 0;
  double base_rate = 0;

  Auc auc;
  Ks ks;
  std::vector<RocPoint> roc;
  std::vector<BandSummary> bands;  // model order (highest band first)
  std::vector<Decile> deciles;
  ThresholdMetrics best_f1;
  Histogram histogram;
  std::vector<CalibrationBin> calibration;

  std::vector<RuleWorth> rules;  // model order
  LogisticFit fit;               // how the suggested values were fitted (converged or not)

  std::vector<ReviewLead> lost_high;  // lost deals with the highest scores
  std::vector<ReviewLead> won_low;    // won deals with the lowest scores

  std::string segment_attribute;  // empty without --by
  std::vector<SegmentRow> segments;
  // --by an attribute no lead has: the warning (with a "did you mean"), else "".
  std::string segment_warning;
};

// `leadscore diff`: the same backtest with two models.
struct BandMove {
  std::string from, to;
  std::size_t leads = 0;
  std::size_t conversions = 0;
  double rate = 0;
};

struct DiffReport {
  CalibrationReport old_model, new_model;
  std::vector<std::string> old_bands, new_bands;
  std::vector<BandMove> migration;  // every (from, to) pair with at least one lead
  struct Moved {
    std::string lead_id;
    std::string from, to;
    double old_score = 0, new_score = 0;
    bool converted = false;
  };
  std::vector<Moved> moved;  // leads whose band changed (largest score change first)
  std::size_t moved_total = 0;
};

}  // namespace leadscore::calibration
