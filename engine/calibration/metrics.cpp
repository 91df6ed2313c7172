// Calibration metrics. Most of them walk "tie groups": the distinct scores from the highest
// down, each with how many converted and non-converted leads have exactly that score. Building
// them costs two sorts (one per class) and a merge; every metric after that is linear.
#include "engine/calibration/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>

namespace leadscore::calibration {

namespace {

// Two-sided 95% normal quantile.
constexpr double z_95 = 1.959963984540054;

void check_inputs(std::span<const double> scores, std::span<const std::uint8_t> converted) {
  if (scores.size() != converted.size()) {
    throw std::invalid_argument("calibration: " + std::to_string(scores.size()) + " scores but " +
                                std::to_string(converted.size()) + " outcomes");
  }
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (!std::isfinite(scores[i])) {
      throw std::invalid_argument("calibration: score of lead " + std::to_string(i) +
                                  " is not a finite number");
    }
  }
}

struct TieGroup {
  double score;
  std::size_t positives;
  std::size_t negatives;
};

struct Groups {
  std::vector<TieGroup> groups;  // highest score first
  std::size_t positives = 0;
  std::size_t negatives = 0;
};

// Sorting each class on its own keeps the sort on plain doubles (fast and cache friendly); the
// merge then meets every distinct score once.
Groups tie_groups(std::span<const double> scores, std::span<const std::uint8_t> converted) {
  check_inputs(scores, converted);
  std::vector<double> pos;
  std::vector<double> neg;
  for (std::size_t i = 0; i < scores.size(); ++i) (converted[i] ? pos : neg).push_back(scores[i]);
  std::sort(pos.begin(), pos.end(), std::greater<>());
  std::sort(neg.begin(), neg.end(), std::greater<>());

  Groups out;
  out.positives = pos.size();
  out.negatives = neg.size();
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < pos.size() || j < neg.size()) {
    double s;
    if (i == pos.size()) {
      s = neg[j];
    } else if (j == neg.size()) {
      s = pos[i];
    } else {
      s = std::max(pos[i], neg[j]);
    }
    TieGroup g{s, 0, 0};
    while (i < pos.size() && pos[i] == s) ++i, ++g.positives;
    while (j < neg.size() && neg[j] == s) ++j, ++g.negatives;
    out.groups.push_back(g);
  }
  return out;
}

struct Ranked {
  double score;
  std::size_t index;
};

// Leads in score order (descending or ascending), ties by input position: the documented order
// for splitting ties across deciles and calibration bins.
std::vector<Ranked> ranked(std::span<const double> scores, bool descending) {
  std::vector<Ranked> out(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) out[i] = {scores[i], i};
  std::sort(out.begin(), out.end(), [descending](const Ranked& a, const Ranked& b) {
    if (a.score != b.score) return descending ? a.score > b.score : a.score < b.score;
    return a.index < b.index;
  });
  return out;
}

// Size of each of `groups` nearly equal parts of n items; the first parts take the remainder.
std::size_t part_size(std::size_t n, std::size_t groups, std::size_t part) {
  return n / groups + (part < n % groups ? 1 : 0);
}

double ratio(std::size_t num, std::size_t den) {
  return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den);
}

ThresholdMetrics make_metrics(double threshold, std::size_t selected, std::size_t tp,
                              std::size_t positives) {
  ThresholdMetrics m{};
  m.threshold = threshold;
  m.leads_selected = selected;
  m.true_positives = tp;
  m.positives = positives;
  m.nothing_selected = selected == 0;
  m.precision = ratio(tp, selected);
  m.recall = ratio(tp, positives);
  // 2PR/(P+R) simplifies to 2TP/(selected + positives). One correctly rounded division means two
  // thresholds with mathematically equal F1 compare equal, so best_f1's tie rule is exact.
  m.f1 = ratio(2 * tp, selected + positives);
  return m;
}

}  // namespace

