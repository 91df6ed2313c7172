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

// The project file of the CLI store tests: the schema of store_model_text, won/lost outcomes,
// and column mappings for leads and events (outcomes use the default column names).
inline const std::string store_project_yaml = R"(database: leads.db
models:
  - model.score
schema:
  attributes:
    employees: number
    industry: string
  events:
    page_view: {url: string}
    download: {asset: string}
    webinar: {attended: boolean}
outcomes:
  won: [won]
  lost: [lost]
import:
  leads:
    id: id
  events:
    id: id
    lead_id: lead_id
    ts: ts
    type: type
)";

}  // namespace leadscore::testing
