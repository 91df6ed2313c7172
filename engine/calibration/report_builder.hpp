// From backtest rows to the CalibrationReport and DiffReport that the text, JSON and HTML
// outputs format. Pure computation: no store, no printing.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/calibration/report.hpp"
#include "leadscore/leadscore.hpp"

namespace leadscore::calibration {

inline constexpr std::size_t review_list_size = 10;  // per review list
inline constexpr std::size_t review_top_rules = 5;   // contributions shown per reviewed lead

// The report for one model. `rows` come from run_backtest() with the same model and are left
// as they are (same order, same content): build_diff() relies on that. With a
// `segment_attribute`, rows are grouped by BacktestRow::segment.
// report.stats is left for the caller to fill from run_backtest().
CalibrationReport build_report(const Model& model, const std::string& model_name,
                               std::vector<BacktestRow>& rows, const BacktestMode& mode,
                               const std::string& segment_attribute = "");

// Both reports plus how leads move between the two models' bands. The row lists come from the
// same backtest (run_backtest() with both models) and are paired by lead id.
DiffReport build_diff(const Model& old_model, const std::string& old_name,
                      std::vector<BacktestRow>& old_rows, const Model& new_model,
                      const std::string& new_name, std::vector<BacktestRow>& new_rows,
                      const BacktestMode& mode, const std::string& segment_attribute = "");

// The sentence every output shows about how leads were scored (the before-outcome warning).
std::string mode_note(const BacktestMode& mode);

// The display name of band `index` in `report` ("none" for a model without bands).
const std::string& band_name(const CalibrationReport& report, std::uint32_t index);

}  // namespace leadscore::calibration
