// Builds the calibration and diff reports from backtest rows with the metric functions of
// metrics.hpp and the fit of logistic.hpp; nothing here looks at the store.
#include "engine/calibration/report_builder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace leadscore::calibration {
namespace {

const std::string no_band = "none";

// Rule names, labels and groups in model order. The Model API gives them only inside a Score,
// so the model scores an empty lead once: cheap, and always in step with rule_points.
std::vector<RuleContribution> rule_metadata(const Model& model) {
  return model.evaluate(Lead{}, {}, 0).rules;
}

void add_ranking(CalibrationReport& r, const std::vector<double>& scores,
                 const std::vector<std::uint8_t>& converted,
                 const std::vector<std::uint32_t>& bands, const Model& model) {
  r.auc = roc_auc(scores, converted);
  r.ks = ks_statistic(scores, converted);
  r.roc = roc_curve(scores, converted);
  r.deciles = deciles(scores, converted, 10);
  r.best_f1 = best_f1(scores, converted);
  r.histogram = score_histogram(scores, converted, 20);
  r.calibration = calibration_curve(scores, converted, 10);
  const auto model_bands = model.bands();
  if (model_bands.empty()) return;
  const auto rows = by_band(bands, converted, model_bands.size());
  for (std::size_t b = 0; b < model_bands.size(); ++b) {
    BandSummary s;
    s.name = model_bands[b].name;
    s.threshold = model_bands[b].threshold;
    s.row = rows[b];
    if (s.threshold) s.at_threshold = at_threshold(scores, converted, *s.threshold);
    r.bands.push_back(std::move(s));
  }
}

void add_rule_worth(CalibrationReport& r, const std::vector<RuleContribution>& meta,
                    const std::vector<BacktestRow>& rows,
                    const std::vector<std::uint8_t>& converted) {
  const std::size_t k = meta.size();
  std::vector<double> largest(k, 0.0);  // signed value of the largest |contribution|
  std::vector<std::size_t> fired(k, 0), fired_converted(k, 0);
  for (const auto& row : rows) {
    for (std::size_t j = 0; j < k && j < row.rule_points.size(); ++j) {
      const double p = row.rule_points[j];
      if (p == 0) continue;
      ++fired[j];
      if (row.converted) ++fired_converted[j];
      if (std::abs(p) > std::abs(largest[j])) largest[j] = p;
    }
  }

  // x_ij = contribution / the rule's largest contribution taken with its sign: 1 when the rule
  // fires fully, so a weight reads as log-odds per full firing whatever the rule's current
  // value. Dividing by the magnitude alone would make a negative rule's full firing -1, and
  // its fitted weight would come out with the opposite sign of the points it suggests.
  SparseMatrix x;
  x.cols = k;
  x.offsets.reserve(rows.size() + 1);
  std::vector<std::pair<std::uint32_t, double>> entries;
  for (const auto& row : rows) {
    entries.clear();
    for (std::size_t j = 0; j < k && j < row.rule_points.size(); ++j) {
      if (row.rule_points[j] != 0)
        entries.emplace_back(std::uint32_t(j), row.rule_points[j] / largest[j]);
    }
    x.add_row(entries);
  }
  LogisticOptions options;
  options.lambda = 1.0;
  r.fit = fit_logistic(x, converted, options);
  const std::vector<double> suggested = rescale_to_points(r.fit.weights, largest);

  const std::size_t n = rows.size();
  for (std::size_t j = 0; j < k; ++j) {
    RuleWorth w;
    w.rule = meta[j].rule;
    w.group = meta[j].group;
    w.label = meta[j].label;
    w.current_points = largest[j];
    w.fired = fired[j];
    w.never_fires = fired[j] == 0;
    w.coverage = n ? double(fired[j]) / double(n) : 0;
    w.rate_fired = fired[j] ? double(fired_converted[j]) / double(fired[j]) : 0;
    const std::size_t rest = n - fired[j];
    w.rate_not_fired = rest ? double(r.conversions - fired_converted[j]) / double(rest) : 0;
    w.lift = r.base_rate > 0 && fired[j] ? w.rate_fired / r.base_rate : 0;
    w.suggested_points = suggested[j];
    w.sign_flipped = largest[j] != 0 && suggested[j] != 0 &&
                     std::signbit(largest[j]) != std::signbit(suggested[j]);
    r.rules.push_back(std::move(w));
  }
}

ReviewLead review_lead(const CalibrationReport& r, const std::vector<RuleContribution>& meta,
                       const BacktestRow& row) {
  ReviewLead out;
  out.lead_id = row.lead_id;
  out.score = row.score;
  out.band = band_name(r, row.band);
  out.outcome = row.outcome;
  std::vector<std::size_t> fired;
  for (std::size_t j = 0; j < row.rule_points.size() && j < meta.size(); ++j) {
    if (row.rule_points[j] != 0) fired.push_back(j);
  }
  std::stable_sort(fired.begin(), fired.end(), [&](std::size_t a, std::size_t b) {
    return std::abs(row.rule_points[a]) > std::abs(row.rule_points[b]);
  });
  if (fired.size() > review_top_rules) fired.resize(review_top_rules);
  for (std::size_t j : fired) out.top_rules.emplace_back(meta[j].rule, row.rule_points[j]);
  return out;
}

// The first `review_list_size` rows passing `keep`, ordered by `before` (ties: row order).
template <class Keep, class Before>
std::vector<ReviewLead> review_list(const CalibrationReport& r,
                                    const std::vector<RuleContribution>& meta,
                                    const std::vector<BacktestRow>& rows, Keep keep,
                                    Before before) {
  std::vector<std::size_t> picked;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (keep(rows[i])) picked.push_back(i);
  }
  const std::size_t count = std::min(picked.size(), review_list_size);
  std::partial_sort(picked.begin(), picked.begin() + std::ptrdiff_t(count), picked.end(),
                    [&](std::size_t a, std::size_t b) {
                      if (rows[a].score != rows[b].score) return before(rows[a], rows[b]);
                      return a < b;
                    });
  std::vector<ReviewLead> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back(review_lead(r, meta, rows[picked[i]]));
  return out;
}

