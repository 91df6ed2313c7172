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
#include "dsl/formatter.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dsl/diagnostics.hpp"
#include "dsl/parser.hpp"
#include "dsl/tokens.hpp"
#include "engine/text.hpp"

namespace leadscore {

FormatResult format_model(std::string_view source, const std::string& file_name) {
  return dsl::format_source(source, file_name);
}

}  // namespace leadscore

namespace leadscore::dsl {
namespace {

constexpr std::size_t max_joined_width = 100;
constexpr std::size_t group_indent = 2;
constexpr std::size_t continuation_indent = 4;
constexpr std::string_view before_trailing_comment = "  ";
constexpr std::size_t none = std::size_t(-1);

// Display width: UTF-8 code points (continuation bytes do not count).
std::size_t width(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool is_code(const Token& t) {
  return t.kind != TokenKind::comment;
}

bool starts_item(std::string_view word) {
  static constexpr std::string_view words[] = {"model", "version", "scale",      "band", "grade",
                                               "list",  "fit",     "engagement", "limit"};
  return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

struct Range {
  std::size_t begin = 0, end = 0;  // token indices, [begin, end)
};

enum class UnitKind { comment, item, group_header, rule, group_close };

// What is printed starting on a line of its own.
struct Unit {
  UnitKind kind;
  Range range;
  std::size_t indent;
};

// Token index -> the column (0-based) a token must not start before, for alignment. Only
// applies to a token that does not start its line.
using Columns = std::map<std::size_t, std::size_t>;

class Printer {
 public:
  explicit Printer(std::vector<Token> tokens) : t_(std::move(tokens)) {
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

  // False when the tokens do not have the shape of a model (only after a parser bug).
  bool split() {
    std::size_t i = 0;
    bool in_group = false;
    while (i < t_.size()) {
      const Token& t = t_[i];
      if (!is_code(t)) {
        units_.push_back({UnitKind::comment, {i, i + 1}, in_group ? group_indent : 0});
        ++i;
      } else if (in_group && is_punct(t, "}")) {
        units_.push_back({UnitKind::group_close, {i, with_trailing_comment(i)}, 0});
        in_group = false;
        i = units_.back().range.end;
      } else if (in_group) {
        std::size_t last = i;
        for (std::size_t k = next_[i]; k != none; k = next_[k]) {
          if (is_punct(t_[k], "}") || starts_rule(k)) break;
          last = k;
        }
        units_.push_back({UnitKind::rule, {i, with_trailing_comment(last)}, group_indent});
        i = units_.back().range.end;
      } else if (t.kind == TokenKind::word && starts_item(t.text)) {
        std::size_t last = i;
        if (t.text == "fit" || t.text == "engagement") {
          while (last != none && !is_punct(t_[last], "{")) last = next_[last];
          if (last == none) return false;
          units_.push_back({UnitKind::group_header, {i, with_trailing_comment(last)}, 0});
          in_group = true;
        } else {
          std::size_t position = 0;
          for (std::size_t k = next_[i]; k != none; k = next_[k]) {
            ++position;
            const bool label =
                (t.text == "band" && position == 1) || (t.text == "grade" && position == 2);
            if (!label && t_[k].kind == TokenKind::word && !after_dot(k) &&
                starts_item(t_[k].text)) {
              break;
            }
            if (is_punct(t_[k], "{") || is_punct(t_[k], "}")) return false;
            last = k;
          }
          units_.push_back({UnitKind::item, {i, with_trailing_comment(last)}, 0});
        }
        i = units_.back().range.end;
      } else {
        return false;
      }
    }
    return !in_group;
  }

  std::string print() {
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

 private:
  bool after_dot(std::size_t i) const { return prev_[i] != none && is_punct(t_[prev_[i]], "."); }

  bool ends_operand(std::size_t i) const {
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

  // `name:` or `name "label":` starts at token i.
  bool starts_rule(std::size_t i) const {
    if (t_[i].kind != TokenKind::word || after_dot(i)) return false;
    std::size_t k = next_[i];
    if (k != none && t_[k].kind == TokenKind::string) k = next_[k];
    return k != none && is_punct(t_[k], ":");
  }

  // One past token i, or past the comment that follows it on its line.
  std::size_t with_trailing_comment(std::size_t i) const {
    if (i + 1 < t_.size() && !is_code(t_[i + 1]) && t_[i + 1].newlines_before == 0) return i + 2;
    return i + 1;
  }

  bool space_between(std::size_t a, std::size_t b) const {
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
  bool dropped_comma(std::size_t i, bool keep_breaks) const {
    if (!is_punct(t_[i], ",") || i + 1 >= t_.size() || !is_punct(t_[i + 1], "]")) return false;
    return !keep_breaks || t_[i + 1].newlines_before == 0;
  }

  // Whether the unit keeps the author's line breaks (see the comment at the top).
  bool keeps_breaks(Range r, std::size_t indent) const {
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
  std::string joined(Range r) const {
    static const Columns no_columns;
    std::vector<std::string> lines = lay_out(r, 0, no_columns, false);
    return lines.empty() ? std::string() : lines.front();
  }

  std::vector<std::string> render(Range r, std::size_t indent, const Columns& columns) const {
    return lay_out(r, indent, columns, keeps_breaks(r, indent));
  }

  std::vector<std::string> lay_out(Range r, std::size_t indent, const Columns& columns,
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

  std::size_t span_width(std::size_t first, std::size_t last) const {
    return width(joined(Range{first, last + 1}));
  }

  // The last code token of a unit.
  std::size_t last_code(Range r) const {
    std::size_t k = r.end - 1;
    while (!is_code(t_[k])) --k;
    return k;
  }

  // Bands (and grades of one group) that follow each other without a blank line: `>=` in one
  // column, descriptions in the next.
  void align_bands() {
    std::vector<std::size_t> run;
    std::string_view run_kind, run_group;
    auto flush = [&] {
      align_band_run(run);
      run.clear();
    };
    for (std::size_t u = 0; u < units_.size(); ++u) {
      const Unit& unit = units_[u];
      const bool blank = t_[unit.range.begin].newlines_before >= 2;
      if (unit.kind == UnitKind::comment) {
        if (blank) flush();
        continue;
      }
      const Token& first = t_[unit.range.begin];
      const bool band_like = unit.kind == UnitKind::item &&
                             (first.text == "band" || first.text == "grade") &&
                             !keeps_breaks(unit.range, unit.indent);
      if (!band_like) {
        flush();
        continue;
      }
      std::string_view group = first.text == "grade" ? t_[next_[unit.range.begin]].text : "";
      if (blank || first.text != run_kind || group != run_group) flush();
      run_kind = first.text;
      run_group = group;
      run.push_back(u);
    }
    flush();
  }

  void align_band_run(const std::vector<std::size_t>& run) {
    struct Parts {
      std::size_t first, threshold = none, description = none, last;
    };
    std::vector<Parts> parts;
    std::size_t head_width = 0, threshold_width = 0;
    for (std::size_t u : run) {
      Parts p;
      p.first = units_[u].range.begin;
      p.last = last_code(units_[u].range);
      for (std::size_t k = p.first; k != none && k <= p.last; k = next_[k]) {
        if (is_punct(t_[k], ">=")) p.threshold = k;
      }
      if (t_[p.last].kind == TokenKind::string) p.description = p.last;
      if (p.threshold != none) {
        head_width = std::max(head_width, span_width(p.first, prev_[p.threshold]));
        const std::size_t end = p.description != none ? prev_[p.description] : p.last;
        threshold_width = std::max(threshold_width, span_width(p.threshold, end));
      }
      parts.push_back(p);
    }
    const std::size_t threshold_column = head_width + 1;
    std::size_t description_column = threshold_width ? threshold_column + threshold_width + 1 : 0;
    for (const Parts& p : parts) {
      if (p.threshold == none && p.description != none) {
        description_column =
            std::max(description_column, span_width(p.first, prev_[p.description]) + 1);
      }
    }
    for (const Parts& p : parts) {
      if (p.threshold != none) columns_[p.threshold] = threshold_column;
      if (p.description != none) columns_[p.description] = description_column;
    }
  }

  // In each group: `name "label":` padded so the points line up, numeric points padded so the
  // `when`/`on` after them lines up.
  void align_rules() {
    std::size_t u = 0;
    while (u < units_.size()) {
      if (units_[u].kind != UnitKind::group_header) {
        ++u;
        continue;
      }
      struct Rule {
        std::size_t points, after_points, head_width, points_width;
      };
      std::vector<Rule> rules;
      std::size_t head_width = 0, points_width = 0;
      for (++u; u < units_.size() && units_[u].kind != UnitKind::group_close; ++u) {
        if (units_[u].kind != UnitKind::rule) continue;
        const std::size_t name = units_[u].range.begin;
        std::size_t colon = next_[name];
        if (colon != none && t_[colon].kind == TokenKind::string) colon = next_[colon];
        if (colon == none || !is_punct(t_[colon], ":")) continue;
        bool regular = true;
        for (std::size_t k = name + 1; k <= colon; ++k) {
          regular = regular && is_code(t_[k]) && t_[k].newlines_before == 0;
        }
        const std::size_t sign = next_[colon];
        if (!regular || sign == none || !sign_[sign] || next_[sign] == none) continue;
        Rule rule{sign, none, span_width(name, colon), 0};
        if (t_[next_[sign]].kind == TokenKind::number) {
          rule.points_width = span_width(sign, next_[sign]);
          rule.after_points = next_[next_[sign]];
        } else if (is_punct(t_[next_[sign]], "(")) {
          int depth = 0;
          std::size_t k = next_[sign];
          for (; k != none; k = next_[k]) {
            depth += is_punct(t_[k], "(") ? 1 : is_punct(t_[k], ")") ? -1 : 0;
            if (depth == 0) break;
          }
          rule.after_points = k == none ? none : next_[k];
        }
        if (rule.after_points != none && rule.after_points >= units_[u].range.end) {
          rule.after_points = none;
        }
        head_width = std::max(head_width, rule.head_width);
        points_width = std::max(points_width, rule.points_width);
        rules.push_back(rule);
      }
      for (const Rule& rule : rules) {
        columns_[rule.points] = group_indent + head_width + 1;
        if (rule.after_points != none) {
          columns_[rule.after_points] = group_indent + head_width + 1 + points_width + 1;
        }
      }
    }
  }

  std::vector<Token> t_;
  std::vector<std::size_t> prev_, next_;  // the code token before / after each token
  std::vector<bool> sign_;                // a `+` or `-` that is a sign, not an operator
  std::vector<Unit> units_;
  Columns columns_;
};

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
