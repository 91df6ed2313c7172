// leadscore check MODEL... [--schema FILE]: compile and report, nothing else.
#include <iostream>
#include <string>
#include <vector>

#include "tools/cli/commands.hpp"
#include "tools/cli/report.hpp"

namespace po = boost::program_options;

namespace leadscore::cli {
namespace {

std::string counted(std::size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// `2 errors, 1 warning`, leaving out a kind that did not occur.
std::string tally(const std::vector<Diagnostic>& diagnostics) {
  std::size_t errors = 0, warnings = 0;
  for (const auto& d : diagnostics) {
    errors += d.severity == Severity::error;
    warnings += d.severity == Severity::warning;
  }
  std::string text;
  if (errors) text = counted(errors, "error");
  if (warnings) text += (text.empty() ? "" : ", ") + counted(warnings, "warning");
  return text;
}

}  // namespace

int run_check(int argc, char** argv) {
  CommandLine command_line(
      "leadscore check MODEL... [--schema FILE]",
      "Compiles each model and prints its errors and warnings on stderr, followed by a count\n"
      "per file. A model without any prints `MODEL: ok` on stdout. Warnings alone do not fail.");
  add_schema_option(command_line);
  command_line.operands.add_options()("model", po::value<std::vector<std::string>>());
  command_line.positional.add("model", -1);
  if (auto stop = command_line.parse(argc, argv)) return *stop;
  if (!command_line.values.count("model")) return command_line.usage_error("no model file given");

  std::unique_ptr<Schema> schema;
  if (!load_schema_option(command_line, schema)) return exit_usage;
  CompileOptions options;
  options.schema = schema.get();
  options.file_roots = allowed_file_roots(command_line);

  bool unreadable = false, errors = false;
  for (const auto& file : command_line.values["model"].as<std::vector<std::string>>()) {
    if (!readable(file)) {
      unreadable = true;
      continue;
    }
    const CompileResult compiled = compile_model_input(file, options);
    if (!compiled.model && compiled.diagnostics.empty()) {  // standard input failed, and said so
      unreadable = true;
      continue;
    }
    print_diagnostics(std::cerr, compiled.diagnostics);
    const std::string counts = tally(compiled.diagnostics);
    const std::string name = file == standard_input_name ? "<stdin>" : file;
    if (counts.empty()) {
      std::cout << name << ": ok\n";
    } else {
      std::cerr << name << ": " << counts << '\n';
    }
    errors = errors || !compiled.model || has_errors(compiled.diagnostics);
  }
  if (unreadable) return exit_usage;
  return errors ? exit_failed : exit_ok;
}

}  // namespace leadscore::cli
