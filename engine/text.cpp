#include "engine/text.hpp"

#include "leadscore/escape.hpp"

#include <cstring>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace leadscore::text {

namespace {

// ASCII only, on purpose: <cctype> would consult the C locale and could fold bytes >= 0x80,
// corrupting UTF-8.
char fold(char c) {
  return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

bool same_folded(char a, char b) {
  return fold(a) == fold(b);
}

// Byte-wise equality of two equally long strings, ignoring ASCII case.
bool equal_folded_raw(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), same_folded);
}

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

}  // namespace

void lower_into(std::string_view in, std::string& out) {
  // resize() keeps the existing buffer when it is large enough, so a reused `out` never allocates.
  out.resize(in.size());
  std::transform(in.begin(), in.end(), out.begin(), fold);
}

std::string lower(std::string_view in) {
  std::string out;
  lower_into(in, out);
  return out;
}

bool equals_folded(std::string_view a, std::string_view b) {
  return equal_folded_raw(trim(a), trim(b));
}

bool contains_folded(std::string_view haystack, std::string_view needle) {
  haystack = trim(haystack);
  needle = trim(needle);
  // The explicit empty check matters: "" is contained in every string, even in "".
  if (needle.empty()) return true;
  if (needle.size() > haystack.size()) return false;
  const char lower = fold(needle.front());
  const std::string_view rest = needle.substr(1);
  const std::size_t last_start = haystack.size() - needle.size();
  if (haystack.size() < 64) {
    // Short values (URLs, titles, form names) are most of what rules test: a plain loop beats
    // the library calls below.
    for (std::size_t i = 0; i <= last_start; ++i) {
      if (fold(haystack[i]) == lower && equal_folded_raw(haystack.substr(i + 1, rest.size()), rest))
        return true;
    }
    return false;
  }
  // Long values: jump between candidates for the first byte with memchr (for both of its
  // cases), then compare the rest in place. Quadratic in the worst case, which is fine for
  // CRM fields.
  const char upper = (lower >= 'a' && lower <= 'z') ? char(lower - 'a' + 'A') : lower;
  const char* p = haystack.data();
  const char* const last = haystack.data() + last_start;
  while (p <= last) {
    std::size_t span = std::size_t(last - p) + 1;
    const char* a = static_cast<const char*>(std::memchr(p, lower, span));
    const char* b =
        upper == lower ? nullptr : static_cast<const char*>(std::memchr(p, upper, span));
    const char* candidate = !a ? b : (!b ? a : std::min(a, b));
    if (!candidate) return false;
    if (equal_folded_raw(std::string_view(candidate + 1, rest.size()), rest)) return true;
    p = candidate + 1;
  }
  return false;
}

bool starts_with_folded(std::string_view text, std::string_view prefix) {
  text = trim(text);
  prefix = trim(prefix);
  return prefix.size() <= text.size() && equal_folded_raw(text.substr(0, prefix.size()), prefix);
}

bool ends_with_folded(std::string_view text, std::string_view suffix) {
  text = trim(text);
  suffix = trim(suffix);
  return suffix.size() <= text.size() &&
         equal_folded_raw(text.substr(text.size() - suffix.size()), suffix);
}

std::size_t utf8_length(std::string_view s) {
  // Every code point has exactly one byte that is not a continuation byte (10xxxxxx).
  return std::size_t(std::count_if(
      s.begin(), s.end(), [](char c) { return !is_continuation(static_cast<unsigned char>(c)); }));
}

std::optional<Utf8Error> find_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // For each lead byte: the sequence length and the range allowed for the second byte. The
    // narrowed second-byte ranges are what exclude overlong forms (E0, F0), surrogates (ED) and
    // code points above U+10FFFF (F4). C0, C1 and F5..FF can only start overlong or
    // out-of-range sequences, and 80..BF cannot start one at all.
    std::size_t length = 0;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) second_min = 0xA0;
      if (lead == 0xED) second_max = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) second_min = 0x90;
      if (lead == 0xF4) second_max = 0x8F;
    } else {
      return Utf8Error{i};
    }
    if (s.size() - i < length) return Utf8Error{i};  // truncated at the end of the text
    const auto second = static_cast<unsigned char>(s[i + 1]);
    if (second < second_min || second > second_max) return Utf8Error{i};
    for (std::size_t k = 2; k < length; ++k) {
      if (!is_continuation(static_cast<unsigned char>(s[i + k]))) return Utf8Error{i};
    }
    i += length;
  }
  return std::nullopt;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Dynamic programming over prefixes, keeping only the three rows the recurrence needs:
  // row i holds the distances between a[0, i) and every prefix of b.
  const std::size_t n = b.size();
  std::vector<std::size_t> before_previous(n + 1);
  std::vector<std::size_t> previous(n + 1);
  std::vector<std::size_t> current(n + 1);
  for (std::size_t j = 0; j <= n; ++j) previous[j] = j;  // from the empty prefix of a: inserts
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;  // to the empty prefix of b: deletes
    for (std::size_t j = 1; j <= n; ++j) {
      const std::size_t substitution = same_folded(a[i - 1], b[j - 1]) ? 0 : 1;
      std::size_t best = std::min({previous[j] + 1,                   // delete a[i-1]
                                   current[j - 1] + 1,                // insert b[j-1]
                                   previous[j - 1] + substitution});  // keep or replace
      if (i > 1 && j > 1 && same_folded(a[i - 1], b[j - 2]) && same_folded(a[i - 2], b[j - 1])) {
        best = std::min(best, before_previous[j - 2] + 1);  // swap two neighbours
      }
      current[j] = best;
    }
    std::swap(before_previous, previous);
    std::swap(previous, current);
  }
  return previous[n];
}

