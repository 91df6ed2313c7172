// The backtest: decides per lead whether it is in scope, when to score it and whether it
// converted, then scores it with each model through a reused Scorer.
#include "engine/calibration/backtest.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>
#include <optional>

namespace leadscore::calibration {
namespace {

// When and against what one lead is scored.
struct Plan {
  Timestamp scored_at = 0;
  bool converted = false;
  bool lost = false;
  const std::string* outcome = nullptr;  // the deciding result, or null
};

Timestamp now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// T + D without wrapping around for absurd inputs.
Timestamp plus(Timestamp t, std::int64_t d) {
  constexpr Timestamp top = std::numeric_limits<Timestamp>::max();
  return d > 0 && t > top - d ? top : t + d;
}

std::optional<Plan> plan_as_of(const LeadHistory& h, const Project& project,
                               const BacktestMode& mode, BacktestStats& stats) {
  const Timestamp t = mode.as_of;
  if (auto created = created_at(h); created && *created >= t) {
    ++stats.created_after;
    return std::nullopt;
  }
  bool decided = false, undated = false;
  const StoredOutcome* won = nullptr;
  const StoredOutcome* lost = nullptr;
  for (const auto& o : h.outcomes) {
    const OutcomeClass c = project.classify(o.result);
    if (c == OutcomeClass::other) continue;
    if (!o.has_time) {
      undated = true;
    } else if (o.ts <= t) {
      decided = true;
    } else if (o.ts <= plus(t, mode.horizon)) {
      // Outcomes come in time order, so the first of each kind is the earliest.
      const StoredOutcome*& slot = c == OutcomeClass::won ? won : lost;
      if (!slot) slot = &o;
    }
  }
  if (decided) {
    ++stats.already_decided;
    return std::nullopt;
  }
  // An outcome without a time may lie before T: scoring the lead could leak it.
  if (undated) {
    ++stats.undated_decisions;
    return std::nullopt;
  }
  Plan p;
  p.scored_at = t;
  p.converted = won != nullptr;
  p.lost = !won && lost;
  if (won || lost) p.outcome = &(won ? won : lost)->result;
  return p;
}

Plan plan_before_outcome(const LeadHistory& h, const Project& project, Timestamp end,
                         BacktestStats& stats) {
  const StoredOutcome* first_dated = nullptr;
  const StoredOutcome* won = nullptr;
  const StoredOutcome* lost = nullptr;
  for (const auto& o : h.outcomes) {
    const OutcomeClass c = project.classify(o.result);
    if (c == OutcomeClass::other) continue;
    const StoredOutcome*& slot = c == OutcomeClass::won ? won : lost;
    if (!slot) slot = &o;
    if (o.has_time && (!first_dated || o.ts < first_dated->ts)) first_dated = &o;
  }
  Plan p;
  if (first_dated) {
    p.scored_at = first_dated->ts - 1;
  } else {
    p.scored_at = end;
    ++(won || lost ? stats.undated_decisions : stats.open_at_end);
  }
  p.converted = won != nullptr;
  p.lost = !won && lost;
  if (won || lost) p.outcome = &(won ? won : lost)->result;
  return p;
}

std::string segment_of(const AttributeVersion* version, const std::string& attribute) {
  if (version) {
    for (const auto& [name, value] : version->values) {
      if (name == attribute) return value.is_missing() ? missing_segment : value.to_string();
    }
  }
  return missing_segment;
}

// What scoring with one model needs, set up once for the whole pass.
struct ModelRun {
  explicit ModelRun(const Model& m)
      // Scorer wants shared ownership, but the caller keeps the model alive for the whole
      // backtest: an aliasing pointer with no owner lends it without copying.
      : model(m), scorer(std::shared_ptr<const Model>(std::shared_ptr<const Model>(), &m)) {
    for (const auto& b : m.bands()) band_names.push_back(b.name);
    rule_count = m.rule_names().size();
  }

