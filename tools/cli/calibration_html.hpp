// The --html output of `leadscore calibrate` and `leadscore diff`: one self-contained HTML5 page
// meant for a screen in a sales or marketing review meeting, and for printing.
//
// Self-contained means the file works offline and from an e-mail attachment: no network
// references (the only URL is the SVG namespace name, which browsers never fetch), no external
// fonts, scripts or style sheets, no JavaScript at all. Styles are inline CSS and every chart is
// inline SVG drawn here.
//
// Guarantees the tests rely on:
// - All text taken from the report (model, rule, band, segment names, lead ids, outcomes, notes)
//   is HTML-escaped, quotes included, so it is safe in element content and attribute values.
// - Numbers are written with std::to_chars, which ignores the C and C++ locales: the decimal
//   mark is always `.`, and counts are grouped by `,` (12,345). A value that is NaN or infinite
//   (an undefined AUC, the threshold when no lead was scored) reads "n/a".
// - Empty or degenerate reports (no leads, one class only, no ROC points) still give a complete
//   page: a chart without data is replaced by a sentence saying why, and no SVG coordinate is
//   ever NaN or infinite.
#pragma once

#include <string>

#include "engine/calibration/report.hpp"

namespace leadscore::cli {

// The page for `leadscore calibrate --html`: headline figures, ROC curve, score histograms,
// conversion by band, calibration curve, deciles, suggested rule points, review lists and the
// per-segment table (when the report has segments).
std::string render_calibration_html(const calibration::CalibrationReport& report);

// The page for `leadscore diff --html`: both models' AUC, the band migration matrix and the
// leads whose band changed.
std::string render_diff_html(const calibration::DiffReport& report);

}  // namespace leadscore::cli
