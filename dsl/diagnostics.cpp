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

// The enum and diagnostic_codes() come from the same table, in the same order.
const char* code_text(Code code) {
  return diagnostic_codes()[std::size_t(code)].code;
}
Severity code_severity(Code code) {
  return diagnostic_codes()[std::size_t(code)].severity;
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

std::uint32_t SourceText::line_of(std::uint32_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return std::uint32_t(it - line_starts_.begin());
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
  // Bytes that are not UTF-8 are shown as U+FFFD, one character each, so the caret line
  // still lines up and the output stays valid UTF-8.
  while (auto bad = text::find_invalid_utf8(out)) out.replace(bad->offset, 1, "\xEF\xBF\xBD");
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
  // After this many, the rest are most likely echoes of the first ones.
  constexpr std::size_t max_reported = 200;
  if (diagnostics_.size() >= max_reported) {
    if (diagnostics_.size() == max_reported) {
      Diagnostic stop;
      stop.severity = Severity::note;
      stop.message = "too many diagnostics; stopping here";
      stop.where.file = source_.file_name();
      diagnostics_.push_back(std::move(stop));
      ++errors_;  // the model is not accepted on the strength of the ones not shown
    }
    return;
  }
  Diagnostic d;
  d.severity = code_severity(code);
  d.code = code_text(code);
  d.message = std::move(message);
  d.hint = std::move(hint);
  d.where = source_.locate(span);
  d.source_line = source_.line_text(d.where.line);
  // Underline no further than the line as shown (long lines are cut).
  std::uint32_t shown = std::uint32_t(text::utf8_length(d.source_line));
  if (d.where.column <= shown)
    d.where.length = std::min(d.where.length, shown - d.where.column + 1);
  if (d.severity == Severity::error) ++errors_;
  diagnostics_.push_back(std::move(d));
}

std::vector<Diagnostic> DiagnosticSink::take() {
  std::stable_sort(
      diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        // Diagnostics about the whole file (line 0) go last.
        auto key = [](const Diagnostic& d) {
          return std::make_pair(d.where.line == 0 ? UINT32_MAX : d.where.line, d.where.column);
        };
        return key(a) < key(b);
      });
  return std::move(diagnostics_);
}

std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates) {
  auto best = text::closest_name(wrong, candidates);
  return best ? "did you mean `" + *best + "`?" : std::string();
}

}  // namespace leadscore::dsl

namespace leadscore {

const std::vector<DiagnosticCodeInfo>& diagnostic_codes() {
  static const std::vector<DiagnosticCodeInfo> table = {
#define DIAGNOSTIC(id, code, severity, summary) {code, Severity::severity, summary},
#include "dsl/diagnostic_codes.def"
#undef DIAGNOSTIC
  };
  return table;
}

}  // namespace leadscore
