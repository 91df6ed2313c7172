// Generates one complete lead of the demo project: its CRM record, its activity and its deal.
// Each lead gets its own random generator, seeded from the run's seed and the lead's number, so
// lead N is the same whatever --leads says.
//
// How a lead comes about:
// - Firmographics are drawn first: company size, plants, industry, job title, country, e-mail
//   domain, existing customer. Some cells stay empty, as in any CRM.
// - A hidden "need" (noise the CRM cannot see) and the firmographics decide whether the lead is
//   in a buying cycle ("in market"). In-market leads more often have a known budget.
// - Activity (activity.cpp): web sessions, the shared mailings and webinars, social
//   interactions. How busy a lead is comes from an activity tier (most leads are quiet, a few
//   very busy), raised for in-market leads and again during their buying phase.
// - Outcome: in-market leads often end in a closed deal, others rarely; the chance of winning
//   grows with the hidden propensity (fit, budget and need), so scores predict wins, but not
//   perfectly. A closed lead's activity stops before its close date.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tools/demo/calendar.hpp"
#include "tools/demo/records.hpp"

namespace leadscore::demo {

class LeadMaker {
 public:
  // Leads are created and active from first_day up to (not including) end_day.
  LeadMaker(const Calendar& calendar, std::int64_t first_day, std::int64_t end_day)
      : calendar_(calendar), first_day_(first_day), end_day_(end_day) {}

  // Lead number index (from 0) of the run with the given seed; its events sorted by time.
  LeadData make(std::uint64_t seed, std::size_t index) const;

 private:
  const Calendar& calendar_;
  std::int64_t first_day_, end_day_;
};

}  // namespace leadscore::demo
