// Calendar arithmetic and date/time text of the demo generator (see dates.hpp).
#include "tools/demo/dates.hpp"

#include <cstdio>

namespace leadscore::demo {

// H. Hinnant's algorithm.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}

int weekday(std::int64_t day) {
  return static_cast<int>(((day % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
}

std::string format_date(std::int64_t day) {
  const Civil c = civil_from_days(day);
  char text[32];
  std::snprintf(text, sizeof text, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month,
                c.day);
  return text;
}

std::string format_time(std::int64_t ts) {
  const std::int64_t day = floor_div(ts, kDay);
  const std::int64_t second = ts - day * kDay;
  char text[16];
  std::snprintf(text, sizeof text, " %02d:%02d:%02d", static_cast<int>(second / 3600),
                static_cast<int>(second / 60 % 60), static_cast<int>(second % 60));
  return format_date(day) + text;
}

std::optional<std::int64_t> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t length) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d || *y < 1980 || *y > 2200 || *m < 1 || *m > 12 || *d < 1) return std::nullopt;
  const std::int64_t day =
      days_from_civil(*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d));
  const Civil back = civil_from_days(day);  // rejects 2026-02-30 and the like
  if (back.month != static_cast<unsigned>(*m) || back.day != static_cast<unsigned>(*d)) {
    return std::nullopt;
  }
  return day;
}

std::int64_t office_time(Rng& rng) {
  static const int hour_weights[24] = {1,  1,  1,  1,  1,  2, 4, 8, 14, 16, 16, 14,
                                       10, 13, 15, 14, 11, 7, 5, 4, 3,  2,  2,  1};
  const auto hour = static_cast<std::int64_t>(rng.weighted(hour_weights, 24));
  return hour * kHour + rng.between(0, kHour - 1);
}

}  // namespace leadscore::demo
