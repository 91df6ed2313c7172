#include "leadscore/value.hpp"

#include <cmath>

#include "engine/text.hpp"

namespace leadscore {

bool Value::is_missing() const {
  // Spec 5.1: an empty or white-space-only string is missing, like an empty CSV cell.
  // Decision 29: a number that is not finite (inf, nan) is missing too.
  return kind_ == Kind::missing || (kind_ == Kind::string && text::is_blank(text_)) ||
         (kind_ == Kind::number && !std::isfinite(number_));
}

std::string Value::to_string() const {
  switch (kind_) {
    case Kind::number:
      return text::format_number(number_);
    case Kind::string:
      return text_;
    case Kind::boolean:
      return as_boolean() ? "true" : "false";
    case Kind::timestamp:
      return format_timestamp(as_timestamp());
    case Kind::missing:
      break;
  }
  return "missing";
}

const AttributeVersion* version_at(const Lead& lead, Timestamp as_of) {
  const AttributeVersion* best = nullptr;
  for (const AttributeVersion& version : lead.versions) {
    if (version.valid_from && *version.valid_from > as_of) continue;  // not yet in force
    // std::optional orders an empty valid_from before every timestamp, which is exactly
    // "valid since forever". `>=` lets a later entry with the same start replace an earlier
    // one: the newest correction of a version wins.
    if (best == nullptr || version.valid_from >= best->valid_from) best = &version;
  }
  return best;
}

}  // namespace leadscore
