// leadscore fmt MODEL... [--check] [--write]: the canonical layout of each model.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "tools/cli/commands.hpp"
#include "tools/cli/report.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace leadscore::cli {
namespace {

bool read_all(const std::string& file, std::string& content) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  content = text.str();
  return !in.bad();
}

// Writes `text` beside `file` and renames it over the file, so a reader never sees half a
// file and a failed write leaves the original as it was. Keeps the file's permissions.
bool replace_file(const std::string& file, const std::string& text) {
  const fs::path target(file);
  fs::path temporary = target;
  temporary += ".leadscore-fmt-" + std::to_string(::getpid()) + ".tmp";
  std::string why;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) why = std::strerror(errno);
    if (out) out << text;
    if (out) out.close();
    if (why.empty() && !out) why = "write failed";
  }
  std::error_code error;
  if (why.empty()) {
    fs::permissions(temporary, fs::status(target, error).permissions(), error);
    fs::rename(temporary, target, error);
    if (error) why = error.message();
  }
  if (!why.empty()) {
    fs::remove(temporary, error);
    std::cerr << "leadscore: error: cannot write " << file << ": " << why << '\n';
    return false;
  }
  return true;
}

}  // namespace

int run_fmt(int argc, char** argv) {
  CommandLine command_line(
      "leadscore fmt MODEL... [--check] [--write]",
      "Prints each model in the one canonical layout: one item or rule per line, aligned\n"
      "columns, normalised spacing, comments kept where they were. Formatting never changes\n"
      "what a model computes. A model with syntax errors is not formatted: its errors are\n"
      "printed and the command fails.");
  command_line.options.add_options()(
      "check", "print nothing, but name on stderr each file that is not formatted; fail if any")(
      "write", "rewrite the files that are not formatted, in place");
  command_line.operands.add_options()("model", po::value<std::vector<std::string>>());
  command_line.positional.add("model", -1);
  if (auto stop = command_line.parse(argc, argv)) return *stop;
  if (!command_line.values.count("model")) return command_line.usage_error("no model file given");
  const bool check = command_line.values.count("check") > 0;
  const bool write = command_line.values.count("write") > 0;
  if (check && write) return command_line.usage_error("--check and --write exclude each other");

  bool io_problem = false, failed = false;
  for (const auto& file : command_line.values["model"].as<std::vector<std::string>>()) {
    std::string content;
    if (!readable(file)) {
      io_problem = true;
      continue;
    }
    if (file == standard_input_name) {
      if (write) {
        std::cerr << "leadscore: error: --write cannot rewrite standard input\n";
        io_problem = true;
        continue;
      }
      auto text = read_standard_input();
      if (!text) {
        io_problem = true;
        continue;
      }
      content = std::move(*text);
    } else if (!read_all(file, content)) {
      std::cerr << "leadscore: error: cannot read " << file << '\n';
      io_problem = true;
      continue;
    }
    const std::string name = file == standard_input_name ? "<stdin>" : file;
    const FormatResult formatted = format_model(content, name);
    if (has_errors(formatted.diagnostics)) {
      print_diagnostics(std::cerr, formatted.diagnostics);
      failed = true;
      continue;
    }
    const bool changed = formatted.text != content;
    if (check) {
      if (changed) {
        std::cerr << name << ": would be reformatted\n";
        failed = true;
      }
    } else if (write) {
      if (changed && !replace_file(file, formatted.text)) io_problem = true;
    } else {
      std::cout << formatted.text;
    }
  }
  if (io_problem) return exit_usage;
  return failed ? exit_failed : exit_ok;
}

}  // namespace leadscore::cli
