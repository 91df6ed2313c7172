// Reading leadscore.yaml. Every mistake is a diagnostic at the YAML node's line and column,
// and unknown keys are errors too: a misspelt `atributes:` silently ignored would import leads
// without their attributes.
#include "leadscore/project.hpp"

#include <yaml-cpp/yaml.h>

#include <set>

#include "dsl/schema_yaml.hpp"
#include "engine/files.hpp"
#include "engine/text.hpp"

namespace leadscore {
namespace {

class ProjectReader {
 public:
  ProjectReader(std::filesystem::path file, std::vector<Diagnostic>& out)
      : file_(std::move(file)), name_(file_.string()), out_(out) {}

  void error(const YAML::Node& node, std::string message, std::string hint = {}) {
    error_at(node.Mark(), std::move(message), std::move(hint));
  }
  void error_at(const YAML::Mark& mark, std::string message, std::string hint = {}) {
    Diagnostic d;
    d.code = "LS501";
    d.message = std::move(message);
    d.hint = std::move(hint);
    d.where.file = name_;
    if (mark.line >= 0) {
      d.where.line = std::uint32_t(mark.line + 1);
      d.where.column = std::uint32_t(mark.column + 1);
    }
    out_.push_back(std::move(d));
  }

  // Reports keys of `map` that are not in `known`, with a suggestion when one is close.
  void only_keys(const YAML::Node& map, const std::vector<std::string>& known,
                 const std::string& where) {
    for (const auto& kv : map) {
      std::string key = kv.first.Scalar();
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string hint;
      if (auto near = text::closest_name(key, known)) hint = "did you mean `" + *near + "`?";
      error(kv.first, "unknown key `" + key + "` in " + where, hint);
    }
  }

  bool is_map(const YAML::Node& node, const std::string& what) {
    if (!node || node.IsNull()) return false;
    if (node.IsMap()) return true;
    error(node, what + " must be a mapping");
    return false;
  }

  // A scalar option; leaves `out` unchanged when the key is absent.
  void scalar(const YAML::Node& parent, const char* key, std::string& out) {
    YAML::Node node = parent[key];
    if (!node) return;
    if (!node.IsScalar() || text::is_blank(node.Scalar())) {
      error(node, std::string("`") + key + "` must be a column name");
      return;
    }
    out = node.Scalar();
  }

  void pairs(const YAML::Node& parent, const char* key,
             std::vector<std::pair<std::string, std::string>>& out) {
    YAML::Node node = parent[key];
    if (!is_map(node, std::string("`") + key + "`")) return;
    for (const auto& kv : node) {
      if (!kv.second.IsScalar()) {
        error(kv.second, "`" + kv.first.Scalar() + "` must name one column");
        continue;
      }
      out.emplace_back(kv.first.Scalar(), kv.second.Scalar());
    }
  }

  std::vector<std::string> strings(const YAML::Node& node, const std::string& what) {
    std::vector<std::string> values;
    if (node.IsScalar()) {
      values.push_back(node.Scalar());
    } else if (node.IsSequence()) {
      for (const auto& item : node) {
        if (item.IsScalar()) {
          values.push_back(item.Scalar());
        } else {
          error(item, what + " must be a list of values");
        }
      }
    } else {
      error(node, what + " must be a list of values");
    }
    return values;
  }

  std::filesystem::path resolve(const std::string& path) const {
    std::filesystem::path p(path);
    return p.is_absolute() ? p : (file_.parent_path() / p).lexically_normal();
  }

  void read(const YAML::Node& root, Project& project);

 private:
  void read_models(const YAML::Node& node, Project& project);
  void read_import(const YAML::Node& node, Project& project);

