// Import rows from CSV or JSON Lines behind one interface: a row is a set of named cells, and a
// cell turns into a typed value by the schema's declared type.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "engine/csv_reader.hpp"
#include "leadscore/leadscore.hpp"

namespace leadscore::store {

// A cell: text from CSV, or a JSON value. Absent cells are nullptr / missing.
struct RowCell {
  const std::string* text = nullptr;
  const nlohmann::json* json = nullptr;
  bool present() const { return text || json; }
};

// Converts a cell to the declared type (ValueType::any infers from the text: a number, true or
// false, else a string). Returns the reason when the cell cannot be that type.
std::variant<Value, std::string> convert(const RowCell& cell, ValueType type);

// Reads a timestamp cell: RFC 3339, a bare date, or `YYYY-MM-DD HH:MM[:SS]` as UTC (the form
// CRM exports use).
std::optional<Timestamp> parse_import_time(std::string_view text);

// The text of a key cell (ids, event types, results); nothing when blank.
std::optional<std::string> key_text(const RowCell& cell);

class RowSource {
 public:
  virtual ~RowSource() = default;
  // False at the end. Throws CsvError or StoreError for a fatal problem.
  virtual bool next() = 0;
  virtual std::size_t line() const = 0;
  virtual std::string_view raw() const = 0;
  virtual const std::optional<std::string>& problem() const = 0;
  // The cell in `column` (a CSV header name or a JSON key).
  virtual RowCell cell(const std::string& column) const = 0;
  // Names of the cells this row has, for default mappings.
  virtual std::vector<std::string> columns() const = 0;
  // For JSON lead rows: the object under "attrs"; CSV has no nesting.
  virtual RowCell nested(const std::string& object, const std::string& key) const = 0;
  virtual std::vector<std::string> nested_keys(const std::string& object) const = 0;
  virtual bool is_csv() const = 0;
  virtual std::string header_line() const = 0;  // "" for JSONL
  virtual std::uint64_t bytes_consumed() const = 0;
};

std::unique_ptr<RowSource> open_rows(const std::filesystem::path& file);

}  // namespace leadscore::store
