// The replay as `leadscore replay` used to compute it: every step explains the whole prefix
// again with Model::explain. Quadratic, and kept only here, as the reference the one-pass
// leadscore::Timeline must agree with step for step.
#pragma once

#include <algorithm>
#include <span>
#include <vector>

#include "leadscore/timeline.hpp"

namespace leadscore::testing {

struct OracleResult {
  std::vector<TimelineStep> steps;
  std::uint64_t events_explained = 0;  // the sum of the prefix lengths: the old cost
};

// `events` must be in time order (as the store returns them).
inline OracleResult replay_by_prefixes(const Model& model, const Lead& lead,
                                       std::span<const Event> events, Timestamp end) {
  OracleResult out;
  std::string band;
  auto step_from = [&](const Explanation& ex, TimelineStep::Kind kind, Timestamp t) {
    TimelineStep step;
    step.kind = kind;
    step.at = t;
    step.score = ex.score.score;
    step.band = ex.score.band;
    step.band_changed = ex.score.band != band;
    step.previous_band = band;
    band = ex.score.band;
    for (const auto& r : ex.score.rules) step.rule_points.push_back(r.points);
    return step;
  };
  auto explain = [&](std::size_t prefix, Timestamp t) {
    out.events_explained += prefix;
    return model.explain(lead, events.subspan(0, prefix), t);
  };
  std::vector<Timestamp> version_starts;
  for (const auto& v : lead.versions) {
    if (v.valid_from && *v.valid_from <= end) version_starts.push_back(*v.valid_from);
  }
  std::sort(version_starts.begin(), version_starts.end());
  std::size_t next_version = 0;
  std::size_t events_before = 0;
  auto profile_row = [&](Timestamp t, TimelineStep::Profile profile) {
    Explanation ex = explain(events_before, t);
    TimelineStep step = step_from(ex, TimelineStep::Kind::profile, t);
    step.profile = profile;
    for (std::size_t k = 0; k < ex.score.rules.size(); ++k) {
      const RuleContribution& r = ex.score.rules[k];
      if (r.points == 0 || !ex.counted[k].empty()) continue;
      step.fired.push_back({r.rule, r.points});
    }
    out.steps.push_back(std::move(step));
  };
  auto versions_until = [&](Timestamp t) {
    for (; next_version < version_starts.size() && version_starts[next_version] <= t;
         ++next_version) {
      profile_row(version_starts[next_version], next_version == 0 ? TimelineStep::Profile::first
                                                                  : TimelineStep::Profile::updated);
    }
  };
  if (version_starts.empty()) {
    profile_row(events.empty() ? end : events.front().ts, TimelineStep::Profile::always);
  }
  for (std::size_t i = 0; i < events.size() && events[i].ts <= end; ++i) {
    events_before = i;
    versions_until(events[i].ts);
    Explanation ex = explain(i + 1, events[i].ts);
    TimelineStep step = step_from(ex, TimelineStep::Kind::event, events[i].ts);
    step.event = i;
    for (std::size_t r = 0; r < ex.counted.size(); ++r) {
      for (const auto& c : ex.counted[r]) {
        if (c.event == i) step.fired.push_back({ex.score.rules[r].rule, c.points});
      }
    }
    out.steps.push_back(std::move(step));
  }
  events_before = events.size();
  versions_until(end);
  return out;
}

}  // namespace leadscore::testing