void add_segments(CalibrationReport& r, const std::vector<BacktestRow>& rows) {
  std::unordered_map<std::string_view, std::size_t> index;
  std::vector<std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto [it, added] = index.try_emplace(rows[i].segment, members.size());
    if (added) members.emplace_back();
    members[it->second].push_back(i);
  }
  std::vector<double> scores;
  std::vector<std::uint8_t> converted;
  for (const auto& [name, m] : index) {
    SegmentRow s;
    s.segment = std::string(name);
    scores.clear();
    converted.clear();
    double sum = 0;
    for (std::size_t i : members[m]) {
      scores.push_back(rows[i].score);
      converted.push_back(rows[i].converted);
      sum += rows[i].score;
      s.conversions += rows[i].converted;
    }
    s.leads = members[m].size();
    s.mean_score = sum / double(s.leads);
    s.rate = double(s.conversions) / double(s.leads);
    s.auc = roc_auc(scores, converted);
    r.segments.push_back(std::move(s));
  }
  // Largest segments first; the name breaks ties so the order never depends on hashing.
  std::sort(r.segments.begin(), r.segments.end(), [](const SegmentRow& a, const SegmentRow& b) {
    return a.leads != b.leads ? a.leads > b.leads : a.segment < b.segment;
  });
}

std::string problem_of(const CalibrationReport& r) {
  if (r.leads == 0) return "no leads in scope";
  if (r.conversions == 0)
    return "no lead in scope converted: with a single class the scores cannot be compared "
           "with outcomes";
  if (r.conversions == r.leads)
    return "every lead in scope converted: with a single class the scores cannot be compared "
           "with outcomes";
  return "";
}

}  // namespace

const std::string& band_name(const CalibrationReport& report, std::uint32_t index) {
  return index < report.bands.size() ? report.bands[index].name : no_band;
}

std::string mode_note(const BacktestMode& mode) {
  if (mode.kind == BacktestMode::Kind::before_outcome) {
    return "before-outcome mode flatters the model: each decided lead is scored 1 ms before "
           "its outcome, so the activity right before the decision is in its score; use "
           "--as-of T --horizon D for an honest estimate";
  }
  const double days = double(mode.horizon) / 86'400'000.0;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", days);
  return "point in time: leads created before " + format_timestamp(mode.as_of) +
         " scored as of then; converted = won within " + buffer + " days after";
}

