// Layout planning for `leadscore fmt`: the tokens are cut into units (what starts on a line
// of its own) and the columns that line up bands, grades and rules are worked out. How a unit
// is then turned into text is in dsl/formatter.cpp; see the comment at its top for the rules.
#include "dsl/formatter_layout.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/tokens.hpp"

namespace leadscore::dsl::formatting {
namespace {

bool starts_item(std::string_view word) {
  static constexpr std::string_view words[] = {"model", "version", "scale",      "band", "grade",
                                               "list",  "fit",     "engagement", "limit"};
  return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

}  // namespace

bool Printer::split() {
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
          if (!label && t_[k].kind == TokenKind::word && !after_dot(k) && starts_item(t_[k].text)) {
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

std::vector<Range> Printer::unit_ranges() const {
  std::vector<Range> out;
  out.reserve(units_.size());
  for (const Unit& u : units_) out.push_back(u.range);
  return out;
}

// `name:` or `name "label":` starts at token i.
bool Printer::starts_rule(std::size_t i) const {
  if (t_[i].kind != TokenKind::word || after_dot(i)) return false;
  std::size_t k = next_[i];
  if (k != none && t_[k].kind == TokenKind::string) k = next_[k];
  return k != none && is_punct(t_[k], ":");
}

// One past token i, or past the comment that follows it on its line.
std::size_t Printer::with_trailing_comment(std::size_t i) const {
  if (i + 1 < t_.size() && !is_code(t_[i + 1]) && t_[i + 1].newlines_before == 0) return i + 2;
  return i + 1;
}

// How wide tokens first..last are when joined on one line.
std::size_t Printer::span_width(std::size_t first, std::size_t last) const {
  return width(joined(Range{first, last + 1}));
}

// The last code token of a unit.
std::size_t Printer::last_code(Range r) const {
  std::size_t k = r.end - 1;
  while (!is_code(t_[k])) --k;
  return k;
}

// Bands (and grades of one group) that follow each other without a blank line: `>=` in one
// column, descriptions in the next.
void Printer::align_bands() {
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

void Printer::align_band_run(const std::vector<std::size_t>& run) {
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
void Printer::align_rules() {
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

}  // namespace leadscore::dsl::formatting
