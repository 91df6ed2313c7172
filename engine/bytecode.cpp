#include "engine/bytecode.hpp"

#include "engine/text.hpp"

namespace leadscore::engine {

namespace {
struct OpInfo {
  const char* name;
  int effect;
};
constexpr OpInfo op_table[] = {
#define OPCODE(name, effect) {#name, effect},
#include "engine/opcodes.def"
#undef OPCODE
};
}  // namespace

const char* opcode_name(OpCode op) {
  return op_table[int(op)].name;
}
int stack_effect(OpCode op) {
  return op_table[int(op)].effect;
}

std::uint32_t Chunk::emit(OpCode op, std::uint32_t operand, std::uint32_t line) {
  code.push_back(encode(op, operand));
  lines.push_back(line);
  return std::uint32_t(code.size() - 1);
}

std::uint32_t Chunk::add_number(double n) {
  auto [it, fresh] = number_index.emplace(n, std::uint32_t(numbers.size()));
  if (fresh) numbers.push_back(n);
  return it->second;
}

std::uint32_t Chunk::add_string(const std::string& s) {
  auto [it, fresh] = string_index.emplace(s, std::uint32_t(strings.size()));
  if (fresh) strings.push_back(s);
  return it->second;
}

std::string disassemble_instruction(const Chunk& chunk, std::uint32_t at,
                                    const std::vector<std::string>& attribute_names,
                                    const std::vector<std::string>& property_names,
                                    const std::vector<std::string>& group_names,
                                    const std::vector<std::string>& aggregate_texts) {
  std::uint32_t word = chunk.code[at];
  OpCode op = opcode_of(word);
  std::uint32_t a = operand_of(word);
  std::string out = opcode_name(op);
  auto quoted = [](const std::string& s) { return "\"" + s + "\""; };
  auto name_at = [&](const std::vector<std::string>& names) {
    return a < names.size() ? names[a] : "#" + std::to_string(a);
  };
  switch (op) {
    case OpCode::push_number:
      out += " " + text::format_number(chunk.numbers[a]);
      break;
    case OpCode::push_timestamp:
      out += " " + text::format_number(chunk.numbers[a]) + "ms";
      break;
    case OpCode::push_string:
      out += " " + quoted(chunk.strings[a]);
      break;
    case OpCode::load_attribute:
      out += " " + name_at(attribute_names);
      break;
    case OpCode::load_property:
      out += " " + name_at(property_names);
      break;
    case OpCode::load_group:
      out += " " + name_at(group_names);
      break;
    case OpCode::load_aggregate:
      out += " " + name_at(aggregate_texts);
      break;
    case OpCode::in_list:
      out += " " + chunk.lists[a].name;
      break;
    case OpCode::matches:
      out += " " + quoted(chunk.regex_sources[a]);
      break;
    case OpCode::call_domain:
    case OpCode::call_lower:
      out += " scratch" + std::to_string(a);
      break;
    default:
      break;
  }
  return out;
}

}  // namespace leadscore::engine
