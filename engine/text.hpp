// Small text helpers shared by the checker and the VM. All are pure functions on bytes; only
// ASCII letters are case-folded, because the language compares identifiers, e-mail domains and
// CRM values whose case rules beyond ASCII would need locale data we do not want in the engine.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadscore::text {

// Space, \t, \n, \v, \f or \r.
inline bool is_ascii_space(unsigned char c) {
  return c == ' ' || unsigned(c - '\t') <= unsigned('\r' - '\t');
}

// Drops leading and trailing ASCII white space. Inline: the VM trims both operands of every
// string comparison, and most values have nothing to drop.
inline std::string_view trim(std::string_view s) {
  std::size_t begin = 0;
  std::size_t end = s.size();
  while (begin < end && is_ascii_space(static_cast<unsigned char>(s[begin]))) ++begin;
  while (end > begin && is_ascii_space(static_cast<unsigned char>(s[end - 1]))) --end;
  return s.substr(begin, end - begin);
}

// True when `s` is empty or only white space: such a string counts as missing (spec 5.1).
inline bool is_blank(std::string_view s) {
  return trim(s).empty();
}

// Writes the ASCII lower-case form of `in` into `out`, replacing its contents. Bytes >= 0x80 are
// copied unchanged. Reuses `out`'s buffer, so a VM register does not allocate per call.
void lower_into(std::string_view in, std::string& out);
std::string lower(std::string_view in);

// The string comparisons of spec 5.2: both operands are trimmed and ASCII case is ignored.
// An operand that is empty after trimming is contained in, starts and ends every string.
bool equals_folded(std::string_view a, std::string_view b);
bool contains_folded(std::string_view haystack, std::string_view needle);  // never allocates
bool starts_with_folded(std::string_view text, std::string_view prefix);
bool ends_with_folded(std::string_view text, std::string_view suffix);

// Number of code points in `s`, which must be valid UTF-8 (see find_invalid_utf8).
std::size_t utf8_length(std::string_view s);

struct Utf8Error {
  // Byte offset where the first ill-formed sequence starts: a stray continuation byte, a byte
  // that never occurs in UTF-8, or the lead byte of an overlong, surrogate, out-of-range or
  // truncated sequence.
  std::size_t offset;
};

// Strict UTF-8 validation (Unicode table 3-7). Returns nothing when `s` is well formed.
std::optional<Utf8Error> find_invalid_utf8(std::string_view s);

// Damerau-Levenshtein distance in its "optimal string alignment" form (insert, delete,
// substitute or swap two adjacent bytes, each costing 1), ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The "did you mean" hint: the candidate closest to `wrong`, if its distance is at most
// max(1, wrong.size() / 3) and at most 3. Ties go to the earliest candidate. A candidate equal to
// `wrong` is never suggested (a case-only difference is: identifiers are case-sensitive).
std::optional<std::string> closest_name(std::string_view wrong,
                                        const std::vector<std::string>& candidates);

// Text of a number for reports: `15`, `-20`, `4.89`, `0.977159` (at most 6 decimals, trailing
// zeros dropped); `-0` prints as `0`; `nan`, `inf`, `-inf`. Independent of the C locale.
std::string format_number(double x);

// Rounds to 2 decimals exactly as spec 4.4 says: round(x * 100) / 100 in IEEE doubles, half away
// from zero, with the double's own quirks: 1.005 * 100 is 100.49999999999999, so round2(1.005)
// is 1, while 4.885 * 100 rounds to exactly 488.5, so round2(4.885) is 4.89.
double round2(double x);

}  // namespace leadscore::text