Auc roc_auc(std::span<const double> scores, std::span<const std::uint8_t> converted) {
  const Groups g = tie_groups(scores, converted);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Auc auc{nan, nan, nan, g.positives, g.negatives, false};
  if (g.positives == 0 || g.negatives == 0) return auc;
  const double m = static_cast<double>(g.positives);
  const double n = static_cast<double>(g.negatives);

  // DeLong's structural components, read straight off the tie groups (Sun & Xu's midrank form):
  // for a converted lead, v10 = (non-converted below it + half the tied ones) / n; for a
  // non-converted lead, v01 = (converted above it + half the tied ones) / m. Both average to the
  // AUC, and every lead in a tie group shares its value, so one pass per sum is enough.
  // Groups run from the highest score, so "below" is what remains after the group.
  std::vector<double> v10(g.groups.size());
  std::vector<double> v01(g.groups.size());
  std::size_t neg_seen = 0;
  std::size_t pos_seen = 0;
  for (std::size_t k = 0; k < g.groups.size(); ++k) {
    const TieGroup& t = g.groups[k];
    const double neg_below = static_cast<double>(g.negatives - neg_seen - t.negatives);
    v10[k] = (neg_below + 0.5 * static_cast<double>(t.negatives)) / n;
    v01[k] = (static_cast<double>(pos_seen) + 0.5 * static_cast<double>(t.positives)) / m;
    neg_seen += t.negatives;
    pos_seen += t.positives;
  }
  double sum = 0;
  for (std::size_t k = 0; k < g.groups.size(); ++k) {
    sum += static_cast<double>(g.groups[k].positives) * v10[k];
  }
  auc.value = sum / m;
  auc.defined = true;

  // A sample variance needs two members per class; with fewer the interval says "anything".
  if (g.positives < 2 || g.negatives < 2) {
    auc.ci_low = 0.0;
    auc.ci_high = 1.0;
    return auc;
  }
  double ss10 = 0;
  double ss01 = 0;
  for (std::size_t k = 0; k < g.groups.size(); ++k) {
    const double d10 = v10[k] - auc.value;
    const double d01 = v01[k] - auc.value;
    ss10 += static_cast<double>(g.groups[k].positives) * d10 * d10;
    ss01 += static_cast<double>(g.groups[k].negatives) * d01 * d01;
  }
  const double variance = ss10 / (m - 1) / m + ss01 / (n - 1) / n;
  const double half_width = z_95 * std::sqrt(variance);
  auc.ci_low = std::clamp(auc.value - half_width, 0.0, 1.0);
  auc.ci_high = std::clamp(auc.value + half_width, 0.0, 1.0);
  return auc;
}

std::vector<RocPoint> roc_curve(std::span<const double> scores,
                                std::span<const std::uint8_t> converted, std::size_t max_points) {
  const Groups g = tie_groups(scores, converted);
  std::vector<RocPoint> all;
  if (g.positives == 0 || g.negatives == 0) return all;
  all.reserve(g.groups.size() + 1);
  all.push_back({0.0, 0.0, std::numeric_limits<double>::infinity()});
  std::size_t tp = 0;
  std::size_t fp = 0;
  for (const TieGroup& t : g.groups) {
    tp += t.positives;
    fp += t.negatives;
    all.push_back({ratio(fp, g.negatives), ratio(tp, g.positives), t.score});
  }
  max_points = std::max<std::size_t>(max_points, 2);
  if (all.size() <= max_points) return all;

  // Indices round(i * (N - 1) / (M - 1)) rise strictly when M <= N and hit both ends.
  std::vector<RocPoint> thinned;
  thinned.reserve(max_points);
  const std::size_t last = all.size() - 1;
  for (std::size_t i = 0; i < max_points; ++i) {
    const std::size_t k = (i * last * 2 + (max_points - 1)) / ((max_points - 1) * 2);
    thinned.push_back(all[k]);
  }
  return thinned;
}

Ks ks_statistic(std::span<const double> scores, std::span<const std::uint8_t> converted) {
  const Groups g = tie_groups(scores, converted);
  if (g.positives == 0 || g.negatives == 0) return {0.0, std::numeric_limits<double>::quiet_NaN()};
  // Walk upward so that the counts so far are the CDFs at each distinct score; a strict
  // comparison keeps the lowest score among equal maxima.
  Ks best{0.0, g.groups.back().score};
  std::size_t pos = 0;
  std::size_t neg = 0;
  for (auto it = g.groups.rbegin(); it != g.groups.rend(); ++it) {
    pos += it->positives;
    neg += it->negatives;
    const double d = std::abs(ratio(pos, g.positives) - ratio(neg, g.negatives));
    if (d > best.value) best = {d, it->score};
  }
  return best;
}

std::vector<Decile> deciles(std::span<const double> scores, std::span<const std::uint8_t> converted,
                            int groups) {
  check_inputs(scores, converted);
  if (groups <= 0) throw std::invalid_argument("deciles: the number of groups must be positive");
  const std::vector<Ranked> order = ranked(scores, /*descending=*/true);
  std::size_t total_conversions = 0;
  for (std::uint8_t c : converted) total_conversions += c ? 1 : 0;
  const double overall_rate = ratio(total_conversions, order.size());

  std::vector<Decile> out;
  std::size_t start = 0;
  std::size_t cumulative = 0;
  for (int k = 0; k < groups; ++k) {
    const std::size_t size = part_size(order.size(), static_cast<std::size_t>(groups), k);
    if (size == 0) break;  // only happens with fewer leads than groups; the rest are empty too
    Decile d{};
    d.index = k + 1;
    d.leads = size;
    d.max_score = order[start].score;
    d.min_score = order[start + size - 1].score;
    for (std::size_t r = start; r < start + size; ++r) {
      d.conversions += converted[order[r].index] ? 1 : 0;
    }
    d.rate = ratio(d.conversions, size);
    d.lift = overall_rate == 0 ? 0.0 : d.rate / overall_rate;
    cumulative += d.conversions;
    d.cumulative_conversions = cumulative;
    d.cumulative_gain = ratio(cumulative, total_conversions);
    out.push_back(d);
    start += size;
  }
  return out;
}