CalibrationReport build_report(const Model& model, const std::string& model_name,
                               std::vector<BacktestRow>& rows, const BacktestMode& mode,
                               const std::string& segment_attribute) {
  CalibrationReport r;
  r.model_name = model_name;
  r.model_fingerprint = model.fingerprint();
  r.mode = mode;
  r.mode_note = mode_note(mode);
  r.leads = rows.size();

  std::vector<double> scores;
  std::vector<std::uint8_t> converted;
  std::vector<std::uint32_t> bands;
  scores.reserve(rows.size());
  converted.reserve(rows.size());
  bands.reserve(rows.size());
  for (const auto& row : rows) {
    scores.push_back(row.score);
    converted.push_back(row.converted ? 1 : 0);
    bands.push_back(row.band);
    r.conversions += row.converted;
  }
  r.base_rate = r.leads ? double(r.conversions) / double(r.leads) : 0;
  r.problem = problem_of(r);

  add_ranking(r, scores, converted, bands, model);
  const auto meta = rule_metadata(model);
  add_rule_worth(r, meta, rows, converted);

  r.lost_high = review_list(
      r, meta, rows, [](const BacktestRow& row) { return row.lost; },
      [](const BacktestRow& a, const BacktestRow& b) { return a.score > b.score; });
  r.won_low = review_list(
      r, meta, rows, [](const BacktestRow& row) { return row.converted; },
      [](const BacktestRow& a, const BacktestRow& b) { return a.score < b.score; });

  r.segment_attribute = segment_attribute;
  if (!segment_attribute.empty()) add_segments(r, rows);
  return r;
}

DiffReport build_diff(const Model& old_model, const std::string& old_name,
                      std::vector<BacktestRow>& old_rows, const Model& new_model,
                      const std::string& new_name, std::vector<BacktestRow>& new_rows,
                      const BacktestMode& mode, const std::string& segment_attribute) {
  DiffReport d;
  d.old_model = build_report(old_model, old_name, old_rows, mode, segment_attribute);
  d.new_model = build_report(new_model, new_name, new_rows, mode, segment_attribute);
  auto names = [](const CalibrationReport& r) {
    std::vector<std::string> out;
    for (const auto& b : r.bands) out.push_back(b.name);
    if (out.empty()) out.push_back(no_band);
    return out;
  };
  d.old_bands = names(d.old_model);
  d.new_bands = names(d.new_model);

  // Pair rows by lead id. One backtest run gives both lists in the same lead order, so the
  // index usually is the pair; the map is only for lists built otherwise.
  std::vector<std::pair<const BacktestRow*, const BacktestRow*>> pairs;
  pairs.reserve(old_rows.size());
  bool aligned = old_rows.size() == new_rows.size();
  for (std::size_t i = 0; aligned && i < old_rows.size(); ++i)
    aligned = old_rows[i].lead_id == new_rows[i].lead_id;
  if (aligned) {
    for (std::size_t i = 0; i < old_rows.size(); ++i)
      pairs.emplace_back(&old_rows[i], &new_rows[i]);
  } else {
    std::unordered_map<std::string_view, const BacktestRow*> by_id;
    for (const auto& row : new_rows) by_id.emplace(row.lead_id, &row);
    for (const auto& row : old_rows) {
      if (auto it = by_id.find(row.lead_id); it != by_id.end())
        pairs.emplace_back(&row, it->second);
    }
  }

  const std::size_t cols = d.new_bands.size();
  std::vector<std::size_t> leads(d.old_bands.size() * cols, 0), conversions(leads.size(), 0);
  for (const auto& [o, n] : pairs) {
    const std::size_t from = std::min<std::size_t>(o->band, d.old_bands.size() - 1);
    const std::size_t to = std::min<std::size_t>(n->band, cols - 1);
    ++leads[from * cols + to];
    conversions[from * cols + to] += o->converted;
    if (d.old_bands[from] == d.new_bands[to]) continue;
    d.moved.push_back(
        {o->lead_id, d.old_bands[from], d.new_bands[to], o->score, n->score, o->converted});
  }
  for (std::size_t c = 0; c < leads.size(); ++c) {
    if (leads[c] == 0) continue;
    d.migration.push_back({d.old_bands[c / cols], d.new_bands[c % cols], leads[c], conversions[c],
                           double(conversions[c]) / double(leads[c])});
  }
  std::stable_sort(
      d.moved.begin(), d.moved.end(), [](const DiffReport::Moved& a, const DiffReport::Moved& b) {
        return std::abs(a.new_score - a.old_score) > std::abs(b.new_score - b.old_score);
      });
  d.moved_total = d.moved.size();
  return d;
}

}  // namespace leadscore::calibration
