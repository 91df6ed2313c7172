// Internal to the formatter, not part of any public interface: the declarations shared by its
// two source files. dsl/formatter_layout.cpp plans the layout (cuts the tokens into units and
// works out the alignment columns); dsl/formatter.cpp prints the units as text and holds the
// `format_source` entry point. Nothing outside dsl/formatter*.cpp should include this header.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/tokens.hpp"

namespace leadscore::dsl::formatting {

constexpr std::size_t group_indent = 2;
constexpr std::size_t none = std::size_t(-1);

// Display width: UTF-8 code points (continuation bytes do not count).
std::size_t width(std::string_view text);

inline bool is_code(const Token& t) {
  return t.kind != TokenKind::comment;
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

// Holds the tokens of one file and turns them into formatted text. The member functions are
// defined in two places: cutting into units and alignment in formatter_layout.cpp, spacing and
// line output in formatter.cpp.
class Printer {
 public:
  explicit Printer(std::vector<Token> tokens);

  // False when the tokens do not have the shape of a model (only after a parser bug).
  bool split();

  std::string print();

  // The units `split` cut, as token ranges.
  std::vector<Range> unit_ranges() const;

 private:
  // Token facts (formatter.cpp).
  bool after_dot(std::size_t i) const;
  bool ends_operand(std::size_t i) const;

  // Printing (formatter.cpp).
  bool space_between(std::size_t a, std::size_t b) const;
  bool dropped_comma(std::size_t i, bool keep_breaks) const;
  bool keeps_breaks(Range r, std::size_t indent) const;
  std::string joined(Range r) const;
  std::vector<std::string> render(Range r, std::size_t indent, const Columns& columns) const;
  std::vector<std::string> lay_out(Range r, std::size_t indent, const Columns& columns,
                                   bool keep_breaks) const;

  // Layout planning (formatter_layout.cpp).
  bool starts_rule(std::size_t i) const;
  std::size_t with_trailing_comment(std::size_t i) const;
  std::size_t span_width(std::size_t first, std::size_t last) const;
  std::size_t last_code(Range r) const;
  void align_bands();
  void align_band_run(const std::vector<std::size_t>& run);
  void align_rules();

  std::vector<Token> t_;
  std::vector<std::size_t> prev_, next_;  // the code token before / after each token
  std::vector<bool> sign_;                // a `+` or `-` that is a sign, not an operator
  std::vector<Unit> units_;
  Columns columns_;
};

}  // namespace leadscore::dsl::formatting
