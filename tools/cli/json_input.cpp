#include "tools/cli/json_input.hpp"

#include <fstream>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

namespace leadscore::cli {
namespace {

// ordered_json keeps the keys in file order, so properties reach the engine as written.
using Json = nlohmann::ordered_json;

std::string located(const std::string& file, std::size_t line, const std::string& why) {
  std::string text = file;
  if (line > 0) text += ":" + std::to_string(line);
  return text + ": " + why;
}

// nlohmann prefixes its messages with "[json.exception.parse_error.101] "; the user does not
// need the class name.
std::string without_exception_tag(const std::string& message) {
  if (!message.empty() && message.front() == '[') {
    auto end = message.find("] ");
    if (end != std::string::npos) return message.substr(end + 2);
  }
  return message;
}

// The parser reports a number beyond a double's range (1e400) as out_of_range rather than as a
// parse error; it is bad input all the same.
std::string out_of_range_reason(const nlohmann::json::out_of_range& e) {
  return "not valid JSON: a number beyond the range of a double (" +
         without_exception_tag(e.what()) + ")";
}

// Why a value or an object cannot be used; the public functions add the file and line.
struct Unusable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const char* json_kind(const Json& j) {
  if (j.is_object()) return "an object";
  if (j.is_array()) return "an array";
  if (j.is_string()) return "a string";
  if (j.is_boolean()) return "a boolean";
  if (j.is_null()) return "null";
  return "a number";
}

Value value_of(const std::string& key, const Json& j) {
  if (j.is_number()) return Value::number(j.get<double>());
  if (j.is_string()) return Value::string(j.get<std::string>());
  if (j.is_boolean()) return Value::boolean(j.get<bool>());
  if (j.is_null()) return Value();
  throw Unusable("`" + key + "` holds " + json_kind(j) +
                 "; only numbers, strings, booleans and null are allowed");
}

// Every key of `object` but `skip` is an attribute.
NamedValues attributes_of(const Json& object, std::string_view skip = {}) {
  if (!object.is_object()) throw Unusable("the attributes must be a JSON object");
  NamedValues values;
  for (const auto& [key, value] : object.items()) {
    if (key != skip) values.emplace_back(key, value_of(key, value));
  }
  return values;
}

std::string id_of(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_integer()) return j.dump();
  throw Unusable("`id` must be a string or a whole number");
}

Timestamp timestamp_of(const std::string& key, const Json& j) {
  if (!j.is_string())
    throw Unusable("`" + key + "` must be a string holding a date or RFC 3339 time");
  auto ts = parse_timestamp(j.get<std::string>());
  if (!ts)
    throw Unusable("`" + key + "` is not a date or RFC 3339 time: \"" + j.get<std::string>() +
                   "\"");
  return *ts;
}

void only_keys(const Json& object, std::initializer_list<std::string_view> allowed,
               const char* shape) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (auto name : allowed) known = known || key == name;
    if (!known) throw Unusable("unexpected key `" + key + "` in " + shape);
  }
}

AttributeVersion version_of(const Json& j) {
  if (!j.is_object()) throw Unusable("each entry of `versions` must be an object");
  only_keys(j, {"at", "attrs"}, "a version (expected `at` and `attrs`)");
  AttributeVersion version;
  if (auto at = j.find("at"); at != j.end() && !at->is_null()) {
    version.valid_from = timestamp_of("at", *at);
  }
  auto attrs = j.find("attrs");
  if (attrs == j.end()) throw Unusable("a version has no `attrs`");
  version.values = attributes_of(*attrs);
  return version;
}

Lead lead_of(const Json& j) {
  if (!j.is_object())
    throw Unusable(std::string("a lead must be a JSON object, not ") + json_kind(j));
  Lead lead;
  if (auto id = j.find("id"); id != j.end()) lead.id = id_of(*id);
  if (auto versions = j.find("versions"); versions != j.end()) {
    only_keys(j, {"id", "versions"}, "a lead with `versions`");
    if (!versions->is_array()) throw Unusable("`versions` must be an array");
    for (const auto& entry : *versions) lead.versions.push_back(version_of(entry));
    return lead;
  }
  AttributeVersion only;
  if (auto attrs = j.find("attrs"); attrs != j.end()) {
    only_keys(j, {"id", "attrs"}, "a lead with `attrs`");
    only.values = attributes_of(*attrs);
  } else {
    only.values = attributes_of(j, "id");
  }
  lead.versions.push_back(std::move(only));
  return lead;
}

Event event_of(const Json& j) {
  if (!j.is_object()) throw Unusable(std::string("expected a JSON object, not ") + json_kind(j));
  Event event;
  bool have_type = false;
  const char* time_key = nullptr;
  for (const auto& [key, value] : j.items()) {
    if (key == "type") {
      if (!value.is_string() || value.get<std::string>().empty()) {
        throw Unusable("`type` must be a non-empty string");
      }
      event.type = value.get<std::string>();
      have_type = true;
    } else if (key == "ts" || key == "at") {
      if (time_key) throw Unusable("both `ts` and `at` are given; use one");
      time_key = key == "ts" ? "ts" : "at";
      event.ts = timestamp_of(key, value);
    } else if (key != "id" && key != "lead_id") {
      event.properties.emplace_back(key, value_of(key, value));
    }
  }
  if (!have_type) throw Unusable("the event has no `type`");
  if (!time_key) throw Unusable("the event has no `ts` (or `at`)");
  return event;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, "cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path.string(), 0, "cannot read the file");
  return text.str();
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

InputError::InputError(std::string file, std::size_t line, const std::string& why)
    : std::runtime_error(located(file, line, why)), file_(std::move(file)), line_(line) {}

Lead parse_lead_json(std::string_view text, const std::string& file_name) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(file_name, 0, "not valid JSON: " + without_exception_tag(e.what()));
  } catch (const nlohmann::json::out_of_range& e) {
    throw InputError(file_name, 0, out_of_range_reason(e));
  }
  try {
    return lead_of(j);
  } catch (const Unusable& why) {
    throw InputError(file_name, 0, why.what());
  }
}

std::vector<Event> parse_events_jsonl(std::istream& in, const std::string& file_name) {
  std::vector<Event> events;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (blank(line)) continue;
    Json j;
    try {
      j = Json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw InputError(file_name, number, "not valid JSON: " + without_exception_tag(e.what()));
    } catch (const nlohmann::json::out_of_range& e) {
      throw InputError(file_name, number, out_of_range_reason(e));
    }
    try {
      events.push_back(event_of(j));
    } catch (const Unusable& why) {
      throw InputError(file_name, number, why.what());
    }
  }
  if (in.bad()) throw InputError(file_name, 0, "cannot read the file");
  return events;
}

Lead load_lead_json(const std::filesystem::path& path) {
  return parse_lead_json(read_all(path), path.string());
}

std::vector<Event> load_events_jsonl(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, "cannot open the file");
  return parse_events_jsonl(in, path.string());
}

}  // namespace leadscore::cli
