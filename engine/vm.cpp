#include "engine/vm.hpp"

#include <re2/re2.h>

#include <cmath>

#include "engine/text.hpp"
#include "leadscore/value.hpp"

namespace leadscore::engine {
namespace {

using Kind = Cell::Kind;
constexpr double ms_per_day = 86'400'000.0;

// A string read where a timestamp is expected (spec 5.2); other kinds pass through.
Cell as_time(const Cell& c) {
  if (c.kind != Kind::string) return c;
  auto ts = parse_timestamp(c.text);
  return ts ? Cell::of_timestamp(double(*ts)) : Cell::missing();
}

// Brings two operands to a common kind for comparing, or returns false (unknown).
bool comparable(Cell& a, Cell& b) {
  if (a.kind == Kind::missing || b.kind == Kind::missing) return false;
  if (a.kind == Kind::timestamp || b.kind == Kind::timestamp) {
    a = as_time(a);
    b = as_time(b);
  }
  return a.kind == b.kind;
}

Cell equal(Cell a, Cell b) {
  if (!comparable(a, b)) return Cell::missing();
  if (a.kind == Kind::string) return Cell::of_bool(text::equals_folded(a.text, b.text));
  return Cell::of_bool(a.number == b.number);
}

// -1, 0, 1, or 2 when unknown. Two strings order only when both are times.
int order(Cell a, Cell b) {
  if (a.kind == Kind::string && b.kind == Kind::string) {
    a = as_time(a);
    b = as_time(b);
  }
  if (!comparable(a, b)) return 2;
  if (a.kind != Kind::number && a.kind != Kind::timestamp) return 2;
  return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
}

Cell arithmetic(OpCode op, const Cell& a, const Cell& b) {
  if (a.kind != Kind::number || b.kind != Kind::number) return Cell::missing();
  switch (op) {
    case OpCode::add:
      return Cell::of_number(a.number + b.number);
    case OpCode::subtract:
      return Cell::of_number(a.number - b.number);
    case OpCode::multiply:
      return Cell::of_number(a.number * b.number);
    default:
      if (b.number == 0) return Cell::missing();
      return Cell::of_number(a.number / b.number);
  }
}

// 1 true, 0 false, -1 unknown.
int truth(const Cell& c) {
  if (c.kind != Kind::boolean) return -1;
  return c.number != 0 ? 1 : 0;
}
Cell from_truth(int t) {
  return t < 0 ? Cell::missing() : Cell::of_bool(t == 1);
}

Cell in_list(const CompiledList& list, const Cell& x, std::string& buffer) {
  switch (x.kind) {
    case Kind::number:
      return Cell::of_bool(list.numbers.count(x.number) > 0);
    case Kind::boolean:
      return Cell::of_bool(list.strings.count(x.number ? "true" : "false") > 0);
    case Kind::string:
      text::lower_into(text::trim(x.text), buffer);
      return Cell::of_bool(list.strings.count(buffer) > 0);
    default:
      return Cell::missing();
  }
}

Cell text_test(OpCode op, const Cell& a, const Cell& b) {
  if (a.kind != Kind::string || b.kind != Kind::string) return Cell::missing();
  switch (op) {
    case OpCode::contains:
      return Cell::of_bool(text::contains_folded(a.text, b.text));
    case OpCode::starts_with:
      return Cell::of_bool(text::starts_with_folded(a.text, b.text));
    default:
      return Cell::of_bool(text::ends_with_folded(a.text, b.text));
  }
}

Cell domain(const Cell& x, std::string& out) {
  if (x.kind != Kind::string) return Cell::missing();
  std::string_view s = text::trim(x.text);
  std::size_t at = s.rfind('@');
  if (at == std::string_view::npos) return Cell::missing();
  std::string_view host = text::trim(s.substr(at + 1));
  if (host.empty()) return Cell::missing();
  text::lower_into(host, out);
  return Cell::of_string(out);
}

}  // namespace

bool RegexMemo::matches(std::uint32_t regex, std::string_view text, const re2::RE2& re) {
  auto& seen = seen_[regex];
  if (auto it = seen.find(text); it != seen.end()) return it->second;
  bool result = RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re);
  if (seen.size() < max_entries) seen.emplace(std::string(text), result);
  return result;
}

