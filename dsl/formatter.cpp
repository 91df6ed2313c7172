// The canonical layout of a model (`leadscore fmt`).
//
// The formatter works on tokens (dsl/tokens.hpp), not on the syntax tree: the tree has no
// comments and no spelling of numbers, and the layout must keep both. The text is first parsed
// to be sure it follows the grammar (a text with syntax errors is never formatted); then the
// tokens are cut into units -- top-level items, group headers, rules, a group's closing brace
// and comments on lines of their own -- and each unit is printed on its own line(s):
//
// - Spacing inside a unit is rebuilt from the tokens: one space between tokens, none after
//   `(` `[` or a sign, none before `)` `]` `,` `:`, none around `.`, none between a function's
//   name and its `(`. A `+` or `-` is a sign (no space after it) unless it follows an operand.
// - A unit written on several lines is joined onto one line when that line (with its indent)
//   is at most 100 columns and no comment sits inside the unit; otherwise its line breaks are
//   kept where the author put them, continuation lines indented 4 more than the unit (a line
//   that starts with `)` or `]` goes back to the unit's indent). A long unit written on one line
//   stays on one line: the formatter never breaks lines, it only joins them.
// - A comment on its own line stays on its own line, indented like the code around it; a
//   comment after code stays after that code, two spaces after it.
// - Blank lines: at most one where the author put one or more; none at the start and end of
//   the file, after a group's `{` or before its `}`.
// - Alignment: in a run of consecutive bands (or of grades of one group) not separated by a
//   blank line, the `>=` and the descriptions line up. In a group, rule heads are padded so the
//   points line up and numeric points are padded so `when`/`on` lines up; a longer points
//   expression pushes its own line further.
// - A trailing comma in a list literal is dropped when the list ends on the same line.
//
// Before returning, the result is checked: it must have the same tokens and comments as the
// original (apart from dropped trailing commas) and must parse. If not, an internal error is
// returned instead of a broken file.
//
// Cutting the tokens into units and working out the alignment columns is in
// dsl/formatter_layout.cpp; this file spaces the tokens, prints the lines and checks the result.
#include "dsl/formatter.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "dsl/diagnostics.hpp"
#include "dsl/formatter_layout.hpp"
#include "dsl/parser.hpp"
#include "dsl/tokens.hpp"
#include "engine/text.hpp"

namespace leadscore {

FormatResult format_model(std::string_view source, const std::string& file_name) {
  return dsl::format_source(source, file_name);
}

}  // namespace leadscore

namespace leadscore::dsl::formatting {
namespace {

constexpr std::size_t max_joined_width = 100;
constexpr std::size_t continuation_indent = 4;
constexpr std::string_view before_trailing_comment = "  ";

}  // namespace

std::size_t width(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Links each code token to its neighbours (comments skipped) and marks which `+`/`-` are signs.
Printer::Printer(std::vector<Token> tokens) : t_(std::move(tokens)) {
  const std::size_t n = t_.size();
  prev_.assign(n, none);
  next_.assign(n, none);
  sign_.assign(n, false);
  std::size_t last = none;
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_code(t_[i])) continue;
    prev_[i] = last;
    if (last != none) next_[last] = i;
    last = i;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (is_punct(t_[i], "+") || is_punct(t_[i], "-")) {
      sign_[i] = prev_[i] == none || !ends_operand(prev_[i]);
    }
  }
}

std::string Printer::print() {
  align_bands();
  align_rules();
  std::vector<std::string> lines;
  for (std::size_t u = 0; u < units_.size(); ++u) {
    const Unit& unit = units_[u];
    const bool blank = u > 0 && t_[unit.range.begin].newlines_before >= 2 &&
                       units_[u - 1].kind != UnitKind::group_header &&
                       unit.kind != UnitKind::group_close;
    if (blank) lines.emplace_back();
    for (auto& line : render(unit.range, unit.indent, columns_)) lines.push_back(line);
  }
  std::string out;
  for (const auto& line : lines) {
    out += line;
    out += '\n';
  }
  return out;
}

