#include "dsl/tokens.hpp"

#include <algorithm>
#include <iterator>

namespace leadscore::dsl {
namespace {

bool word_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool word_char(char c) {
  return word_start(c) || (c >= '0' && c <= '9');
}
bool digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

bool is_keyword(std::string_view word) {
  static constexpr std::string_view keywords[] = {
      "model",   "version", "scale",      "to",       "band",   "grade", "list",
      "file",    "fit",     "engagement", "cap",      "floor",  "decay", "half-life",
      "linear",  "every",   "none",       "no",       "within", "limit", "unless",
      "when",    "on",      "where",      "once",     "per",    "and",   "or",
      "not",     "in",      "between",    "contains", "starts", "ends",  "with",
      "matches", "is",      "missing",    "present",  "any",    "lead",  "true",
      "false",   "hour",    "hours",      "day",      "days",   "week",  "weeks"};
  return std::find(std::begin(keywords), std::end(keywords), word) != std::end(keywords);
}

LexResult lex(std::string_view source) {
  LexResult result;
  std::size_t pos = source.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  std::uint32_t newlines = 0;
  auto push = [&](TokenKind kind, std::size_t begin, std::size_t end) {
    result.tokens.push_back(
        Token{kind, source.substr(begin, end - begin), std::uint32_t(begin), newlines});
    newlines = 0;
  };
  while (pos < source.size()) {
    const char c = source[pos];
    if (c == '\n') {
      ++newlines;
      ++pos;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++pos;
    } else if (c == '#') {
      std::size_t end = source.find('\n', pos);
      if (end == std::string_view::npos) end = source.size();
      std::size_t last = end;
      while (last > pos &&
             (source[last - 1] == ' ' || source[last - 1] == '\t' || source[last - 1] == '\r')) {
        --last;
      }
      push(TokenKind::comment, pos, last);
      pos = end;
    } else if (word_start(c)) {
      std::size_t end = pos + 1;
      while (end < source.size() && word_char(source[end])) ++end;
      // `half-life` is one keyword, unless more letters follow (`half-lifes` is half - lifes).
      if (source.substr(pos, end - pos) == "half" && source.substr(end, 5) == "-life" &&
          (end + 5 >= source.size() || !word_char(source[end + 5]))) {
        end += 5;
      }
      push(TokenKind::word, pos, end);
      pos = end;
    } else if (digit(c)) {
      std::size_t end = pos + 1;
      while (end < source.size() && digit(source[end])) ++end;
      if (end + 1 < source.size() && source[end] == '.' && digit(source[end + 1])) {
        end += 2;
        while (end < source.size() && digit(source[end])) ++end;
      }
      if (end < source.size() && source[end] == '%') ++end;
      push(TokenKind::number, pos, end);
      pos = end;
    } else if (c == '"') {
      std::size_t end = pos + 1;
      while (end < source.size() && source[end] != '"' && source[end] != '\n') {
        end += source[end] == '\\' ? 2 : 1;
      }
      if (end >= source.size() || source[end] != '"') {
        result.error_at = std::uint32_t(pos);
        return result;
      }
      push(TokenKind::string, pos, end + 1);
      pos = end + 1;
    } else {
      const char next = pos + 1 < source.size() ? source[pos + 1] : '\0';
      if ((c == '!' || c == '<' || c == '>') && next == '=') {
        push(TokenKind::punct, pos, pos + 2);
        pos += 2;
      } else if (std::string_view("()[]{},:.=<>+-*/").find(c) != std::string_view::npos) {
        push(TokenKind::punct, pos, pos + 1);
        ++pos;
      } else {
        result.error_at = std::uint32_t(pos);
        return result;
      }
    }
  }
  return result;
}

}  // namespace leadscore::dsl
