// The one diagnostic type, from the parser to the command line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace leadscore {

enum class Severity : std::uint8_t { error, warning, note };

struct SourceLocation {
  std::string file;
  std::uint32_t line = 0;    // 1-based; 0 when the diagnostic concerns the whole file
  std::uint32_t column = 0;  // 1-based, in characters (UTF-8 code points)
  std::uint32_t length = 1;  // characters to underline
};

// A mistake in a model, a schema or a rule test. User mistakes are values, never exceptions.
struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;  // stable, e.g. "LS104"; listed in dsl/LANGUAGE.md
  std::string message;
  SourceLocation where;
  std::string source_line;  // the text of the line, for the caret display
  std::string hint;         // may be empty
};

// `file:line:col: error: message [LS104]`, the source line, a caret line, then `hint: ...`.
std::string render(const Diagnostic& diagnostic);

bool has_errors(const std::vector<Diagnostic>& diagnostics);

const char* to_string(Severity severity);

// Every diagnostic code leadscore can report, with its severity and a one-line summary (for
// SARIF rule metadata and documentation). dsl/LANGUAGE.md explains each.
struct DiagnosticCodeInfo {
  const char* code;
  Severity severity;
  const char* summary;
};
const std::vector<DiagnosticCodeInfo>& diagnostic_codes();

}  // namespace leadscore