bool Printer::after_dot(std::size_t i) const {
  return prev_[i] != none && is_punct(t_[prev_[i]], ".");
}

bool Printer::ends_operand(std::size_t i) const {
  const Token& t = t_[i];
  switch (t.kind) {
    case TokenKind::number:
    case TokenKind::string:
      return true;
    case TokenKind::word:
      return after_dot(i) || !is_keyword(t.text) || t.text == "true" || t.text == "false";
    case TokenKind::punct:
      return t.text == ")" || t.text == "]";
    case TokenKind::comment:
      return false;
  }
  return false;
}

bool Printer::space_between(std::size_t a, std::size_t b) const {
  const Token& x = t_[a];
  const Token& y = t_[b];
  if (is_punct(y, ",") || is_punct(y, ")") || is_punct(y, "]") || is_punct(y, ":")) return false;
  if (is_punct(x, "(") || is_punct(x, "[")) return false;
  if (is_punct(x, ".") || is_punct(y, ".")) return false;
  if (sign_[a]) return false;
  if (is_punct(y, "(") && x.kind == TokenKind::word && !is_keyword(x.text)) return false;
  return true;
}

// A `,` just before the `]` that closes a list on the same line is left out.
bool Printer::dropped_comma(std::size_t i, bool keep_breaks) const {
  if (!is_punct(t_[i], ",") || i + 1 >= t_.size() || !is_punct(t_[i + 1], "]")) return false;
  return !keep_breaks || t_[i + 1].newlines_before == 0;
}

// Whether the unit keeps the author's line breaks (see the comment at the top).
bool Printer::keeps_breaks(Range r, std::size_t indent) const {
  bool has_break = false, has_comment = false;
  for (std::size_t k = r.begin; k < r.end; ++k) {
    has_break = has_break || (k > r.begin && t_[k].newlines_before > 0);
    has_comment = has_comment || !is_code(t_[k]);
  }
  if (!has_break) return false;
  if (has_comment) return true;
  return indent + width(joined(r)) > max_joined_width;
}

// The code tokens of `r` on one line, without indent or alignment.
std::string Printer::joined(Range r) const {
  static const Columns no_columns;
  std::vector<std::string> lines = lay_out(r, 0, no_columns, false);
  return lines.empty() ? std::string() : lines.front();
}

std::vector<std::string> Printer::render(Range r, std::size_t indent,
                                         const Columns& columns) const {
  return lay_out(r, indent, columns, keeps_breaks(r, indent));
}

std::vector<std::string> Printer::lay_out(Range r, std::size_t indent, const Columns& columns,
                                          bool keep_breaks) const {
  std::vector<std::string> lines;
  std::string line;
  std::size_t column = 0;
  std::size_t previous = none;  // the code token before, on this line
  bool open = false;            // a line has been started
  auto new_line = [&](std::size_t line_indent) {
    if (open) lines.push_back(line);
    line.assign(line_indent, ' ');
    column = line_indent;
    previous = none;
    open = true;
  };
  bool after_comment = false;
  for (std::size_t k = r.begin; k < r.end; ++k) {
    const Token& t = t_[k];
    if (!is_code(t)) {
      if (!open || t.newlines_before > 0) {
        new_line(open ? indent + continuation_indent : indent);
      } else {
        line += before_trailing_comment;
      }
      line += t.text;
      column = width(line);
      after_comment = true;
      continue;
    }
    if (!open) {
      new_line(indent);
    } else if (after_comment || (keep_breaks && t.newlines_before > 0)) {
      const bool closing = is_punct(t, ")") || is_punct(t, "]");
      new_line(closing ? indent : indent + continuation_indent);
    }
    after_comment = false;
    if (dropped_comma(k, keep_breaks)) continue;
    if (previous != none) {
      std::size_t gap = space_between(previous, k) ? 1 : 0;
      if (auto c = columns.find(k); c != columns.end() && c->second > column + gap) {
        gap = c->second - column;
      }
      line.append(gap, ' ');
      column += gap;
    }
    line += t.text;
    column += width(t.text);
    previous = k;
  }
  if (open) lines.push_back(line);
  return lines;
}

}  // namespace leadscore::dsl::formatting

