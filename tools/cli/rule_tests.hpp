// Rule tests (spec 7): YAML files naming a model, an as-of time and cases of a lead, its
// events and the expected score. This file loads and runs them; `leadscore test` prints.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "leadscore/leadscore.hpp"

namespace leadscore::cli {

// A YAML scalar as a lead attribute or event property. A quoted scalar is always a string. A
// plain one is missing when null (`~`, `null`, empty), a boolean when true/false, a number when
// the whole text is a decimal number, and a string otherwise (dates stay strings).
Value scalar_value(const YAML::Node& node);

// Expected and actual numbers agree within 0.01 (plus a hair for binary rounding).
bool within_tolerance(double expected, double actual);

// One expected value that the actual result does not meet. `key` is `score`, `band`,
// `groups.NAME`, `grades.NAME` or `rules.NAME`.
struct Mismatch {
  std::string key;
  std::string expected;
  std::string actual;
};

struct CaseResult {
  std::string name;
  // Mistakes in the case itself, each `file:line:col: message`; a case with any fails.
  std::vector<std::string> problems;
  std::vector<Mismatch> mismatches;
  std::optional<Score> actual;  // present when the case could be evaluated
  bool passed() const { return problems.empty() && mismatches.empty(); }
};

struct TestFileResult {
  std::filesystem::path file;
  // Mistakes that concern the whole file (unreadable, broken YAML, missing or broken model).
  std::vector<std::string> problems;
  // From compiling the model, when this file was the first to use it.
  std::vector<Diagnostic> model_diagnostics;
  std::vector<CaseResult> cases;

  std::size_t passed() const;
  // Failing cases; a file with problems of its own counts at least one.
  std::size_t failed() const;
};

// A file is returned as is; a directory gives every `*.test.yaml` below it, sorted. Throws
// std::filesystem::filesystem_error when a directory cannot be walked.
std::vector<std::filesystem::path> find_test_files(const std::filesystem::path& file_or_dir);

// The folder a rule-test run may read models from by default (README, "Rule tests"): the
// nearest folder at or above `input` (a test file's folder, or the folder given) that holds
// `leadscore.yaml` or `.git`, else the parent of that folder. A test in a repository can then
// name a model anywhere in the same checkout (`../spec/examples/x.score`) but nothing outside.
std::filesystem::path default_test_root(const std::filesystem::path& input);

// Runs test files, compiling each model once however many files use it. A test's `model:` must
// resolve (symlinks and `..` resolved) inside the root or one of the `allowed` folders; the
// models' list files may come from their own folder and the `allowed` ones.
class RuleTestRunner {
 public:
  explicit RuleTestRunner(std::vector<std::filesystem::path> allowed = {})
      : allowed_(std::move(allowed)) {}
  // The root for the files run next; without one, each file's default_test_root.
  void set_root(const std::filesystem::path& root) { root_ = root; }
  TestFileResult run_file(const std::filesystem::path& file);

 private:
  struct CompiledModel {
    CompileResult compiled;
    std::set<std::string> rules;
    std::set<std::string> groups;
  };
  std::shared_ptr<const CompiledModel> model_for(const std::filesystem::path& test_file,
                                                 const YAML::Node& model_node,
                                                 TestFileResult& result);

  bool may_read(const std::filesystem::path& test_file, const std::filesystem::path& real) const;

  std::map<std::filesystem::path, std::shared_ptr<const CompiledModel>> models_;
  std::vector<std::filesystem::path> allowed_;
  std::optional<std::filesystem::path> root_;
};

// "N passed, M failed", the closing line of a test run.
std::string summary_line(std::size_t passed, std::size_t failed);

}  // namespace leadscore::cli
