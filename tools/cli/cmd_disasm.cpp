// leadscore disasm MODEL [--schema FILE]: the bytecode a model compiles to.
#include <iostream>
#include <string>

#include "tools/cli/commands.hpp"
#include "tools/cli/report.hpp"

namespace po = boost::program_options;

namespace leadscore::cli {

int run_disasm(int argc, char** argv) {
  CommandLine command_line("leadscore disasm MODEL [--schema FILE]",
                           "Compiles MODEL and prints its bytecode on stdout, one instruction a\n"
                           "line, grouped by rule. Diagnostics go to stderr.");
  add_schema_option(command_line);
  command_line.operands.add_options()("model", po::value<std::string>());
  command_line.positional.add("model", 1);
  if (auto stop = command_line.parse(argc, argv)) return *stop;
  if (!command_line.values.count("model")) return command_line.usage_error("no model file given");

  int exit_code = exit_ok;
  auto model =
      compile_model(command_line, command_line.values["model"].as<std::string>(), exit_code);
  if (!model) return exit_code;
  const std::string code = model->disassemble();
  std::cout << code;
  if (!code.empty() && code.back() != '\n') std::cout << '\n';
  return exit_ok;
}

}  // namespace leadscore::cli
