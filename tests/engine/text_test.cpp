#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "engine/text.hpp"
#include "leadscore/value.hpp"

namespace text = leadscore::text;

TEST_SUITE("text") {
  TEST_CASE("trim and is_blank") {
    CHECK(text::trim(" \t\r\n\f\vabc \v") == "abc");
    CHECK(text::trim("a b") == "a b");
    CHECK(text::trim("") == "");
    CHECK(text::trim("   ") == "");
    // A no-break space (U+00A0) is not ASCII white space.
    CHECK(text::trim("\xC2\xA0x") == "\xC2\xA0x");
    CHECK(text::is_blank(""));
    CHECK(text::is_blank(" \t\n"));
    CHECK_FALSE(text::is_blank(" x "));
  }

  TEST_CASE("lower-casing folds ASCII only") {
    CHECK(text::lower("HeLLo World_42") == "hello world_42");
    CHECK(text::lower("\xC3\x84"
                      "B") ==
          "\xC3\x84"
          "b");  // "ÄB" -> "Äb"
    CHECK(text::lower("") == "");
  }

  TEST_CASE("lower_into replaces the contents and reuses the buffer") {
    std::string out = "a much longer previous content";
    out.reserve(64);
    const char* buffer = out.data();
    text::lower_into("ABC", out);
    CHECK(out == "abc");
    text::lower_into("Energy Sector", out);
    CHECK(out == "energy sector");
    CHECK(out.data() == buffer);
  }

  TEST_CASE("equals_folded") {
    CHECK(text::equals_folded("  Energy ", "energy"));
    CHECK(text::equals_folded("MANUFACTURING", "manufacturing\n"));
    CHECK(text::equals_folded("", "   "));
    CHECK_FALSE(text::equals_folded("energy", "energies"));
    CHECK_FALSE(text::equals_folded("a b", "ab"));
    CHECK_FALSE(text::equals_folded("\xC3\x84", "\xC3\xA4"));  // Ä vs ä: not ASCII
  }

  TEST_CASE("contains_folded") {
    CHECK(text::contains_folded("  https://x.io/Pricing/enterprise ", "/pricing"));
    CHECK(text::contains_folded("abc", " B "));  // the needle is trimmed too
    CHECK(text::contains_folded("abc", "ABC"));
    CHECK(text::contains_folded("abc", ""));
    CHECK(text::contains_folded("", ""));
    CHECK_FALSE(text::contains_folded("", "a"));
    CHECK_FALSE(text::contains_folded("ab", "abc"));
    CHECK_FALSE(text::contains_folded("a b", "ab"));
    // A space inside the needle is kept; only its ends are trimmed.
    CHECK(text::contains_folded("Head of Sales", " of s"));
  }

  TEST_CASE("contains_folded agrees with a plain search on short and long texts") {
    // Texts under 64 bytes take a loop, longer ones memchr: both must find the needle at
    // every position, in either case, and miss a near-miss.
    auto naive = [](std::string hay, std::string needle) {
      for (auto* s : {&hay, &needle}) {
        for (char& c : *s) c = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
      }
      return hay.find(needle) != std::string::npos;
    };
    for (std::size_t length : {8u, 40u, 63u, 64u, 65u, 200u}) {
      for (std::size_t at = 0; at + 4 <= length; at += 3) {
        std::string hay(length, 'x');
        hay.replace(at, 4, at % 2 ? "PrIc" : "pric");
        CAPTURE(length);
        CAPTURE(at);
        CHECK(text::contains_folded(hay, "pRiC"));
        CHECK(text::contains_folded(hay, "pric") == naive(hay, "pric"));
        CHECK_FALSE(text::contains_folded(hay, "price"));
        CHECK(text::contains_folded(hay, "xpri") == naive(hay, "xpri"));
      }
    }
  }

  TEST_CASE("starts_with_folded and ends_with_folded") {
    CHECK(text::starts_with_folded("  Chief Executive", "chief"));
    CHECK(text::starts_with_folded(" Hello ", " he"));
    CHECK(text::starts_with_folded("abc", ""));
    CHECK_FALSE(text::starts_with_folded("ab", "abc"));
    CHECK_FALSE(text::starts_with_folded("xabc", "abc"));
    CHECK(text::ends_with_folded("jane@Example.COM  ", "@example.com"));
    CHECK(text::ends_with_folded("Hello", "LO "));
    CHECK(text::ends_with_folded("abc", " "));
    CHECK_FALSE(text::ends_with_folded("bc", "abc"));
    CHECK_FALSE(text::ends_with_folded("abcx", "abc"));
  }

  TEST_CASE("utf8_length counts code points") {
    CHECK(text::utf8_length("") == 0);
    CHECK(text::utf8_length("hello") == 5);
    CHECK(text::utf8_length("h\xC3\xA9llo") == 5);  // héllo
    CHECK(text::utf8_length("\xE2\x82\xAC"
                            "1") == 2);                 // €1
    CHECK(text::utf8_length("\xF0\x9D\x84\x9E") == 1);  // U+1D11E
  }

  TEST_CASE("well-formed UTF-8 is accepted") {
    CHECK_FALSE(text::find_invalid_utf8(""));
    CHECK_FALSE(text::find_invalid_utf8("plain ascii"));
    CHECK_FALSE(text::find_invalid_utf8("\xC2\x80"));                   // U+0080, smallest 2-byte
    CHECK_FALSE(text::find_invalid_utf8("h\xC3\xA9llo"));               // é
    CHECK_FALSE(text::find_invalid_utf8("\xE0\xA0\x80"));               // U+0800, smallest 3-byte
    CHECK_FALSE(text::find_invalid_utf8("\xE2\x82\xAC"));               // €
    CHECK_FALSE(text::find_invalid_utf8("\xED\x9F\xBF"));               // U+D7FF, below surrogates
    CHECK_FALSE(text::find_invalid_utf8("\xEE\x80\x80"));               // U+E000, above surrogates
    CHECK_FALSE(text::find_invalid_utf8("\xEF\xBF\xBF"));               // U+FFFF
    CHECK_FALSE(text::find_invalid_utf8("\xF0\x90\x80\x80"));           // U+10000, smallest 4-byte
    CHECK_FALSE(text::find_invalid_utf8("\xF4\x8F\xBF\xBF"));           // U+10FFFF, the largest
    CHECK_FALSE(text::find_invalid_utf8(std::string_view("a\0b", 3)));  // NUL is valid
  }

  TEST_CASE("ill-formed UTF-8 reports where the bad sequence starts") {
    auto offset = [](std::string_view s) {
      const auto error = text::find_invalid_utf8(s);
      return error ? static_cast<long>(error->offset) : -1L;
    };
    CHECK(offset("a\xC0\x80") == 1);         // overlong NUL
    CHECK(offset("\xC1\xBF") == 0);          // overlong U+007F
    CHECK(offset("\xE0\x80\x80") == 0);      // overlong 3-byte form
    CHECK(offset("\xE0\x9F\xBF") == 0);      // overlong U+07FF
    CHECK(offset("\xF0\x8F\xBF\xBF") == 0);  // overlong U+FFFF
    CHECK(offset("\xED\xA0\x80") == 0);      // surrogate U+D800
    CHECK(offset("ok \xED\xBF\xBF") == 3);   // surrogate U+DFFF
    CHECK(offset("ab\xE2\x82") == 2);        // truncated at the end
    CHECK(offset("\xE2\x82x") == 0);         // interrupted by ASCII
    CHECK(offset("\xC3") == 0);
    CHECK(offset("\xF0\x9D\x84") == 0);
    CHECK(offset("\xF4\x90\x80\x80") == 0);  // U+110000
    CHECK(offset("\xF5\x80\x80\x80") == 0);  // F5..FF never occur
    CHECK(offset("\xFF") == 0);
    CHECK(offset("x\x80") == 1);             // stray continuation byte
    CHECK(offset("h\xC3\xA9llo\xBF") == 6);  // after a valid é
    CHECK(offset("\xC3\xA9\xC3") == 2);
  }

  TEST_CASE("edit_distance is optimal string alignment, ignoring case") {
    CHECK(text::edit_distance("", "") == 0);
    CHECK(text::edit_distance("", "abc") == 3);
    CHECK(text::edit_distance("abc", "") == 3);
    CHECK(text::edit_distance("kitten", "sitting") == 3);
    CHECK(text::edit_distance("flaw", "lawn") == 2);
    CHECK(text::edit_distance("ca", "ac") == 1);  // one transposition
    CHECK(text::edit_distance("emplyoees", "employees") == 1);
    CHECK(text::edit_distance("emplyees", "employees") == 1);
    CHECK(text::edit_distance("Employees", "employees") == 0);
    CHECK(text::edit_distance("INDUSTRY", "industy") == 1);
    // The restricted form may not edit a transposed pair again: 3, where unrestricted
    // Damerau-Levenshtein would give 2.
    CHECK(text::edit_distance("ca", "abc") == 3);
    CHECK(text::edit_distance("abc", "ca") == 3);
  }

  TEST_CASE("closest_name") {
    const std::vector<std::string> attributes = {"industry", "employees", "job_title", "country"};
    CHECK(text::closest_name("emplyees", attributes) == "employees");
    CHECK(text::closest_name("industy", attributes) == "industry");
    CHECK(text::closest_name("job_titel", attributes) == "job_title");
    CHECK(text::closest_name("Country", attributes) == "country");  // case-only difference
    CHECK_FALSE(text::closest_name("revenue", attributes));
    CHECK_FALSE(text::closest_name("url", {"ip"}));
    CHECK_FALSE(text::closest_name("x", {"yz"}));
    CHECK(text::closest_name("x", {"y"}) == "y");  // short names still allow one edit
    CHECK_FALSE(text::closest_name("anything", {}));
  }

  TEST_CASE("closest_name limits the distance") {
    // 6 letters allow 2 edits, 5 letters only 1.
    CHECK(text::closest_name("abcdef", {"abcdxy"}) == "abcdxy");
    CHECK_FALSE(text::closest_name("abcde", {"abcxy"}));
    // Never more than 3 edits, however long the name.
    const std::string longname = "number_of_employees";
    CHECK(text::closest_name(longname, {"number_of_emxxxyees"}) == "number_of_emxxxyees");
    CHECK_FALSE(text::closest_name(longname, {"number_of_xxxxoyees"}));
  }

  TEST_CASE("closest_name: ties go to the first candidate; never the name itself") {
    CHECK(text::closest_name("cat", {"bat", "cot"}) == "bat");
    CHECK(text::closest_name("cat", {"cot", "bat"}) == "cot");
    CHECK(text::closest_name("cat", {"bat", "cat"}) == "bat");
    CHECK_FALSE(text::closest_name("employees", {"employees"}));
    CHECK(text::closest_name("employees", {"employees", "employee"}) == "employee");
    // A closer candidate later in the list still wins.
    CHECK(text::closest_name("emploees", {"employers", "employees"}) == "employees");
  }

  TEST_CASE("format_number") {
    CHECK(text::format_number(0) == "0");
    CHECK(text::format_number(15) == "15");
    CHECK(text::format_number(-20) == "-20");
    CHECK(text::format_number(4.89) == "4.89");
    CHECK(text::format_number(0.977159) == "0.977159");
    CHECK(text::format_number(0.97715949) == "0.977159");
    CHECK(text::format_number(0.1 + 0.2) == "0.3");
    CHECK(text::format_number(2.9999999) == "3");
    CHECK(text::format_number(-2.5) == "-2.5");
    CHECK(text::format_number(1234567.5) == "1234567.5");
    CHECK(text::format_number(1e-7) == "0");
    CHECK(text::format_number(-0.0) == "0");
    CHECK(text::format_number(-1e-9) == "0");
    CHECK(text::format_number(999999999999999.0) == "999999999999999");
    CHECK(text::format_number(1e15) == "1e+15");
    CHECK(text::format_number(std::nan("")) == "nan");
    CHECK(text::format_number(std::numeric_limits<double>::infinity()) == "inf");
    CHECK(text::format_number(-std::numeric_limits<double>::infinity()) == "-inf");
  }

  TEST_CASE("round2 follows IEEE double arithmetic") {
    // 4.885 * 100 rounds to exactly 488.5 in double, so it rounds up.
    CHECK(4.885 * 100 == 488.5);
    CHECK(text::round2(4.885) == 4.89);
    // 1.005 * 100 is 100.49999999999999, so it rounds down.
    CHECK(1.005 * 100 < 100.5);
    CHECK(text::round2(1.005) == 1.0);
    CHECK(text::round2(2.675) == 2.68);
    // Half away from zero, both signs.
    CHECK(text::round2(0.125) == 0.13);
    CHECK(text::round2(-0.125) == -0.13);
    CHECK(text::round2(12.345) == 12.35);
    CHECK(text::round2(15) == 15);
    CHECK(text::round2(-20) == -20);
    CHECK(text::round2(0.994999) == 0.99);
    CHECK(text::format_number(text::round2(0.9771594)) == "0.98");
  }
}
