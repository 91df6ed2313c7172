// Reading leads (JSON) and events (JSON Lines) for `leadscore eval`.
//
// A lead file holds one of three shapes:
//   {"employees": 800, "industry": "energy"}                  a flat object of attributes
//   {"id": "L1", "attrs": {...}}                              one attribute set
//   {"id": "L1", "versions": [{"at": "2026-01-01", "attrs": {...}}, ...]}   versions (spec 8)
// In every shape `id` names the lead and is not an attribute. A version without `at` is valid
// for all times.
//
// An events file holds one object a line: {"type": "page_view", "ts": "2026-03-01T12:00:00Z",
// ...properties}. `at` is accepted instead of `ts`; `id` and `lead_id` are bookkeeping, not
// properties. Blank lines are skipped.
//
// Values: a JSON number is a number, a string a string, true/false a boolean, null missing.
// Nested objects and arrays are refused. Strings that look like dates stay strings: the engine
// reads them as timestamps where a rule needs one.
#pragma once

#include <cstddef>
#include <filesystem>
#include <istream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/value.hpp"

namespace leadscore::cli {

// Bad input data: what() reads `file:line: why` (or `file: why` when line is 0).
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::size_t line, const std::string& why);
  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }

 private:
  std::string file_;
  std::size_t line_;
};

// Both throw InputError; `file_name` only labels the messages.
Lead parse_lead_json(std::string_view text, const std::string& file_name);
std::vector<Event> parse_events_jsonl(std::istream& in, const std::string& file_name);

// Read the file first; an unreadable file is an InputError too.
Lead load_lead_json(const std::filesystem::path& path);
std::vector<Event> load_events_jsonl(const std::filesystem::path& path);

}  // namespace leadscore::cli
