// Day arithmetic and date/time text for the demo generator. Dates are whole days since
// 1970-01-01 and times whole seconds since then, all UTC, so that no time zone database and no
// C library clock function (whose behaviour varies between systems) can change the output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tools/demo/rng.hpp"

namespace leadscore::demo {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kHour = 3600;

struct Civil {
  std::int64_t year;
  unsigned month, day;
};

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
Civil civil_from_days(std::int64_t z);

// Division rounding towards minus infinity (for times before 1970, too).
std::int64_t floor_div(std::int64_t a, std::int64_t b);

// 0 = Monday ... 6 = Sunday.
int weekday(std::int64_t day);

// "2026-03-01".
std::string format_date(std::int64_t day);
// "2026-03-01 14:05:09", read as UTC by the importer.
std::string format_time(std::int64_t ts);
// A day from "YYYY-MM-DD" (years 1980 to 2200); nothing for malformed or impossible dates.
std::optional<std::int64_t> parse_date(std::string_view text);

// A time of day in seconds, mostly in office hours.
std::int64_t office_time(Rng& rng);

}  // namespace leadscore::demo
