// The terminal output of `leadscore calibrate` and `leadscore diff`: aligned tables, numbers
// as the rest of the command line shows them (tools/cli/report.hpp), "n/a" where a figure
// does not exist. Every output starts with how leads were scored, so the before-outcome
// warning is never scrolled away from the numbers it qualifies.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

#include "engine/calibration/report.hpp"

namespace leadscore::cli {

inline constexpr std::size_t text_moved_shown = 20;     // diff: leads listed whose band moved
inline constexpr std::size_t text_segments_shown = 30;  // calibrate: largest segments listed

void print_calibration_text(std::ostream& out, const calibration::CalibrationReport& report);
void print_diff_text(std::ostream& out, const calibration::DiffReport& report);

// `leadscore replay --lead ID`, with the id quoted for a POSIX shell when it needs to be.
std::string replay_command(const std::string& lead_id);

}  // namespace leadscore::cli
