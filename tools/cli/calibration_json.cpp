// The --json documents described in calibration_json.hpp.
#include "tools/cli/calibration_json.hpp"

#include <cmath>
#include <string>

#include "leadscore/value.hpp"
#include "tools/cli/report.hpp"

namespace leadscore::cli {
namespace {

using Json = nlohmann::ordered_json;
namespace cal = calibration;

// NaN and infinities are not JSON; they mean "does not exist" here, hence null.
Json points(double x) {
  return std::isfinite(x) ? Json(round_to(x, 2)) : Json();
}
Json fraction(double x) {
  return std::isfinite(x) ? Json(round_to(x, 4)) : Json();
}
Json text_or_null(const std::string& s) {
  return s.empty() ? Json() : Json(s);
}

Json auc_json(const cal::Auc& a) {
  if (!a.defined)
    return {{"value", nullptr},
            {"ci_low", nullptr},
            {"ci_high", nullptr},
            {"positives", a.positives},
            {"negatives", a.negatives}};
  return {{"value", fraction(a.value)},
          {"ci_low", fraction(a.ci_low)},
          {"ci_high", fraction(a.ci_high)},
          {"positives", a.positives},
          {"negatives", a.negatives}};
}

Json mode_json(const cal::CalibrationReport& r) {
  const bool as_of = r.mode.kind == cal::BacktestMode::Kind::as_of;
  Json out;
  out["kind"] = as_of ? "as_of" : "before_outcome";
  out["as_of"] = as_of ? Json(format_timestamp(r.mode.as_of)) : Json();
  out["horizon_hours"] = as_of ? Json(round_to(double(r.mode.horizon) / 3'600'000.0, 4)) : Json();
  out["end_of_history"] = as_of ? Json() : Json(format_timestamp(r.stats.end_of_history));
  out["note"] = r.mode_note;
  return out;
}

Json leads_json(const cal::BacktestStats& s) {
  return {{"seen", s.leads_seen},
          {"scored", s.scored},
          {"already_decided", s.already_decided},
          {"created_after", s.created_after},
          {"undated_decisions", s.undated_decisions},
          {"open_at_end", s.open_at_end}};
}

Json threshold_json(const cal::ThresholdMetrics& t) {
  return {{"threshold", points(t.threshold)},
          {"leads_selected", t.leads_selected},
          {"true_positives", t.true_positives},
          {"precision", t.nothing_selected ? Json() : fraction(t.precision)},
          {"recall", fraction(t.recall)},
          {"f1", fraction(t.f1)}};
}

Json review_json(const std::vector<cal::ReviewLead>& leads) {
  Json out = Json::array();
  for (const auto& l : leads) {
    Json rules = Json::array();
    for (const auto& [rule, p] : l.top_rules)
      rules.push_back({{"rule", rule}, {"points", points(p)}});
    out.push_back({{"lead", l.lead_id},
                   {"score", points(l.score)},
                   {"band", l.band},
                   {"outcome", text_or_null(l.outcome)},
                   {"top_rules", std::move(rules)}});
  }
  return out;
}

// Everything about one model's backtest; calibrate adds the header keys around it.
void add_model(Json& out, const cal::CalibrationReport& r) {
  out["model"] = r.model_name;
  out["fingerprint"] = r.model_fingerprint;
  out["problem"] = text_or_null(r.problem);
  out["conversions"] = r.conversions;
  out["base_rate"] = fraction(r.base_rate);
  out["auc"] = auc_json(r.auc);
  // Both classes are needed for KS as for AUC; without them the metric's 0 would read as
  // "no separation" rather than "not measurable".
  out["ks"] = {{"value", r.auc.defined ? fraction(r.ks.value) : Json()},
               {"at_score", points(r.ks.at_score)}};
  out["best_f1"] = threshold_json(r.best_f1);

  Json bands = Json::array();
  for (const auto& b : r.bands) {
    const auto* t = b.at_threshold ? &*b.at_threshold : nullptr;
    bands.push_back({{"band", b.name},
                     {"threshold", b.threshold ? points(*b.threshold) : Json()},
                     {"leads", b.row.leads},
                     {"conversions", b.row.conversions},
                     {"rate", fraction(b.row.rate)},
                     {"share_of_conversions", fraction(b.row.share_of_conversions)},
                     {"precision", t && !t->nothing_selected ? fraction(t->precision) : Json()},
                     {"recall", t ? fraction(t->recall) : Json()},
                     {"f1", t ? fraction(t->f1) : Json()}});
  }
  out["bands"] = std::move(bands);

  Json deciles = Json::array();
  for (const auto& d : r.deciles) {
    deciles.push_back({{"decile", d.index},
                       {"leads", d.leads},
                       {"conversions", d.conversions},
                       {"rate", fraction(d.rate)},
                       {"lift", fraction(d.lift)},
                       {"cumulative_conversions", d.cumulative_conversions},
                       {"cumulative_gain", fraction(d.cumulative_gain)},
                       {"min_score", points(d.min_score)},
                       {"max_score", points(d.max_score)}});
  }
  out["deciles"] = std::move(deciles);

  Json roc = Json::array();
  for (const auto& p : r.roc)
    roc.push_back(
        {{"fpr", fraction(p.fpr)}, {"tpr", fraction(p.tpr)}, {"threshold", points(p.threshold)}});
  out["roc"] = std::move(roc);

  Json edges = Json::array();
  for (double e : r.histogram.edges) edges.push_back(points(e));
  out["histogram"] = {{"edges", std::move(edges)},
                      {"converted", r.histogram.converted},
                      {"not_converted", r.histogram.not_converted}};

  Json calibration = Json::array();
  for (const auto& c : r.calibration) {
    calibration.push_back({{"mean_score", points(c.mean_score)},
                           {"observed_rate", fraction(c.observed_rate)},
                           {"leads", c.leads},
                           {"min_score", points(c.min_score)},
                           {"max_score", points(c.max_score)}});
  }
  out["calibration"] = std::move(calibration);

  Json rules = Json::array();
  for (const auto& w : r.rules) {
    rules.push_back({{"rule", w.rule},
                     {"group", w.group},
                     {"label", text_or_null(w.label)},
                     {"current_points", points(w.current_points)},
                     {"suggested_points", points(w.suggested_points)},
                     {"coverage", fraction(w.coverage)},
                     {"fired", w.fired},
                     {"rate_fired", fraction(w.rate_fired)},
                     {"rate_not_fired", fraction(w.rate_not_fired)},
                     {"lift", fraction(w.lift)},
                     {"never_fires", w.never_fires},
                     {"sign_flipped", w.sign_flipped}});
  }
  out["rules"] = std::move(rules);
  out["fit"] = {{"converged", r.fit.converged},
                {"iterations", r.fit.iterations},
                {"message", r.fit.message},
                {"intercept", fraction(r.fit.intercept)}};
  out["review"] = {{"lost_high", review_json(r.lost_high)}, {"won_low", review_json(r.won_low)}};

  if (r.segment_attribute.empty()) {
    out["segments"] = nullptr;
  } else {
    Json rows = Json::array();
    for (const auto& s : r.segments) {
      rows.push_back({{"segment", s.segment},
                      {"leads", s.leads},
                      {"mean_score", points(s.mean_score)},
                      {"conversions", s.conversions},
                      {"rate", fraction(s.rate)},
                      {"auc", s.auc.defined ? fraction(s.auc.value) : Json()}});
    }
    out["segments"] = {{"attribute", r.segment_attribute},
                       {"rows", std::move(rows)},
                       {"warning", r.segment_warning.empty() ? Json() : Json(r.segment_warning)}};
  }
}

}  // namespace

nlohmann::ordered_json calibration_json(const calibration::CalibrationReport& report) {
  Json out;
  out["version"] = 1;
  out["command"] = "calibrate";
  out["model"] = report.model_name;  // placed here so the header keys come first
  out["fingerprint"] = report.model_fingerprint;
  out["mode"] = mode_json(report);
  out["problem"] = text_or_null(report.problem);
  out["leads"] = leads_json(report.stats);
  add_model(out, report);  // overwrites model/fingerprint/problem in place, keeping the order
  return out;
}

nlohmann::ordered_json diff_json(const calibration::DiffReport& report) {
  const auto& o = report.old_model;
  const auto& n = report.new_model;
  Json out;
  out["version"] = 1;
  out["command"] = "diff";
  out["mode"] = mode_json(o);
  out["leads"] = leads_json(o.stats);
  const bool both = o.auc.defined && n.auc.defined;
  out["auc"] = {{"old", o.auc.defined ? fraction(o.auc.value) : Json()},
                {"new", n.auc.defined ? fraction(n.auc.value) : Json()},
                {"change", both ? fraction(n.auc.value - o.auc.value) : Json()}};
  Json old_model, new_model;
  add_model(old_model, o);
  add_model(new_model, n);
  out["old"] = std::move(old_model);
  out["new"] = std::move(new_model);
  out["bands"] = {{"old", report.old_bands}, {"new", report.new_bands}};
  Json migration = Json::array();
  for (const auto& m : report.migration) {
    migration.push_back({{"from", m.from},
                         {"to", m.to},
                         {"leads", m.leads},
                         {"conversions", m.conversions},
                         {"rate", fraction(m.rate)}});
  }
  out["migration"] = std::move(migration);
  out["moved_total"] = report.moved_total;
  Json moved = Json::array();
  for (const auto& m : report.moved) {
    moved.push_back({{"lead", m.lead_id},
                     {"from", m.from},
                     {"to", m.to},
                     {"old_score", points(m.old_score)},
                     {"new_score", points(m.new_score)},
                     {"change", points(m.new_score - m.old_score)},
                     {"converted", m.converted}});
  }
  out["moved"] = std::move(moved);
  return out;
}

}  // namespace leadscore::cli
