#include "engine/quick_condition.hpp"

namespace leadscore::engine {

std::optional<QuickCondition> QuickCondition::recognise(const Chunk& chunk, std::uint32_t entry) {
  if (std::size_t(entry) + 4 > chunk.code.size()) return std::nullopt;
  const std::uint32_t* code = chunk.code.data() + entry;
  const OpCode op = opcode_of(code[2]);
  const bool text_op = op == OpCode::equal || op == OpCode::contains || op == OpCode::starts_with ||
                       op == OpCode::ends_with;
  if (opcode_of(code[0]) != OpCode::load_property || opcode_of(code[1]) != OpCode::push_string ||
      !text_op || opcode_of(code[3]) != OpCode::ret) {
    return std::nullopt;
  }
  return QuickCondition(op, operand_of(code[0]), chunk.strings[operand_of(code[1])]);
}

}  // namespace leadscore::engine
