// A leadscore project: one `leadscore.yaml` naming the database, the schema, the models, which
// outcome values mean won or lost, and how the columns of a CRM export map onto leads, events
// and outcomes. `leadscore init` writes a commented starter file (starter_project_text()).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leadscore/diagnostic.hpp"
#include "leadscore/leadscore.hpp"

namespace leadscore {

// Column names for lead rows. With no `attributes` mapping, every column other than the id and
// `at` columns is an attribute of the same name (only the schema's attributes when it has some).
struct LeadColumns {
  std::string id = "id";
  std::string at;  // empty: rows carry no start time; the version holds for all times
  std::vector<std::pair<std::string, std::string>> attributes;  // attribute -> column
};

// Column names for event rows. With no `properties` mapping, every other column is a property
// of the same name (with a schema: only the properties declared for the row's event type).
struct EventColumns {
  std::string id;  // empty: events are keyed by a hash of their content
  std::string lead_id = "lead_id";
  std::string ts = "ts";
  std::string type = "type";
  std::map<std::string, std::string> types;  // source value -> event type (others kept as is)
  std::vector<std::pair<std::string, std::string>> properties;  // property -> column
};

struct OutcomeColumns {
  std::string lead_id = "lead_id";
  std::string ts = "ts";  // empty: the outcome has no time (allowed, see README)
  std::string result = "result";
};

struct ProjectModel {
  std::string name;            // how scores are stored; defaults to the file's stem
  std::filesystem::path file;  // absolute, resolved against the project file
};

enum class OutcomeClass : std::uint8_t { won, lost, other };

struct Project {
  std::filesystem::path file;      // the project file itself (absolute)
  std::filesystem::path database;  // absolute
  std::optional<Schema> schema;
  std::vector<ProjectModel> models;
  // `allow_files:` folders (absolute) list files may be read from besides the model's own
  // folder, as `--allow-files DIR` on the command line.
  std::vector<std::filesystem::path> allowed_file_roots;
  std::vector<std::string> won = {"won", "converted"};
  std::vector<std::string> lost = {"lost"};
  LeadColumns leads;
  EventColumns events;
  OutcomeColumns outcomes;

  // Compares after trimming and ignoring ASCII case.
  OutcomeClass classify(std::string_view result) const;
  // The model named `name_or_file` (a name in `models`, or a path), or the first one.
  std::optional<ProjectModel> model(std::string_view name_or_file) const;
};

struct ProjectResult {
  std::unique_ptr<Project> project;  // null when there were errors
  std::vector<Diagnostic> diagnostics;
};

ProjectResult load_project(const std::filesystem::path& file);
ProjectResult parse_project(std::string_view yaml_text, const std::filesystem::path& file);

// The commented starter file `leadscore init` writes.
std::string starter_project_text();

}  // namespace leadscore
