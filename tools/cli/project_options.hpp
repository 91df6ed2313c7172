// What the commands that work on a project share: finding and loading leadscore.yaml, opening
// its database, and compiling one of its models against its schema.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "leadscore/project.hpp"
#include "leadscore/store.hpp"
#include "tools/cli/commands.hpp"

namespace leadscore::cli {

// --project FILE (default: leadscore.yaml in the current directory or the nearest parent).
void add_project_option(CommandLine& command_line);

// Loads the project; prints diagnostics and returns null (exit_usage) when it cannot be used.
std::unique_ptr<Project> load_project_option(const CommandLine& command_line);
// leadscore.yaml in the current directory or the nearest parent, if there is one.
std::optional<std::filesystem::path> find_project_file();

// Opens the project's database; prints `leadscore: error: ...` and returns null on failure.
std::unique_ptr<Store> open_store(const Project& project, Store::Mode mode);

// Compiles the project's model named `name_or_file` ("" = the first in `models`) with the
// project's schema. Prints diagnostics; returns null with `exit_code` set on failure.
struct ProjectModelLoaded {
  std::shared_ptr<const Model> model;
  std::string name;  // the name scores are stored under
};
std::optional<ProjectModelLoaded> compile_project_model(const Project& project,
                                                        const std::string& name_or_file,
                                                        int& exit_code);

// Warns (on stderr) about event types and attributes the model reads that the database has
// never seen: the usual sign of a model written for another schema or a wrong mapping.
void warn_unseen_names(const Model& model, Store& store);

// Parses --as-of style times: RFC 3339, a date, or `now`. Prints a usage error when invalid.
std::optional<Timestamp> parse_time_option(const CommandLine& command_line, const char* option,
                                           Timestamp fallback);

Timestamp now_ms();

}  // namespace leadscore::cli
