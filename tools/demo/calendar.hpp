// The marketing calendar of the demo window: newsletter and nurture mailings and webinars. It is
// one schedule for the whole run (everyone on the list gets the same mail on the same day), so it
// is built once and shared by every lead's activity simulation; it draws no random numbers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace leadscore::demo {

struct Campaign {
  std::int64_t sent;
  std::string name;
};

struct Webinar {
  std::int64_t starts;
  std::string title;
  int length_minutes;
};

struct Calendar {
  std::vector<Campaign> campaigns;
  std::vector<Webinar> webinars;
};

// The mailings and webinars from first_day up to (not including) end_day: the same for every
// lead.
Calendar make_calendar(std::int64_t first_day, std::int64_t end_day);

}  // namespace leadscore::demo
