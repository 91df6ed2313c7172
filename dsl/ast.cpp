#include "dsl/ast.hpp"

namespace leadscore::dsl {

const char* op_text(Op op) {
  switch (op) {
    case Op::add:
      return "+";
    case Op::sub:
      return "-";
    case Op::mul:
      return "*";
    case Op::div:
      return "/";
    case Op::negate:
      return "-";
    case Op::eq:
      return "=";
    case Op::ne:
      return "!=";
    case Op::lt:
      return "<";
    case Op::le:
      return "<=";
    case Op::gt:
      return ">";
    case Op::ge:
      return ">=";
    case Op::between:
      return "between";
    case Op::in:
      return "in";
    case Op::not_in:
      return "not in";
    case Op::contains:
      return "contains";
    case Op::starts_with:
      return "starts with";
    case Op::ends_with:
      return "ends with";
    case Op::matches:
      return "matches";
    case Op::is_missing:
      return "is missing";
    case Op::is_present:
      return "is present";
    case Op::logical_not:
      return "not";
    case Op::logical_and:
      return "and";
    case Op::logical_or:
      return "or";
  }
  return "?";
}

}  // namespace leadscore::dsl
