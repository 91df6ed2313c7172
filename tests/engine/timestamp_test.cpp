// parse_timestamp / format_timestamp. Expected epoch values were checked with GNU date, e.g.
// `date -u -d 2026-06-30 +%s%3N`.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "engine/text.hpp"
#include "leadscore/value.hpp"

using leadscore::format_timestamp;
using leadscore::parse_timestamp;
using leadscore::Timestamp;

namespace {
constexpr Timestamp day_ms = 86'400'000;
constexpr Timestamp june_30_2026 = 1'782'777'600'000;  // 2026-06-30T00:00:00Z
}  // namespace

TEST_SUITE("timestamp") {
  TEST_CASE("dates and UTC times") {
    CHECK(parse_timestamp("1970-01-01") == Timestamp(0));
    CHECK(parse_timestamp("2026-06-30") == june_30_2026);
    CHECK(parse_timestamp("2026-06-30T00:00:00Z") == june_30_2026);
    CHECK(parse_timestamp("2026-06-30T10:00:00Z") == Timestamp(1'782'813'600'000));
    CHECK(parse_timestamp("2026-06-30T23:59:59Z") == june_30_2026 + day_ms - 1000);
    CHECK(parse_timestamp("2000-03-01") == Timestamp(951'868'800'000));
    CHECK(parse_timestamp("9999-12-31T23:59:59.999Z") == Timestamp(253'402'300'799'999));
  }

  TEST_CASE("separator and zone letters are case-insensitive; a space may replace T") {
    const Timestamp ten = 1'782'813'600'000;
    CHECK(parse_timestamp("2026-06-30t10:00:00z") == ten);
    CHECK(parse_timestamp("2026-06-30 10:00:00Z") == ten);
    CHECK(parse_timestamp("2026-06-30T10:00:00z") == ten);
  }

  TEST_CASE("offsets are subtracted to get UTC") {
    CHECK(parse_timestamp("2026-06-30T10:00:00+02:00") == Timestamp(1'782'806'400'000));
    CHECK(parse_timestamp("2026-06-30T10:00:00-05:30") == Timestamp(1'782'833'400'000));
    CHECK(parse_timestamp("2026-06-30T10:00:00+00:00") == parse_timestamp("2026-06-30T10:00:00Z"));
    CHECK(parse_timestamp("2026-06-30T10:00:00-00:00") == parse_timestamp("2026-06-30T10:00:00Z"));
    // An offset can move the instant to another day.
    CHECK(parse_timestamp("2026-07-01T01:00:00+02:00") == parse_timestamp("2026-06-30T23:00:00Z"));
    CHECK(parse_timestamp("2026-06-30T22:00:00-03:00") == parse_timestamp("2026-07-01T01:00:00Z"));
    CHECK(parse_timestamp("2026-06-30T10:00:00+23:59").has_value());
  }

  TEST_CASE("fractional seconds keep milliseconds and truncate the rest") {
    CHECK(parse_timestamp("2026-06-30T00:00:00.25Z") == june_30_2026 + 250);
    CHECK(parse_timestamp("2026-06-30T00:00:00.1Z") == june_30_2026 + 100);
    CHECK(parse_timestamp("2026-06-30T00:00:00.007Z") == june_30_2026 + 7);
    CHECK(parse_timestamp("2026-06-30T00:00:00.123456789Z") == june_30_2026 + 123);
    CHECK(parse_timestamp("2026-06-30T00:00:00.9999Z") == june_30_2026 + 999);
    CHECK(parse_timestamp("2026-06-30T00:00:00.000Z") == june_30_2026);
    CHECK(parse_timestamp("2026-06-30T02:00:00.5+02:00") == june_30_2026 + 500);
  }

  TEST_CASE("surrounding white space is ignored") {
    CHECK(parse_timestamp("  2026-06-30\n") == june_30_2026);
    CHECK(parse_timestamp("\t2026-06-30T00:00:00Z \r\n") == june_30_2026);
  }

  TEST_CASE("leap years") {
    CHECK(parse_timestamp("2024-02-29") == Timestamp(1'709'164'800'000));
    CHECK(parse_timestamp("2000-02-29") == Timestamp(951'782'400'000));
    CHECK(parse_timestamp("1600-02-29") == Timestamp(-11'670'998'400'000));
    CHECK_FALSE(parse_timestamp("2026-02-29"));
    CHECK_FALSE(parse_timestamp("1900-02-29"));  // divisible by 100, not by 400
    CHECK_FALSE(parse_timestamp("2100-02-29"));
    CHECK(parse_timestamp("2024-03-01") == *parse_timestamp("2024-02-29") + day_ms);
    CHECK(parse_timestamp("2026-03-01") == *parse_timestamp("2026-02-28") + day_ms);
  }

  TEST_CASE("out-of-range fields are rejected") {
    CHECK_FALSE(parse_timestamp("2026-00-10"));
    CHECK_FALSE(parse_timestamp("2026-13-01"));
    CHECK_FALSE(parse_timestamp("2026-06-00"));
    CHECK_FALSE(parse_timestamp("2026-04-31"));
    CHECK_FALSE(parse_timestamp("2026-01-32"));
    CHECK_FALSE(parse_timestamp("2026-06-30T24:00:00Z"));
    CHECK_FALSE(parse_timestamp("2026-06-30T10:60:00Z"));
    CHECK_FALSE(parse_timestamp("2026-06-30T23:59:60Z"));  // leap seconds are rejected
    CHECK_FALSE(parse_timestamp("2026-06-30T10:00:00+24:00"));
    CHECK_FALSE(parse_timestamp("2026-06-30T10:00:00+02:60"));
    CHECK(parse_timestamp("2026-04-30").has_value());
    CHECK(parse_timestamp("2026-12-31T23:59:59Z").has_value());
  }

  TEST_CASE("malformed text is rejected") {
    for (const char* bad : {
             "",
             "   ",
             "2026",
             "2026-06",
             "2026-6-30",
             "2026-06-3",
             "26-06-30",
             "+2026-06-30",
             "2026/06/30",
             "2026-06-30x",
             "2026-06-30T",
             "2026-06-30T10:00Z",             // seconds are required
             "2026-06-30T10:00:00",           // so is a zone
             "2026-06-30T10:00:00Zx",         // trailing garbage
             "2026-06-30T10:00:00Z Z",        //
             "2026-06-30T10:00:00.Z",         // a point needs digits
             "2026-06-30T10:00:00,5Z",        // comma fractions are not RFC 3339
             "2026-06-30T10:00:00+0200",      // offsets need the colon
             "2026-06-30T10:00:00+02",        //
             "2026-06-30T10:00:00UTC",        //
             "2026-06-30  10:00:00Z",         // one separator only
             "2026-06-30_10:00:00Z",          //
             "2026-06-30T1:00:00Z",           //
             "2026-06-30T10:00:00.123+2:00",  //
             "today",
         }) {
      CAPTURE(bad);
      CHECK_FALSE(parse_timestamp(bad));
    }
  }

  TEST_CASE("before 1970") {
    CHECK(parse_timestamp("1969-12-31T23:59:59.999Z") == Timestamp(-1));
    CHECK(parse_timestamp("1969-12-31") == -day_ms);
    CHECK(parse_timestamp("1900-01-01") == Timestamp(-2'208'988'800'000));
    CHECK(parse_timestamp("0000-01-01") == Timestamp(-62'167'219'200'000));
    CHECK(format_timestamp(-1) == "1969-12-31T23:59:59.999Z");
    CHECK(format_timestamp(-1000) == "1969-12-31T23:59:59Z");
    CHECK(format_timestamp(-day_ms) == "1969-12-31T00:00:00Z");
    CHECK(format_timestamp(-2'208'988'800'000) == "1900-01-01T00:00:00Z");
    CHECK(format_timestamp(-62'167'219'200'000) == "0000-01-01T00:00:00Z");
  }

  TEST_CASE("formatting") {
    CHECK(format_timestamp(0) == "1970-01-01T00:00:00Z");
    CHECK(format_timestamp(1'782'813'600'000) == "2026-06-30T10:00:00Z");
    CHECK(format_timestamp(1'782'813'600'250) == "2026-06-30T10:00:00.250Z");
    CHECK(format_timestamp(1'782'813'600'007) == "2026-06-30T10:00:00.007Z");
    CHECK(format_timestamp(1'709'164'800'000) == "2024-02-29T00:00:00Z");
    CHECK(format_timestamp(253'402'300'799'999) == "9999-12-31T23:59:59.999Z");
    // An offset is not kept: output is always UTC.
    CHECK(format_timestamp(*parse_timestamp("2026-06-30T10:00:00+02:00")) ==
          "2026-06-30T08:00:00Z");
  }

  TEST_CASE("extreme values format without crashing") {
    const std::string low = format_timestamp(std::numeric_limits<Timestamp>::min());
    const std::string high = format_timestamp(std::numeric_limits<Timestamp>::max());
    CHECK(low.front() == '-');
    CHECK(low.back() == 'Z');
    CHECK(high.back() == 'Z');
  }

  TEST_CASE("every day from 1600 to 2400 round-trips and follows the previous one") {
    const Timestamp first = *parse_timestamp("1600-01-01");
    const Timestamp last = *parse_timestamp("2400-12-31");
    std::string previous;
    for (Timestamp t = first; t <= last; t += day_ms) {
      const std::string text = format_timestamp(t);
      if (text.size() != 20) FAIL("unexpected length: " << text);
      if (parse_timestamp(text.substr(0, 10)) != t) FAIL("day does not round-trip: " << text);
      if (text <= previous) FAIL("days out of order: " << previous << " then " << text);
      previous = text;
    }
    // 801 years: two 400-year cycles of 146 097 days, plus the leap year 2400.
    CHECK((last - first) / day_ms + 1 == 2 * 146'097 + 366);
  }

  TEST_CASE("millisecond instants round-trip, before and after 1970") {
    const Timestamp lowest = -62'167'219'200'000;   // 0000-01-01
    const Timestamp highest = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z
    const Timestamp step = 987'654'321'013;         // odd, so every field varies
    for (Timestamp t = lowest; t <= highest; t += step / 97) {
      const std::optional<Timestamp> back = parse_timestamp(format_timestamp(t));
      if (back != t) FAIL("instant does not round-trip: " << t << " " << format_timestamp(t));
    }
  }
}
