// RFC 3339 timestamps <-> milliseconds since the Unix epoch (UTC).
//
// Accepted (after trimming surrounding white space):
//   2026-06-30                      a bare date: midnight UTC
//   2026-06-30T10:00:00Z            `T` may also be `t` or one space; `Z` may be `z`
//   2026-06-30T10:00:00.25+02:00    any number of fractional digits; milliseconds are kept and
//                                   finer digits truncated (not rounded), so a timestamp never
//                                   moves into the next second
// A date with a time must have seconds and a zone (`Z` or `+hh:mm` / `-hh:mm`): without a zone
// the instant would be ambiguous. `-00:00` is read as UTC.
//
// Leap seconds: a seconds field of 60 is rejected. Unix time has no leap seconds, systems that
// produce event data from Unix clocks never write one, and silently moving it to :59 would be
// a guess.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "engine/text.hpp"
#include "leadscore/value.hpp"

namespace leadscore {

namespace {

constexpr std::int64_t ms_per_minute = 60'000;
constexpr std::int64_t ms_per_day = 86'400'000;

// Days in one 400-year Gregorian cycle: the calendar repeats exactly after it.
constexpr std::int64_t days_per_cycle = 146'097;
// Days from 0000-03-01 (the origin of the March-based count below) to 1970-01-01.
constexpr std::int64_t days_from_origin_to_epoch = 719'468;

// Division rounding toward negative infinity, so times before 1970 land on the right day.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool is_leap_year(int year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int days_in_month(int year, int month) {
  static constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : lengths[month - 1];
}

// Day number of a Gregorian date, 0 = 1970-01-01 (after H. Hinnant's days_from_civil). The trick
// is to count years from March: February, with its leap day, then ends the year, so the month
// lengths before any date do not depend on whether the year is a leap year.
std::int64_t days_from_civil(std::int64_t year, int month, int day) {
  const std::int64_t march_year = month <= 2 ? year - 1 : year;  // Jan and Feb close the year
  const std::int64_t cycle = floor_div(march_year, 400);
  const std::int64_t year_of_cycle = march_year - cycle * 400;     // 0..399
  const int month_from_march = month > 2 ? month - 3 : month + 9;  // 0 = March .. 11 = February
  // Month lengths from March run 31 30 31 30 31 31 30 31 30 31 31 (28/29): (153 m + 2) / 5
  // gives the days before month m of that sequence.
  const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + (day - 1);
  const std::int64_t day_of_cycle =
      year_of_cycle * 365 + year_of_cycle / 4 - year_of_cycle / 100 + day_of_year;
  return cycle * days_per_cycle + day_of_cycle - days_from_origin_to_epoch;
}

struct CivilDate {
  std::int64_t year;
  int month;
  int day;
};

// The inverse of days_from_civil.
CivilDate civil_from_days(std::int64_t days) {
  const std::int64_t since_origin = days + days_from_origin_to_epoch;
  const std::int64_t cycle = floor_div(since_origin, days_per_cycle);
  const std::int64_t day_of_cycle = since_origin - cycle * days_per_cycle;  // 0..146096
  // Remove the leap days accumulated so far (one per 4 years, minus one per 100, plus the one
  // on the last day of the cycle) so that every year is 365 days long, then divide.
  const std::int64_t year_of_cycle =
      (day_of_cycle - day_of_cycle / 1460 + day_of_cycle / 36524 - day_of_cycle / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_cycle - (year_of_cycle * 365 + year_of_cycle / 4 - year_of_cycle / 100);  // 0..365
  const int month_from_march = int((5 * day_of_year + 2) / 153);  // inverse of (153 m + 2) / 5
  const int day = int(day_of_year - (153 * month_from_march + 2) / 5) + 1;
  const int month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
  const std::int64_t year = cycle * 400 + year_of_cycle + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

// A cursor over the text being parsed; every reader fails rather than skipping anything.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ == text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  bool accept(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }

  // Exactly `count` ASCII digits (std::isdigit would depend on the locale).
  bool digits(int count, int& value) {
    value = 0;
    for (int k = 0; k < count; ++k) {
      const char c = peek();
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
      ++pos_;
    }
    return true;
  }

  // One or more digits after a decimal point, as milliseconds; digits past the third are
  // checked but dropped.
  bool fraction_millis(int& millis) {
    millis = 0;
    int seen = 0;
    while (peek() >= '0' && peek() <= '9') {
      if (seen < 3) millis = millis * 10 + (peek() - '0');
      ++seen;
      ++pos_;
    }
    for (int k = seen; k < 3; ++k) millis *= 10;  // ".25" is 250 ms
    return seen > 0;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// A zone designator, as minutes east of UTC.
std::optional<int> read_offset(Reader& in) {
  if (in.accept('Z') || in.accept('z')) return 0;
  int sign = 0;
  if (in.accept('+')) {
    sign = 1;
  } else if (in.accept('-')) {
    sign = -1;
  } else {
    return std::nullopt;
  }
  int hours = 0;
  int minutes = 0;
  if (!in.digits(2, hours) || !in.accept(':') || !in.digits(2, minutes)) return std::nullopt;
  if (hours > 23 || minutes > 59) return std::nullopt;
  return sign * (hours * 60 + minutes);
}

}  // namespace

std::optional<Timestamp> parse_timestamp(std::string_view text) {
  Reader in(text::trim(text));

  int year = 0;
  int month = 0;
  int day = 0;
  if (!in.digits(4, year) || !in.accept('-') || !in.digits(2, month) || !in.accept('-') ||
      !in.digits(2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  const std::int64_t midnight = days_from_civil(year, month, day) * ms_per_day;
  if (in.at_end()) return midnight;

  if (!(in.accept('T') || in.accept('t') || in.accept(' '))) return std::nullopt;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!in.digits(2, hour) || !in.accept(':') || !in.digits(2, minute) || !in.accept(':') ||
      !in.digits(2, second)) {
    return std::nullopt;
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;  // 60: see the file comment
  int millis = 0;
  if (in.accept('.') && !in.fraction_millis(millis)) return std::nullopt;
  const std::optional<int> offset_minutes = read_offset(in);
  if (!offset_minutes || !in.at_end()) return std::nullopt;

  const std::int64_t local_ms =
      (std::int64_t(hour) * 60 + minute) * ms_per_minute + std::int64_t(second) * 1000 + millis;
  // Local time = UTC + offset, so UTC = local time - offset.
  return midnight + local_ms - std::int64_t(*offset_minutes) * ms_per_minute;
}

std::string format_timestamp(Timestamp ts) {
  // Split with floor division: -1 ms is 1969-12-31T23:59:59.999Z, not a negative time of day.
  // (The remainder is taken directly: days * ms_per_day can overflow for the extreme values.)
  const std::int64_t days = floor_div(ts, ms_per_day);
  std::int64_t ms_of_day = ts % ms_per_day;
  if (ms_of_day < 0) ms_of_day += ms_per_day;  // now 0..86'399'999
  const CivilDate date = civil_from_days(days);
  const int hour = int(ms_of_day / 3'600'000);
  const int minute = int(ms_of_day / ms_per_minute % 60);
  const int second = int(ms_of_day / 1000 % 60);
  const int millis = int(ms_of_day % 1000);

  // Years outside 0000..9999 cannot be written in RFC 3339; they are printed as they are (with a
  // sign when negative) rather than wrapped, and parse_timestamp will not read them back.
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02dT%02d:%02d:%02d",
                static_cast<long long>(date.year), date.month, date.day, hour, minute, second);
  std::string out = buffer;
  if (millis != 0) {
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, ".%03d", millis);
    out += fraction;
  }
  out += 'Z';
  return out;
}

}  // namespace leadscore
