// The small model both store suites score with (library level and through the CLI).
#pragma once

#include <string>

namespace leadscore::testing {

// 500 employees in software is 13 (warm); each download is 8, so two take a cold lead to warm
// and a warm one to hot; bands sit ten points apart. Engagement decays, so a stored pass and
// the reference evaluator must agree on times too.
inline const std::string store_model_text = R"(model "m"
band hot >= 20 "Hot"
band warm >= 10 "Warm"
band cold "Cold"
fit profile {
  big: +10 when employees >= 100
  software: +3 when industry = "software"
}
engagement activity decay half-life 30 days {
  pricing: +4 on page_view where url contains "pricing" cap 12
  downloads: +8 on download
  webinar: +6 on webinar where attended
}
)";

}  // namespace leadscore::testing