ThresholdMetrics at_threshold(std::span<const double> scores,
                              std::span<const std::uint8_t> converted, double threshold) {
  check_inputs(scores, converted);
  std::size_t selected = 0;
  std::size_t tp = 0;
  std::size_t positives = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const bool pos = converted[i] != 0;
    positives += pos ? 1 : 0;
    if (scores[i] >= threshold) {
      ++selected;
      tp += pos ? 1 : 0;
    }
  }
  return make_metrics(threshold, selected, tp, positives);
}

ThresholdMetrics best_f1(std::span<const double> scores, std::span<const std::uint8_t> converted) {
  const Groups g = tie_groups(scores, converted);
  ThresholdMetrics best = make_metrics(std::numeric_limits<double>::infinity(), 0, 0, g.positives);
  bool have = false;
  std::size_t selected = 0;
  std::size_t tp = 0;
  // From the highest threshold down; only a strictly better F1 replaces the current best, so a
  // tie keeps the higher threshold.
  for (const TieGroup& t : g.groups) {
    selected += t.positives + t.negatives;
    tp += t.positives;
    ThresholdMetrics m = make_metrics(t.score, selected, tp, g.positives);
    if (!have || m.f1 > best.f1) {
      best = m;
      have = true;
    }
  }
  return best;
}

std::vector<BandRow> by_band(std::span<const std::uint32_t> band_index,
                             std::span<const std::uint8_t> converted, std::size_t band_count) {
  if (band_index.size() != converted.size()) {
    throw std::invalid_argument("by_band: " + std::to_string(band_index.size()) +
                                " band indices but " + std::to_string(converted.size()) +
                                " outcomes");
  }
  std::vector<BandRow> rows(band_count, BandRow{0, 0, 0.0, true, 0.0});
  std::size_t total_conversions = 0;
  for (std::size_t i = 0; i < band_index.size(); ++i) {
    if (band_index[i] >= band_count) {
      throw std::out_of_range("by_band: lead " + std::to_string(i) + " is in band " +
                              std::to_string(band_index[i]) + " of " + std::to_string(band_count));
    }
    BandRow& row = rows[band_index[i]];
    ++row.leads;
    if (converted[i]) {
      ++row.conversions;
      ++total_conversions;
    }
  }
  for (BandRow& row : rows) {
    row.empty = row.leads == 0;
    row.rate = ratio(row.conversions, row.leads);
    row.share_of_conversions = ratio(row.conversions, total_conversions);
  }
  return rows;
}

Histogram score_histogram(std::span<const double> scores, std::span<const std::uint8_t> converted,
                          int bins) {
  check_inputs(scores, converted);
  if (bins <= 0)
    throw std::invalid_argument("score_histogram: the number of bins must be positive");
  Histogram h;
  if (scores.empty()) return h;
  const auto [lo_it, hi_it] = std::minmax_element(scores.begin(), scores.end());
  const double lo = *lo_it;
  const double hi = *hi_it;
  const std::size_t count = lo == hi ? 1 : static_cast<std::size_t>(bins);
  h.converted.assign(count, 0);
  h.not_converted.assign(count, 0);
  h.edges.resize(count + 1);
  const double width = hi - lo;
  for (std::size_t b = 0; b < count; ++b) {
    h.edges[b] = lo + width * static_cast<double>(b) / static_cast<double>(count);
  }
  h.edges[count] = hi;  // exactly, so the maximum visibly belongs to the last bin

  for (std::size_t i = 0; i < scores.size(); ++i) {
    std::size_t b = 0;
    if (count > 1) {
      // The division can round a score a hair across an edge; that is within the edges' own
      // rounding, and clamping keeps the maximum in the last bin.
      const double pos = (scores[i] - lo) / width * static_cast<double>(count);
      b = std::min(static_cast<std::size_t>(pos), count - 1);
    }
    (converted[i] ? h.converted : h.not_converted)[b] += 1;
  }
  return h;
}

std::vector<CalibrationBin> calibration_curve(std::span<const double> scores,
                                              std::span<const std::uint8_t> converted, int bins) {
  check_inputs(scores, converted);
  if (bins <= 0) {
    throw std::invalid_argument("calibration_curve: the number of bins must be positive");
  }
  const std::vector<Ranked> order = ranked(scores, /*descending=*/false);
  std::vector<CalibrationBin> out;
  std::size_t start = 0;
  for (int k = 0; k < bins; ++k) {
    const std::size_t size = part_size(order.size(), static_cast<std::size_t>(bins), k);
    if (size == 0) break;
    double sum = 0;
    std::size_t conversions = 0;
    for (std::size_t r = start; r < start + size; ++r) {
      sum += order[r].score;
      conversions += converted[order[r].index] ? 1 : 0;
    }
    out.push_back({sum / static_cast<double>(size), ratio(conversions, size), size,
                   order[start].score, order[start + size - 1].score});
    start += size;
  }
  return out;
}

}  // namespace leadscore::calibration
