#include "dsl/diagnostics.hpp"

#include <algorithm>

#include "engine/text.hpp"

namespace leadscore {

namespace {
const char* severity_names[] = {"error", "warning", "note"};
}

const char* to_string(Severity severity) {
  return severity_names[int(severity)];
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::error; });
}

std::string render(const Diagnostic& d) {
  std::string out = d.where.file;
  if (d.where.line > 0) {
    out += ':' + std::to_string(d.where.line) + ':' + std::to_string(d.where.column);
  }
  out += ": ";
  out += to_string(d.severity);
  out += ": " + d.message;
  if (!d.code.empty()) out += " [" + d.code + "]";
  out += '\n';
  if (d.where.line > 0) {
    // Tabs are kept in the caret line so the caret lines up under the token.
    out += "  " + d.source_line + '\n';
    std::string caret = "  ";
    std::uint32_t column = 1;
    for (std::size_t i = 0; i < d.source_line.size() && column < d.where.column; ++i) {
      unsigned char c = static_cast<unsigned char>(d.source_line[i]);
      if ((c & 0xC0) == 0x80) continue;
      caret += c == '\t' ? '\t' : ' ';
      ++column;
    }
    caret += '^';
    for (std::uint32_t i = 1; i < d.where.length; ++i) caret += '~';
    out += caret + '\n';
  }
  if (!d.hint.empty()) out += "  hint: " + d.hint + '\n';
  return out;
}

}  // namespace leadscore

namespace leadscore::dsl {

namespace {
struct CodeInfo {
  const char* code;
  Severity severity;
};
constexpr CodeInfo code_table[] = {
#define DIAGNOSTIC(id, code, severity, summary) {code, Severity::severity},
#include "dsl/diagnostic_codes.def"
#undef DIAGNOSTIC
};
}  // namespace

const char* code_text(Code code) {
  return code_table[int(code)].code;
}
Severity code_severity(Code code) {
  return code_table[int(code)].severity;
}

SourceText::SourceText(std::string file_name, std::string text)
    : file_name_(std::move(file_name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::string_view SourceText::slice(Span span) const {
  if (span.offset >= text_.size()) return {};
  return std::string_view(text_).substr(span.offset, span.length);
}

SourceLocation SourceText::locate(Span span) const {
  SourceLocation where;
  where.file = file_name_;
  std::uint32_t offset = std::min<std::uint32_t>(span.offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::uint32_t line_index = std::uint32_t(it - line_starts_.begin()) - 1;
  std::uint32_t start = line_starts_[line_index];
  where.line = line_index + 1;
  std::string_view text(text_);
  where.column = std::uint32_t(text::utf8_length(text.substr(start, offset - start))) + 1;
  // Underline at most to the end of the line the span starts on.
  std::size_t line_end = text_.find('\n', offset);
  if (line_end == std::string::npos) line_end = text_.size();
  std::size_t end = std::min<std::size_t>(std::size_t(offset) + span.length, line_end);
  where.length = std::max<std::uint32_t>(
      1, std::uint32_t(text::utf8_length(text.substr(offset, end - offset))));
  return where;
}

std::string SourceText::line_text(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  std::uint32_t start = line_starts_[line - 1];
  std::size_t end = text_.find('\n', start);
  if (end == std::string::npos) end = text_.size();
  std::string out = text_.substr(start, end - start);
  if (!out.empty() && out.back() == '\r') out.pop_back();
  // Very long lines are cut so a diagnostic stays readable.
  constexpr std::size_t max_shown = 200;
  if (out.size() > max_shown) {
    std::size_t cut = max_shown;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "...";
  }
  return out;
}

void DiagnosticSink::report(Code code, Span span, std::string message, std::string hint) {
  Diagnostic d;
  d.severity = code_severity(code);
  d.code = code_text(code);
  d.message = std::move(message);
  d.hint = std::move(hint);
  d.where = source_.locate(span);
  d.source_line = source_.line_text(d.where.line);
  if (d.severity == Severity::error) ++errors_;
  diagnostics_.push_back(std::move(d));
}

std::vector<Diagnostic> DiagnosticSink::take() {
  std::stable_sort(
      diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
      });
  return std::move(diagnostics_);
}

std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates) {
  auto best = text::closest_name(wrong, candidates);
  return best ? "did you mean `" + *best + "`?" : std::string();
}

}  // namespace leadscore::dsl
