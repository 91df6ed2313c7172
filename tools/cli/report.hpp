// How the command line shows numbers, diagnostics and a score's explanation. Shared by
// `eval` (text output) and `test` (the report under a failing case), and header-only because
// the unit tests compile rule_tests.cpp without the command files.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/diagnostic.hpp"
#include "leadscore/leadscore.hpp"

namespace leadscore::cli {

// Half away from zero, as spec 4.4 reports every value: round(x * 100) / 100.
inline double round_to(double x, int decimals = 2) {
  const double scale = std::pow(10.0, decimals);
  const double rounded = std::round(x * scale) / scale;
  return rounded == 0 ? 0 : rounded;  // folds -0 into 0
}

// Rounded with round_to and written without trailing zeros: 10.86, 10.9, 75, -0.02.
inline std::string format_number(double x, int decimals = 2) {
  const double rounded = round_to(x, decimals);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, rounded);
  std::string text = buffer;
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

// render() output, each diagnostic ending with exactly one newline.
inline void print_diagnostics(std::ostream& out, const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    std::string text = render(d);
    out << text;
    if (text.empty() || text.back() != '\n') out << '\n';
  }
}

// One line per group: name, total, grade, and the total before limits when a limit moved it.
inline void print_group_totals(std::ostream& out, const Score& score, std::string_view indent) {
  std::size_t name_width = 0, total_width = 0;
  for (const auto& g : score.groups) {
    name_width = std::max(name_width, g.group.size());
    total_width = std::max(total_width, format_number(g.total).size());
  }
  for (const auto& g : score.groups) {
    std::string total = format_number(g.total);
    std::string line = std::string(indent) + g.group +
                       std::string(name_width - g.group.size(), ' ') + "  " +
                       std::string(total_width - total.size(), ' ') + total;
    if (!g.grade.empty()) line += "  grade " + g.grade;
    std::string before = format_number(g.before_limits);
    if (before != total) line += "  (before limits " + before + ")";
    out << line << '\n';
  }
}

// The rule contributions, largest impact first, as an aligned table with a header row.
// With `only_active`, rules that neither matched nor scored are left out and counted instead.
inline void print_contributions(std::ostream& out, const Score& score, std::string_view indent,
                                bool only_active = false) {
  const std::vector<RuleContribution> rules = by_impact(score.rules);
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"rule", "group", "points", "counted/matches", "undecayed", "label"});
  bool any_label = false;
  std::size_t idle = 0;
  for (const auto& r : rules) {
    if (only_active && r.matches == 0 && r.points == 0) {
      ++idle;
      continue;
    }
    rows.push_back({r.rule, r.group, format_number(r.points),
                    std::to_string(r.counted) + "/" + std::to_string(r.matches),
                    format_number(r.undecayed), r.label});
    any_label = any_label || !r.label.empty();
  }
  const std::size_t columns = any_label ? 6 : 5;
  std::vector<std::size_t> width(columns, 0);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < columns; ++c) width[c] = std::max(width[c], row[c].size());
  }
  // Text columns (rule, group, label) lean left, numbers lean right.
  auto numeric = [](std::size_t c) { return c >= 2 && c <= 4; };
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line(indent);
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string& cell = rows[r][c];
      std::string pad(width[c] - cell.size(), ' ');
      if (c > 0) line += "  ";
      line += numeric(c) ? pad + cell : cell + pad;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << '\n';
  }
  if (idle > 0) out << indent << "(" << idle << " more without matches)\n";
}

}  // namespace leadscore::cli
