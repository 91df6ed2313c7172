// The bytecode container: instructions, the source line of each, and the constant tables.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace re2 {
class RE2;
}

namespace leadscore::engine {

enum class OpCode : std::uint8_t {
#define OPCODE(name, effect) name,
#include "engine/opcodes.def"
#undef OPCODE
};

const char* opcode_name(OpCode op);
int stack_effect(OpCode op);

constexpr std::uint32_t max_operand = (1u << 24) - 1;

inline std::uint32_t encode(OpCode op, std::uint32_t a = 0) {
  return std::uint32_t(op) | (a << 8);
}
inline OpCode opcode_of(std::uint32_t word) {
  return OpCode(word & 0xFF);
}
inline std::uint32_t operand_of(std::uint32_t word) {
  return word >> 8;
}

// A list's entries, normalised once so that membership is a hash lookup.
struct CompiledList {
  std::string name;
  std::unordered_set<std::string> strings;  // trimmed and lower-cased
  std::unordered_set<double> numbers;
};

struct Chunk {
  std::vector<std::uint32_t> code;
  std::vector<std::uint32_t> lines;  // source line of each instruction
  std::vector<double> numbers;
  std::vector<std::string> strings;
  std::vector<CompiledList> lists;
  std::vector<std::shared_ptr<const re2::RE2>> regexes;
  std::vector<std::string> regex_sources;
  std::unordered_map<double, std::uint32_t> number_index;  // constants are stored once
  std::unordered_map<std::string, std::uint32_t> string_index;
  std::uint32_t scratch_strings = 0;  // call sites that build a string
  std::uint32_t max_stack = 0;        // deepest stack any block needs

  // Appends an instruction; returns its index.
  std::uint32_t emit(OpCode op, std::uint32_t operand, std::uint32_t line);
  std::uint32_t add_number(double n);
  std::uint32_t add_string(const std::string& s);
};

// One instruction as text: `push_number 15`, `load_attribute employees`...
std::string disassemble_instruction(const Chunk& chunk, std::uint32_t at,
                                    const std::vector<std::string>& attribute_names,
                                    const std::vector<std::string>& property_names,
                                    const std::vector<std::string>& group_names,
                                    const std::vector<std::string>& aggregate_texts);

}  // namespace leadscore::engine
