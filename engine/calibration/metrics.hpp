// The numeric core of `leadscore calibrate`: how well lead scores separate the leads that
// converted from those that did not. Everything here is a pure function of plain arrays.
//
// Common conventions:
// - `scores[i]` and `converted[i]` describe lead i; any nonzero `converted` byte counts as a
//   conversion. The two spans must have the same length and every score must be finite, else
//   std::invalid_argument: a NaN has no place in a sort order and an infinite score has no
//   place on a histogram axis, so failing loudly beats a silently wrong table.
// - Each function sorts (at most once) so that a million leads cost O(n log n).
// - "Ties" are leads with exactly equal scores. Where ties have to be split (deciles and
//   calibration bins), the lead that comes first in the input goes first, so results are
//   reproducible for a given input order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace leadscore::calibration {

// ROC AUC: the probability that a random converted lead scores above a random non-converted
// one, with a tie counting one half (the Mann-Whitney statistic with midranks).
struct Auc {
  double value;    // NaN when !defined
  double ci_low;   // 95% interval by DeLong's method, clamped to [0, 1]
  double ci_high;  // (the whole [0, 1] when a class has fewer than two leads: no variance)
  std::size_t positives;
  std::size_t negatives;
  bool defined;  // false when either class is empty
};
Auc roc_auc(std::span<const double> scores, std::span<const std::uint8_t> converted);

// One point of the ROC curve: selecting every lead with score >= threshold gives these rates.
struct RocPoint {
  double fpr;
  double tpr;
  double threshold;  // +infinity for the first point (0, 0): nothing selected
};
// Points from the highest threshold down: (0, 0), then one point per distinct score, ending at
// (1, 1). A run of tied scores moves the curve diagonally. When there are more points than
// `max_points` (taken as at least 2), evenly spaced points are kept, always including the first
// and the last. Empty when either class is empty: the rates would divide by zero.
std::vector<RocPoint> roc_curve(std::span<const double> scores,
                                std::span<const std::uint8_t> converted,
                                std::size_t max_points = 200);

// Kolmogorov-Smirnov statistic: max over distinct scores s of |F_pos(s) - F_neg(s)|, where F is
// the fraction of the class scoring <= s.
struct Ks {
  double value;     // 0 when either class is empty
  double at_score;  // the lowest score reaching the maximum; NaN when either class is empty
};
Ks ks_statistic(std::span<const double> scores, std::span<const std::uint8_t> converted);

// One equal-size group of leads in descending score order. Leads are ordered by score from the
// highest, ties by input position; group sizes differ by at most one and the first groups take
// the extra leads. With fewer leads than groups the empty groups are left out.
struct Decile {
  int index;  // 1 = the top-scoring group
  std::size_t leads;
  std::size_t conversions;
  double rate;  // conversions / leads
  double lift;  // rate / overall rate; 0 when nobody converted
  std::size_t cumulative_conversions;
  double cumulative_gain;  // cumulative conversions / all conversions; 0 when nobody converted
  double min_score;
  double max_score;
};
// `groups` must be positive (std::invalid_argument otherwise).
std::vector<Decile> deciles(std::span<const double> scores, std::span<const std::uint8_t> converted,
                            int groups = 10);

// Quality of the rule "predict a conversion when score >= threshold".
struct ThresholdMetrics {
  double threshold;
  std::size_t leads_selected;
  std::size_t true_positives;
  std::size_t positives;  // all converted leads
  double precision;       // 0 when nothing is selected (see nothing_selected)
  bool nothing_selected;
  double recall;  // 0 when there are no positives
  double f1;      // 0 when precision + recall == 0
};
ThresholdMetrics at_threshold(std::span<const double> scores,
                              std::span<const std::uint8_t> converted, double threshold);
// The distinct score with the highest F1 when used as the threshold; of equally good ones, the
// highest. With no leads the threshold is +infinity (nothing selected).
ThresholdMetrics best_f1(std::span<const double> scores, std::span<const std::uint8_t> converted);

// Conversions per score band (the bands of the model, numbered 0 .. band_count - 1).
struct BandRow {
  std::size_t leads;
  std::size_t conversions;
  double rate;  // 0 for an empty band
  bool empty;
  double share_of_conversions;  // of all conversions; 0 when nobody converted
};
// One row per band, empty bands included. An index >= band_count throws std::out_of_range.
std::vector<BandRow> by_band(std::span<const std::uint32_t> band_index,
                             std::span<const std::uint8_t> converted, std::size_t band_count);

// Equal-width histogram over [min score, max score]. Bin b covers [edges[b], edges[b + 1]),
// the last bin also includes the maximum. All scores equal: one bin whose edges are that score.
// No leads: no bins and no edges.
struct Histogram {
  std::vector<double> edges;  // bins + 1 values
  std::vector<std::size_t> converted;
  std::vector<std::size_t> not_converted;
};
// `bins` must be positive (std::invalid_argument otherwise).
Histogram score_histogram(std::span<const double> scores, std::span<const std::uint8_t> converted,
                          int bins = 20);

// Reliability of scores read as probabilities: equal-count bins in ascending score order (split
// as deciles are, but from the lowest score: the first, lowest bins take the extra leads; ties by
// input position), each with its mean score next to its observed conversion rate.
struct CalibrationBin {
  double mean_score;
  double observed_rate;
  std::size_t leads;
  double min_score;
  double max_score;
};
// `bins` must be positive (std::invalid_argument otherwise). Empty bins are left out.
std::vector<CalibrationBin> calibration_curve(std::span<const double> scores,
                                              std::span<const std::uint8_t> converted,
                                              int bins = 10);

}  // namespace leadscore::calibration
