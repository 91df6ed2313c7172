// Replaying the stored history with a model: one row per lead in scope, scored at a point in
// time that cannot see the outcome it is compared with.
//
// Two modes (BacktestMode):
// - as_of T, horizon D: leads created before T are scored as of T; converted means a won
//   outcome in (T, T + D]. Leads already won or lost at T are left out, as are leads whose
//   won/lost outcome has no time (it might lie before T).
// - before_outcome: each lead with a dated won/lost outcome is scored 1 ms before the first
//   one; the others (open, or decided without a time) at the end of history. This mode sees the
//   activity right before each decision and so flatters the model.
//
// The store is read in one streaming pass per model set (two in before_outcome mode: the end
// of history has to be known before the first open lead is scored); only the compact rows are
// kept, so a million leads fit in memory.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calibration/report.hpp"
#include "leadscore/leadscore.hpp"
#include "leadscore/project.hpp"
#include "leadscore/store.hpp"

namespace leadscore::calibration {

// The segment of a lead whose --by attribute is absent or blank.
inline constexpr const char* missing_segment = "(missing)";

// Scores every lead in scope with `model`. `by_attribute` ("" for none) fills
// BacktestRow::segment from the attribute version in force at the scoring time. Rows come in
// the store's lead order. StoreError from the store passes through.
std::vector<BacktestRow> run_backtest(Store& store, const Model& model, const Project& project,
                                      const BacktestMode& mode, const std::string& by_attribute,
                                      BacktestStats& stats);

// The same with several models in one pass over the store (for `leadscore diff`): result[m]
// holds model m's rows. Which leads are in scope, when they are scored and whether they
// converted does not depend on the model, so the row lists line up lead for lead.
std::vector<std::vector<BacktestRow>> run_backtest(Store& store,
                                                   std::span<const Model* const> models,
                                                   const Project& project, const BacktestMode& mode,
                                                   const std::string& by_attribute,
                                                   BacktestStats& stats);

// The time a lead starts to exist: the earliest of its dated attribute versions and its first
// event; nothing when it has neither (such a lead counts as created before any time).
std::optional<Timestamp> created_at(const LeadHistory& history);

// A horizon as the command line writes it: a positive whole number of hours, days or weeks
// (`2160h`, `90d`, `12w`), in milliseconds. Nothing for any other text.
std::optional<std::int64_t> parse_horizon(std::string_view text);

}  // namespace leadscore::calibration