  std::filesystem::path file_;
  std::string name_;
  std::vector<Diagnostic>& out_;
};

void ProjectReader::read(const YAML::Node& root, Project& project) {
  if (!root.IsMap()) {
    error(root, "a project file is a mapping with `database`, `models`, `schema`, ...",
          "run `leadscore init` for a commented starter file");
    return;
  }
  only_keys(root, {"database", "models", "schema", "outcomes", "import", "allow_files"},
            "the project file");
  std::string database = "leadscore.db";
  scalar(root, "database", database);
  project.database = resolve(database);
  read_models(root["models"], project);
  if (YAML::Node allow = root["allow_files"]; allow && !allow.IsNull()) {
    // Folders the models' list files may come from besides each model's own folder.
    for (const auto& folder : strings(allow, "`allow_files`")) {
      project.allowed_file_roots.push_back(resolve(folder));
    }
  }
  if (YAML::Node schema = root["schema"]; schema && !schema.IsNull()) {
    if (auto s = schema_from_yaml(schema, name_, out_)) project.schema = std::move(*s);
  }
  if (YAML::Node outcomes = root["outcomes"]; is_map(outcomes, "`outcomes`")) {
    only_keys(outcomes, {"won", "lost"}, "`outcomes`");
    if (outcomes["won"]) project.won = strings(outcomes["won"], "`won`");
    if (outcomes["lost"]) project.lost = strings(outcomes["lost"], "`lost`");
    for (const auto& w : project.won) {
      for (const auto& l : project.lost) {
        if (text::equals_folded(w, l))
          error(outcomes, "`" + w + "` is listed as both won and lost");
      }
    }
  }
  read_import(root["import"], project);
}

void ProjectReader::read_models(const YAML::Node& node, Project& project) {
  if (!node || node.IsNull()) return;
  if (!node.IsSequence()) {
    error(node, "`models` must be a list of model files");
    return;
  }
  std::set<std::string> names;
  for (const auto& item : node) {
    ProjectModel model;
    if (item.IsScalar()) {
      model.file = resolve(item.Scalar());
    } else if (item.IsMap()) {
      only_keys(item, {"name", "file"}, "a model entry");
      std::string file;
      scalar(item, "file", file);
      if (file.empty()) {
        error(item, "a model entry needs `file`");
        continue;
      }
      model.file = resolve(file);
      scalar(item, "name", model.name);
    } else {
      error(item, "a model is a file path or {name: ..., file: ...}");
      continue;
    }
    if (model.name.empty()) model.name = model.file.stem().string();
    if (!names.insert(model.name).second)
      error(item, "two models are named `" + model.name + "`", "give one of them a `name:`");
    project.models.push_back(std::move(model));
  }
}

void ProjectReader::read_import(const YAML::Node& node, Project& project) {
  if (!is_map(node, "`import`")) return;
  only_keys(node, {"leads", "events", "outcomes"}, "`import`");
  if (YAML::Node leads = node["leads"]; is_map(leads, "`import.leads`")) {
    only_keys(leads, {"id", "at", "attributes"}, "`import.leads`");
    scalar(leads, "id", project.leads.id);
    scalar(leads, "at", project.leads.at);
    pairs(leads, "attributes", project.leads.attributes);
  }
  if (YAML::Node events = node["events"]; is_map(events, "`import.events`")) {
    only_keys(events, {"id", "lead_id", "ts", "type", "types", "properties"}, "`import.events`");
    scalar(events, "id", project.events.id);
    scalar(events, "lead_id", project.events.lead_id);
    scalar(events, "ts", project.events.ts);
    scalar(events, "type", project.events.type);
    std::vector<std::pair<std::string, std::string>> types;
    pairs(events, "types", types);
    for (auto& [from, to] : types) project.events.types[from] = to;
    pairs(events, "properties", project.events.properties);
  }
  if (YAML::Node outcomes = node["outcomes"]; is_map(outcomes, "`import.outcomes`")) {
    only_keys(outcomes, {"lead_id", "ts", "result"}, "`import.outcomes`");
    scalar(outcomes, "lead_id", project.outcomes.lead_id);
    scalar(outcomes, "result", project.outcomes.result);
    if (YAML::Node ts = outcomes["ts"]; ts && ts.IsNull()) {
      project.outcomes.ts.clear();
    } else {
      scalar(outcomes, "ts", project.outcomes.ts);
    }
  }
}

}  // namespace

OutcomeClass Project::classify(std::string_view result) const {
  for (const auto& w : won) {
    if (text::equals_folded(w, result)) return OutcomeClass::won;
  }
  for (const auto& l : lost) {
    if (text::equals_folded(l, result)) return OutcomeClass::lost;
  }
  return OutcomeClass::other;
}

std::optional<ProjectModel> Project::model(std::string_view name_or_file) const {
  if (name_or_file.empty()) {
    if (models.empty()) return std::nullopt;
    return models.front();
  }
  for (const auto& m : models) {
    if (m.name == name_or_file) return m;
  }
  std::filesystem::path path(name_or_file);
  ProjectModel m;
  m.file = std::filesystem::absolute(path).lexically_normal();
  m.name = path.stem().string();
  for (const auto& known : models) {
    if (known.file == m.file) return known;
  }
  return m;
}

ProjectResult parse_project(std::string_view yaml_text, const std::filesystem::path& file) {
  ProjectResult result;
  auto project = std::make_unique<Project>();
  project->file = std::filesystem::absolute(file).lexically_normal();
  ProjectReader reader(project->file, result.diagnostics);
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    if (!root || root.IsNull()) {
      reader.error(root, "the project file is empty",
                   "run `leadscore init` for a commented starter file");
    } else {
      reader.read(root, *project);
    }
  } catch (const YAML::Exception& e) {
    reader.error_at(e.mark, "not valid YAML: " + e.msg);
  }
  if (!has_errors(result.diagnostics)) result.project = std::move(project);
  return result;
}

ProjectResult load_project(const std::filesystem::path& file) {
  std::optional<std::string> text = files::read_file(file);
  if (!text) {
    ProjectResult result;
    Diagnostic d;
    d.code = "LS501";
    d.message = "cannot read the project file";
    d.hint = "run `leadscore init` to create one, or pass --project FILE";
    d.where.file = file.string();
    result.diagnostics.push_back(std::move(d));
    return result;
  }
  return parse_project(*text, file);
}

}  // namespace leadscore
