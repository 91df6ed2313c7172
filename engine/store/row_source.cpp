#include "engine/store/row_source.hpp"

#include <algorithm>
#include <charconv>

#include "engine/text.hpp"
#include "leadscore/store.hpp"

namespace leadscore::store {
namespace {

std::optional<double> parse_number(std::string_view s) {
  s = text::trim(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<bool> parse_boolean(std::string_view s) {
  s = text::trim(s);
  for (const char* yes : {"true", "yes", "y", "1"}) {
    if (text::equals_folded(s, yes)) return true;
  }
  for (const char* no : {"false", "no", "n", "0"}) {
    if (text::equals_folded(s, no)) return false;
  }
  return std::nullopt;
}

std::string shown_text(std::string_view s) {
  constexpr std::size_t shown = 40;
  if (s.size() > shown) return "`" + std::string(s.substr(0, shown)) + "...`";
  return "`" + std::string(s) + "`";
}

std::variant<Value, std::string> from_text(const std::string& s, ValueType type) {
  if (text::is_blank(s)) return Value();
  switch (type) {
    case ValueType::number:
      if (auto n = parse_number(s)) return Value::number(*n);
      return shown_text(s) + " is not a number";
    case ValueType::boolean:
      if (auto b = parse_boolean(s)) return Value::boolean(*b);
      return shown_text(s) + " is not a boolean (true/false, yes/no)";
    case ValueType::timestamp:
      if (auto t = parse_import_time(s)) return Value::timestamp(*t);
      return shown_text(s) + " is not a date or time (use 2026-03-01T12:00:00Z)";
    case ValueType::string:
      return Value::string(s);
    case ValueType::any:
      if (auto n = parse_number(s)) return Value::number(*n);
      if (text::equals_folded(s, "true")) return Value::boolean(true);
      if (text::equals_folded(s, "false")) return Value::boolean(false);
      return Value::string(s);
  }
  return Value::string(s);
}

std::variant<Value, std::string> from_json(const nlohmann::json& j, ValueType type) {
  if (j.is_null()) return Value();
  if (j.is_object() || j.is_array()) return std::string("nested objects and lists are not values");
  if (j.is_string()) return from_text(j.get_ref<const std::string&>(), type);
  if (j.is_boolean()) {
    if (type == ValueType::boolean || type == ValueType::any) return Value::boolean(j.get<bool>());
    if (type == ValueType::string) return Value::string(j.get<bool>() ? "true" : "false");
    return std::string(j.get<bool>() ? "true" : "false") + " is not a " +
           (type == ValueType::number ? "number" : "time");
  }
  double n = j.get<double>();
  switch (type) {
    case ValueType::number:
    case ValueType::any:
      return Value::number(n);
    case ValueType::string:
      return Value::string(j.dump());
    case ValueType::boolean:
      return j.dump() + " is not a boolean";
    case ValueType::timestamp:
      return j.dump() + " is not a date or time (use 2026-03-01T12:00:00Z)";
  }
  return Value::number(n);
}

class CsvRows : public RowSource {
 public:
  explicit CsvRows(const std::filesystem::path& file) : in_(file, std::ios::binary), csv_(in_) {
    if (!in_) throw StoreError(file.string() + ": cannot read the file");
    engine::CsvRecord header;
    if (!csv_.next(header)) throw StoreError(file.string() + ": the file is empty (no header row)");
    if (header.problem) {
      throw StoreError(file.string() + ":" + std::to_string(header.line) +
                       ": the header row is malformed: " + *header.problem);
    }
    header_raw_ = header.raw;
    names_ = header.fields;
    for (std::size_t i = 0; i < names_.size(); ++i) {
      auto [it, added] = index_.emplace(names_[i], i);
      // Two columns of one name: a cell lookup would silently take one of them.
      if (!added) {
        throw StoreError(file.string() + ":" + std::to_string(header.line) + ": the column `" +
                         names_[i] + "` appears twice in the header (columns " +
                         std::to_string(it->second + 1) + " and " + std::to_string(i + 1) + ")");
      }
    }
  }

  bool next() override { return csv_.next(record_); }
  std::size_t line() const override { return record_.line; }
  std::string_view raw() const override { return record_.raw; }
  const std::optional<std::string>& problem() const override {
    if (!record_.problem && record_.fields.size() != names_.size()) {
      ragged_ = "the row has " + std::to_string(record_.fields.size()) +
                " fields, the header has " + std::to_string(names_.size());
      return ragged_;
    }
    return record_.problem;
  }
  RowCell cell(const std::string& column) const override {
    auto it = index_.find(column);
    if (it == index_.end() || it->second >= record_.fields.size()) return {};
    return RowCell{&record_.fields[it->second], nullptr};
  }
  std::vector<std::string> columns() const override { return names_; }
  RowCell nested(const std::string&, const std::string& key) const override { return cell(key); }
  std::vector<std::string> nested_keys(const std::string&) const override { return names_; }
  bool is_csv() const override { return true; }
  std::string header_line() const override { return header_raw_; }
  std::uint64_t bytes_consumed() const override { return csv_.bytes_consumed(); }

 private:
  std::ifstream in_;
  engine::CsvReader csv_;
  engine::CsvRecord record_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::size_t> index_;
  std::string header_raw_;
  mutable std::optional<std::string> ragged_;
};

class JsonRows : public RowSource {
 public:
  explicit JsonRows(const std::filesystem::path& file) : in_(file, std::ios::binary) {
    if (!in_) throw StoreError(file.string() + ": cannot read the file");
    key_watch_ = [this](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
      return watch_keys(event, parsed);
    };
  }

  bool next() override {
    while (std::getline(in_, raw_)) {
      ++line_;
      bytes_ += raw_.size() + 1;
      if (line_ == 1 && raw_.starts_with("\xEF\xBB\xBF")) raw_.erase(0, 3);
      if (!raw_.empty() && raw_.back() == '\r') raw_.pop_back();
      if (text::is_blank(raw_)) continue;
      problem_.reset();
      row_ = nlohmann::json();
      // The JSON parser skips a byte-order mark wherever a parse starts, but only the file's
      // start may have one: on a later line it is a sign of files concatenated badly.
      if (raw_.starts_with("\xEF\xBB\xBF")) {
        problem_ =
            "a byte-order mark at the start of the line (only the file's start may have one)";
        return true;
      }
      if (auto bad = text::find_invalid_utf8(raw_)) {
        problem_ = "invalid UTF-8 at byte " + std::to_string(bad->offset + 1) + " of the line";
        return true;
      }
      try {
        duplicate_key_.reset();
        depth_ = 0;
        row_ = nlohmann::json::parse(raw_, key_watch_);
      } catch (const nlohmann::json::parse_error& e) {
        problem_ = "not valid JSON at byte " + std::to_string(e.byte);
        return true;
      } catch (const nlohmann::json::exception&) {
        // The parser throws out_of_range for a number beyond a double (1e400): the line is
        // well-formed JSON, so this is one bad row, not the end of the file.
        problem_ = "a number is outside the range of a double";
        return true;
      }
      if (!row_.is_object()) {
        problem_ = "each line must be one JSON object";
      } else if (duplicate_key_) {
        problem_ = "the key `" + *duplicate_key_ + "` appears twice in one object";
      }
      return true;
    }
    if (in_.bad()) throw StoreError("read error");
    return false;
  }
  std::size_t line() const override { return line_; }
  std::string_view raw() const override { return raw_; }
  const std::optional<std::string>& problem() const override { return problem_; }
  RowCell cell(const std::string& column) const override {
    auto it = row_.find(column);
    if (it == row_.end()) return {};
    return RowCell{nullptr, &*it};
  }
  std::vector<std::string> columns() const override {
    std::vector<std::string> out;
    for (auto it = row_.begin(); it != row_.end(); ++it) out.push_back(it.key());
    return out;
  }
  RowCell nested(const std::string& object, const std::string& key) const override {
    auto obj = row_.find(object);
    if (obj == row_.end() || !obj->is_object()) return {};
    auto it = obj->find(key);
    if (it == obj->end()) return {};
    return RowCell{nullptr, &*it};
  }
  std::vector<std::string> nested_keys(const std::string& object) const override {
    std::vector<std::string> out;
    auto obj = row_.find(object);
    if (obj == row_.end() || !obj->is_object()) return out;
    for (auto it = obj->begin(); it != obj->end(); ++it) out.push_back(it.key());
    return out;
  }
  bool is_csv() const override { return false; }
  std::string header_line() const override { return {}; }
  std::uint64_t bytes_consumed() const override { return bytes_; }

 private:
  // nlohmann::json keeps the last of two equal keys without a word; the parser's callback
  // sees every key, so each open object's keys are collected and compared here. The lists
  // are reused from line to line, so this costs no allocation once they have grown.
  bool watch_keys(nlohmann::json::parse_event_t event, const nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) {
      if (depth_ == open_keys_.size()) open_keys_.emplace_back();
      open_keys_[depth_++].clear();
    } else if (event == Event::object_end) {
      if (depth_ > 0) --depth_;
    } else if (event == Event::key && depth_ > 0) {
      const auto& key = parsed.get_ref<const std::string&>();
      auto& seen = open_keys_[depth_ - 1];
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        if (!duplicate_key_) duplicate_key_ = key;
      } else {
        seen.push_back(key);
      }
    }
    return true;
  }

  std::ifstream in_;
  std::string raw_;
  nlohmann::json row_;
  nlohmann::json::parser_callback_t key_watch_;
  std::vector<std::vector<std::string>> open_keys_;
  std::size_t depth_ = 0;
  std::optional<std::string> duplicate_key_;
  std::size_t line_ = 0;
  std::uint64_t bytes_ = 0;
  std::optional<std::string> problem_;
};

bool looks_like_jsonl(const std::filesystem::path& file) {
  std::string ext = text::lower(file.extension().string());
  if (ext == ".csv") return false;
  if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") return true;
  std::ifstream in(file, std::ios::binary);
  char c = 0;
  while (in.get(c)) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || std::uint8_t(c) >= 0x80) continue;
    return c == '{';
  }
  return false;
}

}  // namespace