std::optional<std::string> closest_name(std::string_view wrong,
                                        const std::vector<std::string>& candidates) {
  // Allowing a third of the name's length keeps short names from matching unrelated ones (`url`
  // is not a typo of `ip`), and the cap of 3 keeps long names from matching almost anything.
  const std::size_t allowed = std::min<std::size_t>(3, std::max<std::size_t>(1, wrong.size() / 3));
  const std::string* best = nullptr;
  std::size_t best_distance = allowed + 1;
  for (const std::string& candidate : candidates) {
    if (candidate == wrong) continue;
    // The distance is at least the length difference: skip hopeless candidates cheaply.
    const std::size_t gap = candidate.size() > wrong.size() ? candidate.size() - wrong.size()
                                                            : wrong.size() - candidate.size();
    if (gap >= best_distance) continue;
    const std::size_t distance = edit_distance(wrong, candidate);
    if (distance < best_distance) {  // strict: on a tie the earlier candidate stays
      best = &candidate;
      best_distance = distance;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

std::string format_number(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
  // std::to_chars, unlike printf, never uses a locale's decimal comma.
  char buffer[64];
  std::to_chars_result result;
  if (std::fabs(x) < 1e15) {
    result = std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::fixed, 6);
  } else {
    // Too large for 6 meaningful decimals: the shortest text that reads back as the same double.
    result = std::to_chars(buffer, buffer + sizeof buffer, x);
  }
  std::string out(buffer, result.ptr);
  if (out.find('.') != std::string::npos && out.find('e') == std::string::npos) {
    out.erase(out.find_last_not_of('0') + 1);
    if (out.back() == '.') out.pop_back();
  }
  // Also covers tiny negatives such as -1e-9, which print as -0.000000 before trimming.
  if (out == "-0") return std::string(1, '0');
  return out;
}

double round2(double x) {
  // Beyond 2^52 every double is a whole number already, and `x * 100` could overflow.
  if (!(std::fabs(x) < 4503599627370496.0)) return x;
  return std::round(x * 100) / 100;
}

}  // namespace leadscore::text

namespace leadscore {
namespace {

void append_hex(std::string& out, unsigned value) {
  static constexpr char digits[] = "0123456789abcdef";
  out += "\\x";
  out += digits[(value >> 4) & 0xF];
  out += digits[value & 0xF];
}

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 if there is none.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  if (lead < 0xC2 || lead > 0xF4 || i + length > s.size()) return 0;
  // The same table as find_invalid_utf8: one well-formed character.
  if (text::find_invalid_utf8(s.substr(i, length))) return 0;
  return length;
}

}  // namespace

std::string escape_controls(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += char(c);
      ++i;
    } else if (c == '\t') {
      out += "\\t", ++i;
    } else if (c == '\n') {
      out += "\\n", ++i;
    } else if (c == '\r') {
      out += "\\r", ++i;
    } else if (c < 0x80) {
      append_hex(out, c), ++i;  // the other C0 controls and DEL
    } else if (std::size_t length = utf8_sequence(s, i)) {
      // U+0080..U+009F (C2 80..C2 9F) are the C1 controls, CSI (U+009B) among them.
      if (c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
        append_hex(out, static_cast<unsigned char>(s[i + 1]));
      } else {
        out.append(s.substr(i, length));
      }
      i += length;
    } else {
      append_hex(out, c), ++i;  // not UTF-8: a terminal in an 8-bit mode could act on it
    }
  }
  return out;
}

}  // namespace leadscore