namespace leadscore::dsl {
namespace {

using formatting::is_code;
using formatting::Printer;

// The code tokens a reader would compare, trailing commas left out, and the comments.
struct Shape {
  std::vector<std::string_view> code, comments;
  bool operator==(const Shape&) const = default;
};

Shape shape_of(const std::vector<Token>& tokens) {
  Shape s;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (!is_code(t)) {
      s.comments.push_back(t.text);
      continue;
    }
    if (is_punct(t, ",")) {
      std::size_t k = i + 1;
      while (k < tokens.size() && !is_code(tokens[k])) ++k;
      if (k < tokens.size() && is_punct(tokens[k], "]")) continue;
    }
    s.code.push_back(t.text);
  }
  return s;
}

// The syntax errors among the parser's diagnostics: text that does not follow the grammar.
// Other errors (an unknown list, a repeated `model`) do not stop formatting.
std::vector<Diagnostic> syntax_errors(std::string_view source, const std::string& file_name) {
  SourceText text(file_name, std::string(source));
  DiagnosticSink sink(text);
  parse_model(text, Limits{}, sink);
  std::vector<Diagnostic> errors;
  for (auto& d : sink.take()) {
    static const std::string blocking[] = {
        code_text(Code::syntax), code_text(Code::unterminated_string), code_text(Code::bad_escape),
        code_text(Code::nesting_too_deep)};
    if (std::find(std::begin(blocking), std::end(blocking), d.code) != std::end(blocking)) {
      errors.push_back(std::move(d));
    }
  }
  return errors;
}

FormatResult internal_error(const std::string& file_name, const std::string& why) {
  Diagnostic d;
  d.code = code_text(Code::internal_error);
  d.severity = code_severity(Code::internal_error);
  d.message = "cannot format this file: " + why;
  d.hint = "the file is left as it is; please report this together with the model file";
  d.where.file = file_name;
  return FormatResult{{}, {std::move(d)}};
}

}  // namespace

std::vector<Span> layout_units(std::string_view source) {
  LexResult lexed = lex(source);
  if (lexed.error_at) return {};
  const std::vector<Token> tokens = lexed.tokens;
  Printer printer(std::move(lexed.tokens));
  if (!printer.split()) return {};
  std::vector<Span> out;
  for (const formatting::Range& r : printer.unit_ranges()) {
    if (r.begin >= r.end) continue;
    const Token& last = tokens[r.end - 1];
    const std::uint32_t begin = tokens[r.begin].offset;
    out.push_back(Span{begin, std::uint32_t(last.offset + last.text.size() - begin)});
  }
  return out;
}

FormatResult format_source(std::string_view source, const std::string& file_name) {
  const Limits limits;
  if (source.size() > limits.max_file_bytes || text::find_invalid_utf8(source)) {
    // The compiler's own diagnostics for a file it refuses before parsing.
    CompileResult refused = leadscore::Model::compile(source, file_name);
    std::erase_if(refused.diagnostics,
                  [](const Diagnostic& d) { return d.severity != Severity::error; });
    return FormatResult{{}, std::move(refused.diagnostics)};
  }
  if (auto errors = syntax_errors(source, file_name); !errors.empty()) {
    return FormatResult{{}, std::move(errors)};
  }
  LexResult lexed = lex(source);
  if (lexed.error_at) return internal_error(file_name, "unexpected character");
  const Shape before = shape_of(lexed.tokens);

  Printer printer(std::move(lexed.tokens));
  if (!printer.split()) return internal_error(file_name, "unexpected structure");
  std::string text = printer.print();
  if (source.substr(0, 3) == "\xEF\xBB\xBF") text.insert(0, "\xEF\xBB\xBF");

  // Never hand back a text that reads differently from the original.
  LexResult again = lex(text);
  if (again.error_at || shape_of(again.tokens) != before ||
      !syntax_errors(text, file_name).empty()) {
    return internal_error(file_name, "the formatted text would not match the original");
  }
  return FormatResult{std::move(text), {}};
}

}  // namespace leadscore::dsl
