// Reading a schema of lead attributes and event properties from YAML (spec 8).
#include <yaml-cpp/yaml.h>

#include "dsl/schema_yaml.hpp"
#include "engine/files.hpp"
#include "engine/text.hpp"
#include "leadscore/leadscore.hpp"

namespace leadscore {
namespace {

Diagnostic schema_error(const std::string& file, const YAML::Mark& mark, std::string message,
                        std::string hint = {}) {
  Diagnostic d;
  d.code = "LS500";
  d.message = std::move(message);
  d.hint = std::move(hint);
  d.where.file = file;
  if (mark.line >= 0) {
    d.where.line = std::uint32_t(mark.line + 1);
    d.where.column = std::uint32_t(mark.column + 1);
  }
  return d;
}

std::optional<ValueType> type_named(const std::string& name) {
  static const std::pair<const char*, ValueType> names[] = {{"number", ValueType::number},
                                                            {"string", ValueType::string},
                                                            {"boolean", ValueType::boolean},
                                                            {"timestamp", ValueType::timestamp},
                                                            {"any", ValueType::any}};
  for (const auto& [text, type] : names) {
    if (name == text) return type;
  }
  return std::nullopt;
}

bool read_types(const YAML::Node& node, const std::string& file, const std::string& what,
                std::map<std::string, ValueType>& out, std::vector<Diagnostic>& errors) {
  if (!node || node.IsNull()) return true;
  if (!node.IsMap()) {
    errors.push_back(schema_error(file, node.Mark(), what + " must be a mapping of name: type"));
    return false;
  }
  for (const auto& kv : node) {
    std::string name = kv.first.as<std::string>();
    std::string type = kv.second.IsScalar() ? kv.second.as<std::string>() : "";
    auto t = type_named(type);
    if (!t) {
      errors.push_back(schema_error(file, kv.second.Mark(),
                                    "unknown type `" + type + "` for `" + name + "`",
                                    "use number, string, boolean, timestamp or any"));
      continue;
    }
    out[name] = *t;
  }
  return true;
}

}  // namespace

std::unique_ptr<Schema> schema_from_yaml(const YAML::Node& root, const std::string& file_name,
                                         std::vector<Diagnostic>& diagnostics) {
  if (!root.IsMap()) {
    diagnostics.push_back(schema_error(file_name, root.Mark(),
                                       "a schema is a mapping with `attributes` and `events`"));
    return nullptr;
  }
  std::size_t errors_before = diagnostics.size();
  auto schema = std::make_unique<Schema>();
  try {
    read_types(root["attributes"], file_name, "`attributes`", schema->attributes, diagnostics);
    YAML::Node events = root["events"];
    if (events && events.IsMap()) {
      for (const auto& kv : events) {
        std::string type = kv.first.as<std::string>();
        read_types(kv.second, file_name, "event `" + type + "`", schema->events[type], diagnostics);
      }
    } else if (events && !events.IsNull()) {
      diagnostics.push_back(schema_error(file_name, events.Mark(),
                                         "`events` must map each event type to its properties"));
    }
  } catch (const YAML::Exception& e) {
    diagnostics.push_back(schema_error(file_name, e.mark, e.msg));
  }
  if (diagnostics.size() != errors_before) return nullptr;
  return schema;
}

SchemaResult parse_schema(std::string_view yaml_text, const std::string& file_name) {
  SchemaResult result;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    result.diagnostics.push_back(schema_error(file_name, e.mark, "not valid YAML: " + e.msg));
    return result;
  }
  if (root.IsMap() && root["schema"]) root = root["schema"];
  result.schema = schema_from_yaml(root, file_name, result.diagnostics);
  return result;
}

SchemaResult load_schema(const std::filesystem::path& path) {
  std::optional<std::string> text = files::read_file(path);
  if (!text) {
    SchemaResult result;
    Diagnostic d;
    d.code = "LS500";
    d.message = "cannot read schema file";
    d.where.file = path.string();
    result.diagnostics.push_back(std::move(d));
    return result;
  }
  return parse_schema(*text, path.string());
}

}  // namespace leadscore
