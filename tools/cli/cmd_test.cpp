// leadscore test FILE_OR_DIR... [--verbose]: runs rule tests (spec 7) and prints the outcome.
// Loading, running and comparing live in rule_tests.cpp; this file only prints.
#include <iostream>
#include <string>
#include <vector>

#include "tools/cli/commands.hpp"
#include "tools/cli/report.hpp"
#include "tools/cli/rule_tests.hpp"

namespace po = boost::program_options;

namespace leadscore::cli {
namespace {

void print_failure(const std::string& file, const CaseResult& c) {
  std::cout << "FAIL " << file << ": " << c.name << '\n';
  for (const auto& problem : c.problems) std::cout << "  " << problem << '\n';
  for (const auto& m : c.mismatches) {
    std::cout << "  " << m.key << ": expected " << m.expected << ", got " << m.actual << '\n';
  }
  if (!c.actual) return;
  std::cout << "  actual: score " << format_number(c.actual->score) << ", band " << c.actual->band
            << '\n'
            << "  groups:\n";
  print_group_totals(std::cout, *c.actual, "    ");
  std::cout << "  rules by impact:\n";
  print_contributions(std::cout, *c.actual, "    ", /*only_active=*/true);
}

void print_file(const TestFileResult& result, bool verbose) {
  const std::string file = result.file.string();
  // Warnings about a model are noise while testing it; errors explain why nothing ran.
  if (verbose || has_errors(result.model_diagnostics)) {
    std::cout.flush();  // keep stdout and stderr in order when both go to one log
    print_diagnostics(std::cerr, result.model_diagnostics);
  }
  if (!result.problems.empty()) {
    std::cout << "FAIL " << file << '\n';
    for (const auto& problem : result.problems) std::cout << "  " << problem << '\n';
  }
  for (const auto& c : result.cases) {
    if (!c.passed()) {
      print_failure(file, c);
    } else if (verbose) {
      std::cout << "ok " << file << ": " << c.name << '\n';
    }
  }
}

}  // namespace

int run_test(int argc, char** argv) {
  CommandLine command_line(
      "leadscore test FILE_OR_DIR... [--verbose]",
      "Runs rule tests: each FILE, and every *.test.yaml below each DIR (sorted). A failing\n"
      "case prints `FAIL file: case`, what differs, and the actual contributions. The run\n"
      "ends with `N passed, M failed`; a file that cannot be loaded counts as a failure.");
  command_line.options.add_options()("verbose,v",
                                     "also list passing cases and the models' warnings");
  add_allow_files_option(command_line);
  command_line.operands.add_options()("input", po::value<std::vector<std::string>>());
  command_line.positional.add("input", -1);
  if (auto stop = command_line.parse(argc, argv)) return *stop;
  if (!command_line.values.count("input")) {
    return command_line.usage_error("no test file or directory given");
  }
  const bool verbose = command_line.values.count("verbose") > 0;

  RuleTestRunner runner(allowed_file_roots(command_line));
  std::size_t passed = 0, failed = 0;
  for (const auto& input : command_line.values["input"].as<std::vector<std::string>>()) {
    // Models are read only from inside the project or checkout the tests belong to.
    runner.set_root(default_test_root(input));
    const auto files = find_test_files(input);
    if (files.empty()) std::cerr << "leadscore: warning: no *.test.yaml files in " << input << '\n';
    for (const auto& file : files) {
      const TestFileResult result = runner.run_file(file);
      print_file(result, verbose);
      passed += result.passed();
      failed += result.failed();
    }
  }
  std::cout << summary_line(passed, failed) << '\n';
  return failed == 0 ? exit_ok : exit_failed;
}

}  // namespace leadscore::cli
