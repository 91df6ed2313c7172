// The sub-commands of `leadscore` and the plumbing they share (main.cpp defines it).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "leadscore/leadscore.hpp"

namespace leadscore::cli {

// The documented exit status of every command.
enum ExitCode : int {
  exit_ok = 0,
  exit_failed = 1,  // the model has errors, or a rule test failed
  exit_usage = 2,   // bad command line, or an input that cannot be read (file, YAML, JSON)
};

// Each takes the arguments after `leadscore`: argv[0] is the command's own name.
int run_check(int argc, char** argv);
int run_test(int argc, char** argv);
int run_disasm(int argc, char** argv);
int run_eval(int argc, char** argv);
int run_lint(int argc, char** argv);
int run_fmt(int argc, char** argv);
int run_init(int argc, char** argv);
int run_import(int argc, char** argv);
int run_score(int argc, char** argv);
int run_changes(int argc, char** argv);
int run_explain(int argc, char** argv);
int run_replay(int argc, char** argv);
int run_calibrate(int argc, char** argv);
int run_diff(int argc, char** argv);

// One command's options. Commands fill `options` (shown by --help) and `operands` (the
// positional arguments, listed in `usage` instead), then call parse().
struct CommandLine {
  CommandLine(std::string usage, std::string summary);

  // An exit code when the command must stop now: 0 after --help, 2 after a usage error.
  std::optional<int> parse(int argc, char** argv);
  // Prints `leadscore: error: WHY` and the usage line; returns exit_usage.
  int usage_error(const std::string& why) const;

  std::string usage;
  std::string summary;
  boost::program_options::options_description options{"Options"};
  boost::program_options::options_description operands;
  boost::program_options::positional_options_description positional;
  boost::program_options::variables_map values;
};

// The --schema option, which check, lint, disasm and eval share (with --allow-files).
void add_schema_option(CommandLine& command_line);
// --allow-files DIR (repeatable): folders list files may be read from besides the model's.
void add_allow_files_option(CommandLine& command_line);
std::vector<std::filesystem::path> allowed_file_roots(const CommandLine& command_line);
// Loads --schema when given (else leaves `schema` null). Returns false after printing the
// schema's diagnostics when it cannot be used.
bool load_schema_option(const CommandLine& command_line, std::unique_ptr<Schema>& schema);

// False, with `leadscore: error: cannot read FILE: why` on stderr, when FILE cannot be opened.
bool readable(const std::string& file);

// `-` names standard input wherever a model file is read. It is read once, up to the model
// size limit (Limits::max_file_bytes); null, with the error printed, when that fails.
constexpr const char* standard_input_name = "-";
std::optional<std::string> read_standard_input();
// Compiles a model file, or standard input for `-` (diagnostics then name `<stdin>`).
CompileResult compile_model_input(const std::string& file, const CompileOptions& options);

// What commands that need one compiled model share: loads --schema, checks FILE can be read,
// compiles it and prints its diagnostics on stderr. Returns null with `exit_code` set when the
// command must stop (2 for a schema or file problem, 1 for errors in the model).
std::shared_ptr<const Model> compile_model(const CommandLine& command_line, const std::string& file,
                                           int& exit_code);

}  // namespace leadscore::cli