Cell run_block(const Chunk& chunk, std::uint32_t entry, Frame& f) {
  Cell* sp = f.stack;  // points one past the top
  const std::uint32_t* ip = chunk.code.data() + entry;
  for (;;) {
    std::uint32_t word = *ip++;
    std::uint32_t a = operand_of(word);
    switch (opcode_of(word)) {
      case OpCode::push_number:
        *sp++ = Cell::of_number(chunk.numbers[a]);
        break;
      case OpCode::push_timestamp:
        *sp++ = Cell::of_timestamp(chunk.numbers[a]);
        break;
      case OpCode::push_string:
        *sp++ = Cell::of_string(chunk.strings[a]);
        break;
      case OpCode::push_true:
        *sp++ = Cell::of_bool(true);
        break;
      case OpCode::push_false:
        *sp++ = Cell::of_bool(false);
        break;
      case OpCode::load_attribute:
        *sp++ = f.attributes[a];
        break;
      case OpCode::load_property:
        *sp++ = f.properties[a];
        break;
      case OpCode::load_event_time:
        *sp++ = Cell::of_timestamp(f.event_time_ms);
        break;
      case OpCode::load_group:
        *sp++ = Cell::of_number(f.groups[a]);
        break;
      case OpCode::load_aggregate:
        *sp++ = f.aggregates[a];
        break;
      case OpCode::add:
      case OpCode::subtract:
      case OpCode::multiply:
      case OpCode::divide:
        sp[-2] = arithmetic(opcode_of(word), sp[-2], sp[-1]);
        --sp;
        break;
      case OpCode::negate:
        sp[-1] = sp[-1].kind == Kind::number ? Cell::of_number(-sp[-1].number) : Cell::missing();
        break;
      case OpCode::equal:
        sp[-2] = equal(sp[-2], sp[-1]);
        --sp;
        break;
      case OpCode::not_equal:
        sp[-2] = equal(sp[-2], sp[-1]);
        if (sp[-2].kind == Kind::boolean) sp[-2].number = 1 - sp[-2].number;
        --sp;
        break;
      case OpCode::less:
      case OpCode::less_equal:
      case OpCode::greater:
      case OpCode::greater_equal: {
        int o = order(sp[-2], sp[-1]);
        OpCode op = opcode_of(word);
        bool r = op == OpCode::less         ? o == -1
                 : op == OpCode::less_equal ? o <= 0
                 : op == OpCode::greater    ? o == 1
                                            : o >= 0;
        sp[-2] = o == 2 ? Cell::missing() : Cell::of_bool(r);
        --sp;
        break;
      }
      case OpCode::between: {
        int low = order(sp[-3], sp[-2]);
        int high = order(sp[-3], sp[-1]);
        sp[-3] = low == 2 || high == 2 ? Cell::missing() : Cell::of_bool(low >= 0 && high <= 0);
        sp -= 2;
        break;
      }
      case OpCode::in_list:
        sp[-1] = in_list(chunk.lists[a], sp[-1], f.scratch[chunk.scratch_strings]);
        break;
      case OpCode::contains:
      case OpCode::starts_with:
      case OpCode::ends_with:
        sp[-2] = text_test(opcode_of(word), sp[-2], sp[-1]);
        --sp;
        break;
      case OpCode::matches:
        if (sp[-1].kind != Kind::string) {
          sp[-1] = Cell::missing();
        } else if (f.regex_memo) {
          sp[-1] = Cell::of_bool(f.regex_memo->matches(a, sp[-1].text, *chunk.regexes[a]));
        } else {
          sp[-1] = Cell::of_bool(RE2::PartialMatch(
              re2::StringPiece(sp[-1].text.data(), sp[-1].text.size()), *chunk.regexes[a]));
        }
        break;
      case OpCode::is_missing:
        sp[-1] = Cell::of_bool(sp[-1].kind == Kind::missing);
        break;
      case OpCode::is_present:
        sp[-1] = Cell::of_bool(sp[-1].kind != Kind::missing);
        break;
      case OpCode::logical_not: {
        int t = truth(sp[-1]);
        sp[-1] = from_truth(t < 0 ? -1 : 1 - t);
        break;
      }
      case OpCode::logical_and: {
        int x = truth(sp[-2]), y = truth(sp[-1]);
        sp[-2] = from_truth(x == 0 || y == 0 ? 0 : (x < 0 || y < 0 ? -1 : 1));
        --sp;
        break;
      }
      case OpCode::logical_or: {
        int x = truth(sp[-2]), y = truth(sp[-1]);
        sp[-2] = from_truth(x == 1 || y == 1 ? 1 : (x < 0 || y < 0 ? -1 : 0));
        --sp;
        break;
      }
      case OpCode::call_domain:
        sp[-1] = domain(sp[-1], f.scratch[a]);
        break;
      case OpCode::call_lower:
        if (sp[-1].kind == Kind::string) {
          text::lower_into(sp[-1].text, f.scratch[a]);
          sp[-1] = Cell::of_string(f.scratch[a]);
        } else {
          sp[-1] = Cell::missing();
        }
        break;
      case OpCode::call_length:
        sp[-1] = sp[-1].kind == Kind::string
                     ? Cell::of_number(double(text::utf8_length(sp[-1].text)))
                     : Cell::missing();
        break;
      case OpCode::call_days_since: {
        Cell t = as_time(sp[-1]);
        sp[-1] = t.kind == Kind::timestamp ? Cell::of_number((f.as_of_ms - t.number) / ms_per_day)
                                           : Cell::missing();
        break;
      }
      case OpCode::ret:
        return sp[-1];
    }
  }
}

}  // namespace leadscore::engine
