// Values a lead's attributes and an event's properties carry, and the time type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadscore {

// Milliseconds since 1970-01-01T00:00:00Z.
using Timestamp = std::int64_t;

// Reads RFC 3339 (`2026-06-30T10:00:00Z`, `...+02:00`, fractional seconds) or a bare date
// (`2026-06-30`, midnight UTC). Returns nothing for any other text.
std::optional<Timestamp> parse_timestamp(std::string_view text);

// Formats as RFC 3339 in UTC, with milliseconds only when they are not zero.
std::string format_timestamp(Timestamp ts);

// One attribute or property value. Missing covers absent, null and blank strings (spec 5.1).
class Value {
 public:
  enum class Kind : std::uint8_t { missing, number, string, boolean, timestamp };

  Value() = default;
  static Value number(double n) { return Value(Kind::number, n, {}); }
  static Value string(std::string s) { return Value(Kind::string, 0, std::move(s)); }
  static Value boolean(bool b) { return Value(Kind::boolean, b ? 1 : 0, {}); }
  static Value timestamp(Timestamp ts) { return Value(Kind::timestamp, double(ts), {}); }

  Kind kind() const { return kind_; }
  // A blank string counts as missing, as an empty CSV cell does.
  bool is_missing() const;
  double as_number() const { return number_; }
  bool as_boolean() const { return number_ != 0; }
  Timestamp as_timestamp() const { return Timestamp(number_); }
  const std::string& as_string() const { return text_; }

  // Text for reports: numbers without trailing zeros, timestamps in RFC 3339.
  std::string to_string() const;

 private:
  Value(Kind k, double n, std::string s) : kind_(k), number_(n), text_(std::move(s)) {}
  Kind kind_ = Kind::missing;
  double number_ = 0;
  std::string text_;
};

using NamedValues = std::vector<std::pair<std::string, Value>>;

// One version of a lead's attributes; `valid_from` empty means "always" (spec 8).
struct AttributeVersion {
  std::optional<Timestamp> valid_from;
  NamedValues values;
};

struct Lead {
  std::string id;
  std::vector<AttributeVersion> versions;
};

struct Event {
  std::string type;
  Timestamp ts = 0;
  NamedValues properties;
};

// Picks the attribute version in force at `as_of`: the latest valid at or before it, or the
// one without a start time. Returns nullptr when none applies.
const AttributeVersion* version_at(const Lead& lead, Timestamp as_of);

}  // namespace leadscore
