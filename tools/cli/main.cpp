// leadscore: the command line. Picks the sub-command; each lives in its own cmd_*.cpp.
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string_view>
#include <utility>

#include "engine/text.hpp"
#include "leadscore/escape.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/project_options.hpp"
#include "tools/cli/report.hpp"

#ifndef LEADSCORE_VERSION
#define LEADSCORE_VERSION "0.1.0"
#endif

namespace po = boost::program_options;

namespace leadscore::cli {
namespace {

constexpr const char* exit_status_help =
    "Exit status:\n"
    "  0  success (warnings allowed)\n"
    "  1  a model has errors, a rule test failed, an import rejected rows, or there was\n"
    "     nothing to calibrate\n"
    "  2  usage error, an input that cannot be read (missing file, bad YAML or JSON), or a\n"
    "     database or file that cannot be used (nothing of a failed import is kept)\n";

void print_usage(std::ostream& out) {
  out << "usage: leadscore COMMAND [ARGS...]\n"
         "\n"
         "Compile lead-scoring models, run their rule tests and score leads.\n"
         "\n"
         "Commands:\n"
         "  check MODEL... [--schema FILE]     compile models and report errors and warnings\n"
         "  test FILE_OR_DIR... [--verbose]    run the YAML rule tests (*.test.yaml)\n"
         "  disasm MODEL [--schema FILE]       print a model's bytecode\n"
         "  eval MODEL --lead FILE [--events FILE] [--as-of TIME] [--format text|json]\n"
         "       [--schema FILE]               score one lead and explain the score\n"
         "  lint MODEL_OR_DIR... [--format text|json|sarif|github] [--werror] [--schema FILE]\n"
         "                                     check plus a reviewer's warnings, for CI\n"
         "  fmt MODEL... [--check] [--write]   print (or check, or rewrite) the canonical layout\n"
         "\n"
         "Project commands (they read leadscore.yaml here or above; --project FILE):\n"
         "  init [DIR]                         write a commented leadscore.yaml and model.score\n"
         "  import leads|events|outcomes FILE...  CSV or JSON Lines into the database\n"
         "  score [MODEL] [--as-of TIME] [--lead ID] [--format table|csv|jsonl]\n"
         "                                     score every lead, store it, record band changes\n"
         "  changes [--since TIME] [--band BAND]  the band changes recorded\n"
         "  explain --lead ID [--as-of TIME]   one lead's score, rule by rule, with its events\n"
         "  replay --lead ID                   one lead's timeline with the running score\n"
         "  calibrate [MODEL] [--as-of TIME --horizon D | --before-outcome] [--by ATTR]\n"
         "       [--format text|json] [--html FILE]  compare the scores with real outcomes\n"
         "  diff OLD.score NEW.score [...]     backtest a change: AUCs and band migration\n"
         "\n"
         "A MODEL of `-` is read from standard input (check, lint, fmt, disasm, eval).\n"
         "\n"
         "Options:\n"
         "  -h, --help     show this help; `leadscore COMMAND --help` shows a command's options\n"
         "  --version      print the version\n"
         "\n"
      << exit_status_help;
}

struct Command {
  std::string_view name;
  int (*run)(int, char**);
};

constexpr Command commands[] = {
    {"check", run_check},         {"test", run_test},       {"disasm", run_disasm},
    {"eval", run_eval},           {"lint", run_lint},       {"fmt", run_fmt},
    {"init", run_init},           {"import", run_import},   {"score", run_score},
    {"changes", run_changes},     {"explain", run_explain}, {"replay", run_replay},
    {"calibrate", run_calibrate}, {"diff", run_diff},
};

int dispatch(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return exit_usage;
  }
  const std::string_view name = argv[1];
  if (name == "-h" || name == "--help" || name == "help") {
    print_usage(std::cout);
    return exit_ok;
  }
  if (name == "--version") {
    std::cout << "leadscore " << LEADSCORE_VERSION << '\n';
    return exit_ok;
  }
  for (const auto& command : commands) {
    if (command.name == name) return command.run(argc - 1, argv + 1);
  }
  std::vector<std::string> names;
  for (const auto& command : commands) names.emplace_back(command.name);
  std::cerr << "leadscore: error: unknown command `" << escape_controls(name) << "`";
  if (auto near = text::closest_name(name, names)) std::cerr << "; did you mean `" << *near << "`?";
  std::cerr << "\n\n";
  print_usage(std::cerr);
  return exit_usage;
}

}  // namespace

CommandLine::CommandLine(std::string usage_line, std::string summary_text)
    : usage(std::move(usage_line)), summary(std::move(summary_text)) {
  options.add_options()("help,h", "show this help");
}

