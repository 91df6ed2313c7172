#include "tools/cli/project_options.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>

#include "tools/cli/report.hpp"

namespace po = boost::program_options;

namespace leadscore::cli {

// leadscore.yaml in the current directory or the nearest parent, as git finds its repository.
std::optional<std::filesystem::path> find_project_file() {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::current_path(ec);
  while (!ec && !dir.empty()) {
    // A separate error code: "no such file" here must not end the search upwards.
    std::error_code missing;
    std::filesystem::path candidate = dir / "leadscore.yaml";
    if (std::filesystem::is_regular_file(candidate, missing)) return candidate;
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return std::nullopt;
}

Timestamp now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void add_project_option(CommandLine& command_line) {
  command_line.options.add_options()(
      "project,p", po::value<std::string>()->value_name("FILE"),
      "the project file (default: leadscore.yaml here or in a parent directory)");
}

std::unique_ptr<Project> load_project_option(const CommandLine& command_line) {
  std::filesystem::path file;
  if (command_line.values.count("project")) {
    file = command_line.values["project"].as<std::string>();
  } else if (auto found = find_project_file()) {
    file = *found;
  } else {
    std::cerr << "leadscore: error: no leadscore.yaml here or in a parent directory\n"
                 "hint: run `leadscore init` to create one, or pass --project FILE\n";
    return nullptr;
  }
  ProjectResult loaded = load_project(file);
  print_diagnostics(std::cerr, loaded.diagnostics);
  return std::move(loaded.project);
}

std::unique_ptr<Store> open_store(const Project& project, Store::Mode mode) {
  try {
    return Store::open(project.database, mode);
  } catch (const StoreError& e) {
    std::cerr << "leadscore: error: " << e.what() << '\n';
    return nullptr;
  }
}

std::optional<ProjectModelLoaded> compile_project_model(const Project& project,
                                                        const std::string& name_or_file,
                                                        int& exit_code) {
  exit_code = exit_usage;
  auto entry = project.model(name_or_file);
  if (!entry) {
    std::cerr << "leadscore: error: " << project.file.string()
              << " lists no models; name one on the command line or add it under `models:`\n";
    return std::nullopt;
  }
  if (!readable(entry->file.string())) return std::nullopt;
  CompileOptions options;
  if (project.schema) options.schema = &*project.schema;
  options.file_roots = project.allowed_file_roots;
  CompileResult compiled = Model::compile_file(entry->file, options);
  print_diagnostics(std::cerr, compiled.diagnostics);
  if (!compiled.model) {
    exit_code = exit_failed;
    return std::nullopt;
  }
  exit_code = exit_ok;
  return ProjectModelLoaded{compiled.model, entry->name};
}

void warn_unseen_names(const Model& model, Store& store) {
  auto report = [&](const std::vector<std::string>& read, std::vector<std::string> seen,
                    const char* what) {
    if (seen.empty()) return;  // an empty database: nothing to compare with yet
    std::sort(seen.begin(), seen.end());
    for (const auto& name : read) {
      if (std::binary_search(seen.begin(), seen.end(), name)) continue;
      std::cerr << "leadscore: warning: the model reads " << what << " `" << name
                << "`, which no imported data has; its rules cannot score (check the "
                   "schema and the import mapping)\n";
    }
  };
  report(model.event_types_read(), store.event_types(), "event type");
  report(model.attributes_read(), store.attribute_names(), "attribute");
}

std::optional<Timestamp> parse_time_option(const CommandLine& command_line, const char* option,
                                           Timestamp fallback) {
  if (!command_line.values.count(option)) return fallback;
  const std::string text = command_line.values[option].as<std::string>();
  if (text == "now") return now_ms();
  if (auto t = parse_timestamp(text)) return t;
  command_line.usage_error(std::string("--") + option + " `" + text +
                           "` is not a date (2026-06-30) or an RFC 3339 time");
  return std::nullopt;
}

}  // namespace leadscore::cli