std::optional<Timestamp> parse_import_time(std::string_view s) {
  s = text::trim(s);
  if (auto t = parse_timestamp(s)) return t;
  // `2026-03-01 12:00` or `2026-03-01 12:00:00` without a zone: read as UTC.
  if (s.size() >= 16 && s[10] == ' ') {
    std::string iso(s);
    iso[10] = 'T';
    if (iso.size() == 16) iso += ":00";
    iso += 'Z';
    return parse_timestamp(iso);
  }
  return std::nullopt;
}

std::variant<Value, std::string> convert(const RowCell& cell, ValueType type) {
  if (cell.text) return from_text(*cell.text, type);
  if (cell.json) return from_json(*cell.json, type);
  return Value();
}

std::optional<std::string> key_text(const RowCell& cell) {
  std::string s;
  if (cell.text) {
    s = std::string(text::trim(*cell.text));
  } else if (cell.json && cell.json->is_string()) {
    s = std::string(text::trim(cell.json->get_ref<const std::string&>()));
  } else if (cell.json && cell.json->is_number_integer()) {
    s = cell.json->dump();
  } else if (cell.json && cell.json->is_number()) {
    s = text::format_number(cell.json->get<double>());
  }
  if (s.empty()) return std::nullopt;
  return s;
}

std::unique_ptr<RowSource> open_rows(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    throw StoreError(file.string() + ": no such file");
  }
  if (looks_like_jsonl(file)) return std::make_unique<JsonRows>(file);
  return std::make_unique<CsvRows>(file);
}

}  // namespace leadscore::store
