// Conditions of the shape `PROPERTY OP "text"` (OP: =, contains, starts with, ends with),
// answered without the VM. They are most `where` clauses of engagement rules, and they run
// for every event of their type, so the interpreter's dispatch and stack traffic are worth
// skipping. The answer uses the same text functions as the VM; a property that is not a
// string is left to the VM (equality then compares times, the others are unknown).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/bytecode.hpp"
#include "engine/text.hpp"
#include "engine/vm.hpp"

namespace leadscore::engine {

class QuickCondition {
 public:
  // Recognises the block at `entry`: [load_property P] [push_string S] [OP] [ret].
  static std::optional<QuickCondition> recognise(const Chunk& chunk, std::uint32_t entry);

  // True or false, or nullopt when the VM must decide (the property is not a string).
  std::optional<bool> test(const Cell* properties) const {
    const Cell& value = properties[property_];
    if (value.kind != Cell::Kind::string) return std::nullopt;
    switch (op_) {
      case OpCode::equal:
        return text::equals_folded(value.text, needle_);
      case OpCode::contains:
        return text::contains_folded(value.text, needle_);
      case OpCode::starts_with:
        return text::starts_with_folded(value.text, needle_);
      default:
        return text::ends_with_folded(value.text, needle_);
    }
  }

 private:
  QuickCondition(OpCode op, std::uint32_t property, std::string_view needle)
      : op_(op), property_(property), needle_(needle) {}

  OpCode op_;
  std::uint32_t property_;
  std::string_view needle_;  // into the chunk's string constants
};

}  // namespace leadscore::engine