  std::uint32_t band_index(const std::string& name) const {
    auto it = std::find(band_names.begin(), band_names.end(), name);
    return it == band_names.end() ? 0 : std::uint32_t(it - band_names.begin());
  }

  const Model& model;
  Scorer scorer;
  std::vector<std::string> band_names;
  std::size_t rule_count = 0;
};

BacktestRow score_lead(ModelRun& run, const LeadHistory& h, const AttributeVersion* version,
                       const Plan& plan) {
  run.scorer.begin(version, plan.scored_at);
  for (const auto& e : h.events) {
    // The store hands events over in time order, so the first one past the scoring time
    // ends the lead's usable history.
    if (e.ts > plan.scored_at) break;
    run.scorer.add(e);
  }
  const Score score = run.scorer.finish();
  BacktestRow row;
  row.lead_id = h.lead.id;
  row.scored_at = plan.scored_at;
  row.score = score.score;
  row.band = run.band_index(score.band);
  row.converted = plan.converted;
  row.lost = plan.lost;
  if (plan.outcome) row.outcome = *plan.outcome;
  row.rule_points.reserve(run.rule_count);
  for (const auto& r : score.rules) row.rule_points.push_back(r.points);
  row.rule_points.resize(run.rule_count, 0.0);
  return row;
}

}  // namespace

std::optional<Timestamp> created_at(const LeadHistory& history) {
  std::optional<Timestamp> first;
  for (const auto& v : history.lead.versions) {
    if (v.valid_from && (!first || *v.valid_from < *first)) first = v.valid_from;
  }
  if (!history.events.empty()) {
    const Timestamp e = history.events.front().ts;
    if (!first || e < *first) first = e;
  }
  return first;
}

std::optional<std::int64_t> parse_horizon(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t unit = 0;
  switch (text.back()) {
    case 'h':
      unit = 3'600'000;
      break;
    case 'd':
      unit = 86'400'000;
      break;
    case 'w':
      unit = 7 * 86'400'000LL;
      break;
    default:
      return std::nullopt;
  }
  std::int64_t count = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    count = count * 10 + (c - '0');
    // Far past any real horizon, and low enough that count * unit stays inside int64.
    if (count > 100'000'000) return std::nullopt;
  }
  if (count == 0) return std::nullopt;
  return count * unit;
}

std::vector<std::vector<BacktestRow>> run_backtest(Store& store,
                                                   std::span<const Model* const> models,
                                                   const Project& project, const BacktestMode& mode,
                                                   const std::string& by_attribute,
                                                   BacktestStats& stats) {
  stats = BacktestStats{};
  const bool before_outcome = mode.kind == BacktestMode::Kind::before_outcome;
  if (before_outcome) {
    std::optional<Timestamp> latest = store.latest_event_time();
    stats.end_of_history = latest ? *latest : now();
  }

  std::vector<ModelRun> runs;
  runs.reserve(models.size());
  for (const Model* m : models) runs.emplace_back(*m);
  std::vector<std::vector<BacktestRow>> rows(models.size());

  store.for_each_lead([&](const LeadHistory& h) {
    ++stats.leads_seen;
    std::optional<Plan> plan = before_outcome
                                   ? plan_before_outcome(h, project, stats.end_of_history, stats)
                                   : plan_as_of(h, project, mode, stats);
    if (!plan) return;
    const AttributeVersion* version = version_at(h.lead, plan->scored_at);
    std::string segment;
    if (!by_attribute.empty()) segment = segment_of(version, by_attribute);
    for (std::size_t m = 0; m < runs.size(); ++m) {
      rows[m].push_back(score_lead(runs[m], h, version, *plan));
      rows[m].back().segment = segment;
    }
    ++stats.scored;
  });
  return rows;
}

std::vector<BacktestRow> run_backtest(Store& store, const Model& model, const Project& project,
                                      const BacktestMode& mode, const std::string& by_attribute,
                                      BacktestStats& stats) {
  const Model* one[] = {&model};
  return std::move(run_backtest(store, one, project, mode, by_attribute, stats).front());
}

}  // namespace leadscore::calibration
