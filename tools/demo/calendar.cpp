// Builds the shared mailing and webinar schedule (see calendar.hpp).
#include "tools/demo/calendar.hpp"

#include <array>
#include <cstdio>

#include "tools/demo/dates.hpp"

namespace leadscore::demo {

Calendar make_calendar(std::int64_t first_day, std::int64_t end_day) {
  static const std::array<const char*, 6> topics = {
      "Presses, Lines & Retrofits",     "Changeover times, explained",
      "Service news: spare parts",      "Case study: \"zero-defect\" stamping",
      "Trade show invitations, spring", "Energy costs, compressed air & you"};
  static const std::array<const char*, 4> nurture = {
      "Nurture 1: Is your press line ready for servo?", "Nurture 2: Total cost of ownership",
      "Nurture 3: \"Lights-out\" machining", "Nurture 4: Financing, leasing, rental"};
  static const std::array<const char*, 8> webinar_titles = {
      "Servo vs. hydraulic presses: cost, speed, uptime",
      "\"Lights-out\" machining in practice",
      "Retrofit or replace? Planning a line upgrade",
      "Predictive maintenance with vibration sensors",
      "Packaging lines: changeover in under 10 minutes",
      "Live demo: the PX-400 configurator",
      "Q&A with our field service engineers",
      "Automation grants, tax credits & financing"};
  Calendar calendar;
  // A newsletter every second Tuesday at 09:00, a nurture mail every fourth Thursday at 10:00.
  int issue = 0, step = 0;
  for (std::int64_t day = first_day; day < end_day; ++day) {
    const int wd = weekday(day);
    const std::int64_t week = (day - first_day) / 7;
    if (wd == 1 && week % 2 == 0) {
      const Civil c = civil_from_days(day);
      char prefix[32];
      std::snprintf(prefix, sizeof prefix,
                    "Newsletter %04lld-%02u: ", static_cast<long long>(c.year), c.month);
      calendar.campaigns.push_back(
          {day * kDay + 9 * kHour, prefix + std::string(topics[issue++ % topics.size()])});
    }
    if (wd == 3 && week % 4 == 1) {
      calendar.campaigns.push_back({day * kDay + 10 * kHour, nurture[step++ % nurture.size()]});
    }
  }
  // A webinar every five weeks, on Wednesdays at 15:00.
  int held = 0;
  for (std::int64_t day = first_day + 9; day < end_day; day += 35) {
    const std::int64_t wednesday = day + ((2 - weekday(day)) + 7) % 7;
    if (wednesday >= end_day) break;
    calendar.webinars.push_back({wednesday * kDay + 15 * kHour,
                                 webinar_titles[held % webinar_titles.size()],
                                 held % 3 == 0 ? 60 : 45});
    ++held;
  }
  return calendar;
}

}  // namespace leadscore::demo