std::optional<int> CommandLine::parse(int argc, char** argv) {
  po::options_description all;
  all.add(options).add(operands);
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(),
              values);
    if (values.count("help")) {
      std::cout << "usage: " << usage << "\n\n"
                << summary << "\n\n"
                << options << '\n'
                << exit_status_help;
      return exit_ok;
    }
    po::notify(values);
  } catch (const po::unknown_option& e) {
    // Suggest the closest of this command's own long options (a typo is the usual cause).
    std::string wrong = e.get_option_name();
    wrong.erase(0, wrong.find_first_not_of('-'));
    std::vector<std::string> known;
    for (const auto& option : options.options()) known.push_back(option->long_name());
    std::string why = e.what();
    if (auto near = text::closest_name(wrong, known)) why += "; did you mean `--" + *near + "`?";
    return usage_error(why);
  } catch (const po::error& e) {
    return usage_error(e.what());
  }
  return std::nullopt;
}

int CommandLine::usage_error(const std::string& why) const {
  std::cerr << "leadscore: error: " << why << "\nusage: " << usage << '\n';
  return exit_usage;
}

void add_schema_option(CommandLine& command_line) {
  command_line.options.add_options()(
      "schema", po::value<std::string>()->value_name("FILE"),
      "declared attributes and event properties (YAML); unknown names become errors "
      "(default: the schema of leadscore.yaml here or in a parent directory, if any)");
  add_allow_files_option(command_line);
}

void add_allow_files_option(CommandLine& command_line) {
  command_line.options.add_options()(
      "allow-files", po::value<std::vector<std::string>>()->value_name("DIR"),
      "also read list files (and, for test, models) from DIR; by default only the model's "
      "own folder (for test: the project's folder)");
}

std::vector<std::filesystem::path> allowed_file_roots(const CommandLine& command_line) {
  std::vector<std::filesystem::path> roots;
  if (!command_line.values.count("allow-files")) return roots;
  for (const auto& dir : command_line.values["allow-files"].as<std::vector<std::string>>()) {
    roots.emplace_back(dir);
  }
  return roots;
}

bool load_schema_option(const CommandLine& command_line, std::unique_ptr<Schema>& schema) {
  if (!command_line.values.count("schema")) {
    // Inside a project, its schema: a model is checked against the data it will score.
    auto project_file = find_project_file();
    if (!project_file) return true;
    ProjectResult project = load_project(*project_file);
    print_diagnostics(std::cerr, project.diagnostics);
    if (!project.project) return false;
    if (project.project->schema) {
      schema = std::make_unique<Schema>(std::move(*project.project->schema));
    }
    return true;
  }
  const std::string file = command_line.values["schema"].as<std::string>();
  if (!readable(file)) return false;
  SchemaResult loaded = load_schema(file);
  print_diagnostics(std::cerr, loaded.diagnostics);
  if (!loaded.schema) return false;
  schema = std::move(loaded.schema);
  return true;
}

std::shared_ptr<const Model> compile_model(const CommandLine& command_line, const std::string& file,
                                           int& exit_code) {
  std::unique_ptr<Schema> schema;
  exit_code = exit_usage;
  if (!load_schema_option(command_line, schema) || !readable(file)) return nullptr;
  CompileOptions options;
  options.schema = schema.get();
  options.file_roots = allowed_file_roots(command_line);
  CompileResult compiled = compile_model_input(file, options);
  print_diagnostics(std::cerr, compiled.diagnostics);
  exit_code = compiled.model ? exit_ok : exit_failed;
  return compiled.model;
}

std::optional<std::string> read_standard_input() {
  static bool already_read = false;  // a second `-` would silently see an empty model
  if (already_read) {
    std::cerr << "leadscore: error: standard input (`-`) can be read only once\n";
    return std::nullopt;
  }
  already_read = true;
  const std::size_t limit = Limits{}.max_file_bytes;
  std::string text;
  char buffer[1 << 16];
  while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
    if (text.size() > limit) {
      std::cerr << "leadscore: error: standard input is larger than the model size limit of "
                << limit << " bytes\n";
      return std::nullopt;
    }
  }
  if (std::cin.bad()) {
    std::cerr << "leadscore: error: cannot read standard input\n";
    return std::nullopt;
  }
  return text;
}

CompileResult compile_model_input(const std::string& file, const CompileOptions& options) {
  if (file != standard_input_name) return Model::compile_file(file, options);
  auto text = read_standard_input();
  if (!text) return {};
  return Model::compile(*text, "<stdin>", options);
}

bool readable(const std::string& file) {
  if (file == standard_input_name) return true;
  std::error_code error;
  const char* why = nullptr;
  if (std::filesystem::is_directory(file, error)) {
    why = "it is a directory";
  } else if (std::filesystem::exists(file, error) &&
             !std::filesystem::is_regular_file(file, error)) {
    // Opening a FIFO would block, and a device such as /dev/zero never ends.
    why = "it is not a regular file";
  } else {
    errno = 0;
    if (std::ifstream in(file); !in) why = errno != 0 ? std::strerror(errno) : "cannot open it";
  }
  if (why) std::cerr << "leadscore: error: cannot read " << file << ": " << why << '\n';
  return why == nullptr;
}

}  // namespace leadscore::cli

int main(int argc, char** argv) {
  // Nothing may escape: a surprise becomes one line on stderr and exit status 2.
  try {
    return leadscore::cli::dispatch(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "leadscore: error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "leadscore: error: unexpected failure\n";
  }
  return leadscore::cli::exit_usage;
}
