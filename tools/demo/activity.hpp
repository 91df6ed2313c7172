// Simulates what one lead does online and by mail after it enters the CRM: web sessions (page
// views, downloads, videos), social interactions, opens and clicks of the shared mailings, and
// webinar sign-ups. Kept apart from lead.cpp because the lead generator only decides who the lead
// is and when it is active; how that activity turns into CRM events is this file's job.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tools/demo/calendar.hpp"
#include "tools/demo/records.hpp"
#include "tools/demo/rng.hpp"

namespace leadscore::demo {

// Everything the simulation needs to know about one lead, and where its events go.
struct Activity {
  Rng& rng;
  std::vector<EventRow>& out;
  Role role;
  std::size_t tier;               // 0 quiet, 1 light, 2 active, 3 very active
  std::int64_t created;           // first moment of activity
  std::int64_t end;               // exclusive
  std::int64_t buy_from, buy_to;  // days of the buying phase
};

// Appends the lead's events to a.out in the order they are drawn, not sorted by time; events
// outside [a.created, a.end) are left out.
void simulate_activity(const Calendar& calendar, Activity& a);

}  // namespace leadscore::demo
