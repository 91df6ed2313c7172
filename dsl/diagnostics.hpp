// Turning byte spans into located, rendered diagnostics.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dsl/ast.hpp"
#include "leadscore/diagnostic.hpp"

namespace leadscore::dsl {

enum class Code {
#define DIAGNOSTIC(id, code, severity, summary) id,
#include "dsl/diagnostic_codes.def"
#undef DIAGNOSTIC
};

const char* code_text(Code code);
Severity code_severity(Code code);

// The text of one model file, with an index of where its lines start.
class SourceText {
 public:
  SourceText(std::string file_name, std::string text);
  const std::string& file_name() const { return file_name_; }
  const std::string& text() const { return text_; }
  std::string_view slice(Span span) const;
  SourceLocation locate(Span span) const;
  // Just the line number: cheap (no column counting), for every instruction's line.
  std::uint32_t line_of(std::uint32_t offset) const;
  std::string line_text(std::uint32_t line) const;

 private:
  std::string file_name_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;
};

// Collects the diagnostics of one compilation, in the order they are found.
class DiagnosticSink {
 public:
  explicit DiagnosticSink(const SourceText& source) : source_(source) {}
  void report(Code code, Span span, std::string message, std::string hint = {});
  bool has_errors() const { return errors_ > 0; }
  const SourceText& source() const { return source_; }
  std::vector<Diagnostic> take();

 private:
  const SourceText& source_;
  std::vector<Diagnostic> diagnostics_;
  std::size_t errors_ = 0;
};

// "did you mean `x`?" when `wrong` is close to one of `candidates`, else "".
std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates);

}  // namespace leadscore::dsl
