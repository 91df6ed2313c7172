// leadscore lint MODEL_OR_DIR... [--format text|json|sarif|github] [--werror] [--schema FILE]:
// compile every model with the reviewer's checks on and report in the chosen format. The
// formats themselves live in lint_output.cpp.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "tools/cli/commands.hpp"
#include "tools/cli/lint_output.hpp"

#ifndef LEADSCORE_VERSION
#define LEADSCORE_VERSION "0.1.0"
#endif

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace leadscore::cli {
namespace {

// The *.score files under `dir`, at any depth, sorted. False (after saying why on stderr)
// when part of the tree cannot be read.
bool find_models(const fs::path& dir, std::vector<std::string>& models) {
  std::vector<fs::path> found;
  std::error_code error;
  fs::recursive_directory_iterator it(dir, error), end;
  while (!error && it != end) {
    std::error_code ignored;
    if (it->path().extension() == ".score" && it->is_regular_file(ignored)) {
      found.push_back(it->path());
    }
    it.increment(error);
  }
  if (error) {
    std::cerr << "leadscore: error: cannot read " << dir.string() << ": " << error.message()
              << '\n';
  }
  std::sort(found.begin(), found.end());
  if (found.empty() && !error) {
    std::cerr << "leadscore: warning: no *.score files in " << dir.string() << '\n';
  }
  for (const auto& path : found) models.push_back(path.lexically_normal().string());
  return !error;
}

}  // namespace

int run_lint(int argc, char** argv) {
  CommandLine command_line(
      "leadscore lint MODEL_OR_DIR... [--format text|json|sarif|github] [--werror] "
      "[--schema FILE]",
      "Compiles each model (directories are searched for *.score files) with the reviewer's\n"
      "checks on, and prints every error and warning on stdout: as a compiler does (text),\n"
      "as one JSON document (json), as SARIF 2.1.0 for code scanning (sarif), or as GitHub\n"
      "Actions annotations (github). `N errors, M warnings in K files` follows on stderr.\n"
      "`# leadscore: ignore LS012` on a line silences that warning there.");
  command_line.options.add_options()(
      "format", po::value<std::string>()->default_value("text")->value_name("FORMAT"),
      "text, json, sarif or github")("werror", po::bool_switch(),
                                     "fail (exit status 1) on warnings too");
  add_schema_option(command_line);
  command_line.operands.add_options()("input", po::value<std::vector<std::string>>());
  command_line.positional.add("input", -1);
  if (auto stop = command_line.parse(argc, argv)) return *stop;
  if (!command_line.values.count("input")) {
    return command_line.usage_error("no model file or directory given");
  }
  const std::string format_name = command_line.values["format"].as<std::string>();
  const std::optional<LintFormat> format = parse_lint_format(format_name);
  if (!format) {
    return command_line.usage_error("unknown format `" + format_name +
                                    "` (choose text, json, sarif or github)");
  }
  const bool werror = command_line.values["werror"].as<bool>();

  std::unique_ptr<Schema> schema;
  if (!load_schema_option(command_line, schema)) return exit_usage;
  CompileOptions options;
  options.schema = schema.get();
  options.file_roots = allowed_file_roots(command_line);
  options.lint = true;

  bool io_problem = false;
  std::vector<std::string> models;
  for (const auto& input : command_line.values["input"].as<std::vector<std::string>>()) {
    std::error_code error;
    if (fs::is_directory(input, error)) {
      io_problem = !find_models(input, models) || io_problem;
    } else {
      models.push_back(input);  // an unreadable one is reported below, in order
    }
  }

  // A model named twice (directly and through its directory) is linted once.
  std::set<fs::path> seen;
  std::vector<LintedFile> linted;
  bool compile_failed = false;
  for (const auto& file : models) {
    std::error_code error;
    fs::path key = fs::absolute(file, error).lexically_normal();
    if (!seen.insert(error ? fs::path(file) : key).second) continue;
    if (!readable(file)) {
      io_problem = true;
      continue;
    }
    CompileResult compiled = compile_model_input(file, options);
    if (!compiled.model && compiled.diagnostics.empty()) {  // standard input failed, and said so
      io_problem = true;
      continue;
    }
    compile_failed = compile_failed || !compiled.model;
    linted.push_back(
        {file == standard_input_name ? "<stdin>" : file, std::move(compiled.diagnostics)});
  }

  std::error_code error;
  const LintOutputContext context{LEADSCORE_VERSION, fs::current_path(error)};
  std::cout << format_lint(*format, linted, context) << std::flush;
  const LintCounts counts = count_diagnostics(linted);
  std::cerr << lint_summary(counts) << '\n';

  int status = lint_exit_code(counts, werror, io_problem);
  // Not expected (a model that did not compile comes with an error), but never exit 0 then.
  if (status == exit_ok && compile_failed) status = exit_failed;
  return status;
}

}  // namespace leadscore::cli
