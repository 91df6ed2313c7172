// A small lexer for tools that work on the text of a model rather than on its meaning (the
// formatter): it keeps comments and remembers how many line ends came before each token, so
// the layout around the code can be rebuilt. The parser does not use it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace leadscore::dsl {

enum class TokenKind : std::uint8_t {
  word,     // a name or keyword, including `half-life`
  number,   // `12`, `12.50`, `25%` (a sign is a token of its own)
  string,   // `"..."` exactly as written, quotes and escapes included
  punct,    // ( ) [ ] { } , : . = != < <= > >= + - * /
  comment,  // `# ...` up to the end of its line, without the line end or trailing blanks
};

struct Token {
  TokenKind kind = TokenKind::word;
  std::string_view text;              // a view into the lexed source
  std::uint32_t offset = 0;           // byte offset of the first character
  std::uint32_t newlines_before = 0;  // line ends between the previous token and this one
};

struct LexResult {
  std::vector<Token> tokens;
  // Set when the text holds something no token can start with (or an unclosed string); the
  // byte offset of that character. The parser reports such text first, so a formatter only
  // sees this after a parser bug.
  std::optional<std::uint32_t> error_at;
};

// Splits `source` into tokens. A UTF-8 byte-order mark at the start is skipped.
LexResult lex(std::string_view source);

// The reserved words of the language (spec section 9), `half-life` included.
bool is_keyword(std::string_view word);

inline bool is_punct(const Token& t, std::string_view text) {
  return t.kind == TokenKind::punct && t.text == text;
}

}  // namespace leadscore::dsl
