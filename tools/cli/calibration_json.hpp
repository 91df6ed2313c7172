// The --json output of `leadscore calibrate` and `leadscore diff`. The keys below are a stable
// interface: new keys may be added, but none is renamed or removed without raising "version".
// Key order is fixed. A value that does not exist is null, never left out (an undefined AUC,
// the threshold of a catch-all band). Scores and points are rounded to 2 decimals; rates,
// shares, AUC and other fractions to 4.
//
// calibrate:
//   version                  1
//   command                  "calibrate"
//   model, fingerprint       the model's name in the project and its digest
//   mode                     {kind: "as_of"|"before_outcome", as_of: TIME|null,
//                             horizon_hours: number|null, end_of_history: TIME|null, note}
//   problem                  why the figures cannot be read (no leads, one class), or null
//   leads                    {seen, scored, already_decided, created_after, undated_decisions,
//                             open_at_end}
//   conversions, base_rate
//   auc                      {value, ci_low, ci_high, positives, negatives}  (null when undefined)
//   ks                       {value, at_score}  (null when a class is empty)
//   best_f1                  {threshold, leads_selected, true_positives, precision, recall, f1}
//   bands[]                  {band, threshold, leads, conversions, rate, share_of_conversions,
//                             precision, recall, f1}  (the last three: selecting score >=
//                             threshold; null for a catch-all band)
//   deciles[]                {decile, leads, conversions, rate, lift, cumulative_conversions,
//                             cumulative_gain, min_score, max_score}
//   roc[]                    {fpr, tpr, threshold}  (threshold null for the first point)
//   histogram                {edges[], converted[], not_converted[]}
//   calibration[]            {mean_score, observed_rate, leads, min_score, max_score}
//   rules[]                  {rule, group, label, current_points, suggested_points, coverage,
//                             fired, rate_fired, rate_not_fired, lift, never_fires,
//                             sign_flipped}
//   fit                      {converged, iterations, message, intercept}
//   review                   {lost_high[], won_low[]}, each {lead, score, band, outcome,
//                             top_rules[] {rule, points}}
//   segments                 null without --by, else {attribute, rows[] {segment, leads,
//                             mean_score, conversions, rate, auc}, warning}  (warning: when no
//                             lead has the attribute, with a "did you mean"; else null)
//
// diff:
//   version, command ("diff"), mode, leads   as above
//   auc                      {old, new, change}  (null when undefined)
//   old, new                 each model's full calibrate object without version/command/mode
//                            /leads
//   bands                    {old[], new[]}  band names, highest first
//   migration[]              {from, to, leads, conversions, rate}  every pair with a lead
//   moved_total              leads whose band changed
//   moved[]                  all of them, largest |score change| first: {lead, from, to,
//                            old_score, new_score, change, converted}
#pragma once

#include <nlohmann/json.hpp>

#include "engine/calibration/report.hpp"

namespace leadscore::cli {

nlohmann::ordered_json calibration_json(const calibration::CalibrationReport& report);
nlohmann::ordered_json diff_json(const calibration::DiffReport& report);

}  // namespace leadscore::cli
