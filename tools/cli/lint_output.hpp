// What `leadscore lint` prints: pure functions from the linted files and their diagnostics to
// text, so that every format is unit-tested without running a model. cmd_lint.cpp parses the
// options, compiles the models and prints what these functions return.
//
// Formats (everything goes to stdout; the summary line `N errors, M warnings in K files` always
// goes to stderr):
//
// text    Like a compiler: render() of each diagnostic, in file order then source order.
//
// json    One document. Keys are stable; new keys may be added, none renamed or removed
//         without raising "version".
//           {
//             "version": 1,
//             "files": [                       // every linted file, in the order linted
//               {"file": "rules/b2b.score",    // the path as given or found
//                "diagnostics": [
//                  {"severity": "warning",     // "error", "warning" or "note"
//                   "code": "LS012",
//                   "message": "...",
//                   "line": 4,                 // 1-based; 0 when about the whole file
//                   "column": 3,               // 1-based, in code points; 0 with line 0
//                   "length": 5,               // code points underlined; 0 with line 0
//                   "hint": "..."}]}],         // "" when there is none
//             "summary": {"errors": 0, "warnings": 1, "files": 1}
//           }
//
// sarif   SARIF 2.1.0 for GitHub code scanning: one run whose tool.driver lists, as rules, the
//         codes that occur (sorted, with the summary from diagnostic_codes()), and one result
//         per diagnostic. Artifact URIs are relative to the working directory with forward
//         slashes (file:// URIs for files outside it); columns count code points and
//         endColumn is exclusive. A diagnostic about a whole file has no region.
//
// github  GitHub Actions workflow commands, one line per diagnostic:
//           ::warning file=rules/b2b.score,line=4,col=3,endColumn=8,title=LS012::message
//         (`::error` for errors, `::notice` for notes; no line or columns for a whole file).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/diagnostic.hpp"

namespace leadscore::cli {

// The document that explains every code; SARIF rules point at it in their `help` text (the
// project has no public web address to give as a helpUri).
inline constexpr std::string_view codes_doc = "dsl/LANGUAGE.md";

// One model file and what compiling it with the lint checks reported.
struct LintedFile {
  std::string file;
  std::vector<Diagnostic> diagnostics;
};

struct LintCounts {
  std::size_t errors = 0;
  std::size_t warnings = 0;  // notes are counted in neither
  std::size_t files = 0;
};

enum class LintFormat { text, json, sarif, github };

// The --format value, or nothing when it is not one of text, json, sarif, github.
std::optional<LintFormat> parse_lint_format(std::string_view name);

LintCounts count_diagnostics(const std::vector<LintedFile>& files);

// `2 errors, 1 warning in 3 files`, every part always present.
std::string lint_summary(const LintCounts& counts);

// 2 when a file or directory could not be read (the others are still linted and reported),
// else 1 when there are errors, or warnings under --werror, else 0.
int lint_exit_code(const LintCounts& counts, bool werror, bool io_problem);

// What the output needs besides the diagnostics.
struct LintOutputContext {
  std::string tool_version;    // SARIF's tool.driver.version
  std::filesystem::path base;  // absolute; SARIF and GitHub paths are made relative to it
};

std::string format_lint_text(const std::vector<LintedFile>& files);
std::string format_lint_json(const std::vector<LintedFile>& files);
std::string format_lint_sarif(const std::vector<LintedFile>& files,
                              const LintOutputContext& context);
std::string format_lint_github(const std::vector<LintedFile>& files,
                               const LintOutputContext& context);
std::string format_lint(LintFormat format, const std::vector<LintedFile>& files,
                        const LintOutputContext& context);

// `file` relative to `base` with forward slashes (`rules/b2b.score`), or the absolute path
// when it lies outside `base`.
std::string path_from_base(const std::string& file, const std::filesystem::path& base);
// path_from_base() as a URI reference: percent-encoded, and `file:///...` when absolute.
std::string artifact_uri(const std::string& file, const std::filesystem::path& base);

// Workflow-command escaping: the message after `::`, and a property value (which also
// escapes `:` and `,`).
std::string github_escape_data(std::string_view text);
std::string github_escape_property(std::string_view text);

}  // namespace leadscore::cli
