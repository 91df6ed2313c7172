// The VM on hand-built bytecode: each test lays out a block with Chunk::emit and the constant
// tables, runs it with engine::run_block and looks at the one value it returns. Operands are
// usually handed in as attributes (load_attribute 0, 1, 2...), so any kind of cell, missing
// included, can reach any instruction.
#include <doctest/doctest.h>

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/bytecode.hpp"
#include "engine/vm.hpp"
#include "leadscore/value.hpp"

namespace engine = leadscore::engine;
using engine::Cell;
using engine::OpCode;

namespace {

constexpr double ms_per_day = 86'400'000.0;
constexpr double june_1 = 1780272000000.0;   // 2026-06-01T00:00:00Z
constexpr double june_30 = 1782777600000.0;  // 2026-06-30T00:00:00Z

Cell T() {
  return Cell::of_bool(true);
}
Cell F() {
  return Cell::of_bool(false);
}
Cell M() {
  return Cell::missing();
}
Cell num(double n) {
  return Cell::of_number(n);
}
Cell str(std::string_view s) {
  return Cell::of_string(s);
}
Cell at(double ms) {
  return Cell::of_timestamp(ms);
}

// A cell as short text, so a failing CHECK shows what came back.
std::string show(const Cell& c) {
  std::ostringstream out;
  switch (c.kind) {
    case Cell::Kind::missing:
      return "missing";
    case Cell::Kind::boolean:
      return c.number != 0 ? "true" : "false";
    case Cell::Kind::number:
      out << "n:" << c.number;
      return out.str();
    case Cell::Kind::timestamp:
      out.precision(15);
      out << "t:" << c.number;
      return out.str();
    case Cell::Kind::string:
      return "s:" + std::string(c.text);
  }
  return "?";
}

// One chunk plus everything a frame points at.
struct Machine {
  engine::Chunk chunk;
  std::vector<Cell> attributes;
  std::vector<Cell> properties;
  std::vector<double> groups;
  std::vector<Cell> aggregates;
  double event_time_ms = 0;
  double as_of_ms = june_30;
  std::vector<std::string> scratch;
  std::vector<Cell> stack;

  std::uint32_t here() const { return std::uint32_t(chunk.code.size()); }
  void emit(OpCode op, std::uint32_t operand = 0) { chunk.emit(op, operand, 1); }

  Cell run(std::uint32_t entry) {
    scratch.assign(chunk.scratch_strings + 1, std::string());
    stack.assign(32, Cell::missing());
    engine::Frame frame;
    frame.attributes = attributes.data();
    frame.properties = properties.data();
    frame.event_time_ms = event_time_ms;
    frame.groups = groups.data();
    frame.aggregates = aggregates.data();
    frame.as_of_ms = as_of_ms;
    frame.scratch = scratch.data();
    frame.stack = stack.data();
    return engine::run_block(chunk, entry, frame);
  }

  // Loads `operands` as attributes 0..n-1, applies `op` (with operand `a`), returns the value.
  Cell apply(OpCode op, std::vector<Cell> operands, std::uint32_t a = 0) {
    attributes = std::move(operands);
    std::uint32_t entry = here();
    for (std::uint32_t i = 0; i < attributes.size(); ++i) emit(OpCode::load_attribute, i);
    emit(op, a);
    emit(OpCode::ret);
    return run(entry);
  }

  std::string eval(OpCode op, std::vector<Cell> operands, std::uint32_t a = 0) {
    return show(apply(op, std::move(operands), a));
  }

  std::uint32_t add_regex(const std::string& pattern) {
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    auto re = std::make_shared<RE2>(pattern, options);
    REQUIRE(re->ok());
    chunk.regexes.push_back(re);
    chunk.regex_sources.push_back(pattern);
    return std::uint32_t(chunk.regexes.size() - 1);
  }
};

}  // namespace

TEST_SUITE("vm") {
  TEST_CASE("constants and loads") {
    Machine m;
    m.properties = {str("/pricing")};
    m.groups = {0, 12.5};
    m.aggregates = {num(3), M()};
    m.event_time_ms = june_1;

    std::uint32_t entry = m.here();
    m.emit(OpCode::push_number, m.chunk.add_number(42.5));
    m.emit(OpCode::ret);
    CHECK(show(m.run(entry)) == "n:42.5");

    entry = m.here();
    m.emit(OpCode::push_string, m.chunk.add_string("Energy"));
    m.emit(OpCode::ret);
    CHECK(show(m.run(entry)) == "s:Energy");

    entry = m.here();
    m.emit(OpCode::push_timestamp, m.chunk.add_number(june_1));
    m.emit(OpCode::ret);
    Cell ts = m.run(entry);
    CHECK(ts.kind == Cell::Kind::timestamp);
    CHECK(ts.number == june_1);

    entry = m.here();
    m.emit(OpCode::push_true);
    m.emit(OpCode::ret);
    CHECK(show(m.run(entry)) == "true");
    entry = m.here();
    m.emit(OpCode::push_false);
    m.emit(OpCode::ret);
    CHECK(show(m.run(entry)) == "false");

    entry = m.here();
    m.emit(OpCode::load_property, 0);
    m.emit(OpCode::ret);
    CHECK(show(m.run(entry)) == "s:/pricing");

    entry = m.here();
    m.emit(OpCode::load_event_time);
    m.emit(OpCode::ret);
    Cell event_time = m.run(entry);
    CHECK(event_time.kind == Cell::Kind::timestamp);
    CHECK(event_time.number == june_1);

    entry = m.here();
    m.emit(OpCode::load_group, 1);
    m.emit(OpCode::ret);
    CHECK(show(m.run(entry)) == "n:12.5");

    entry = m.here();
    m.emit(OpCode::load_aggregate, 0);
    m.emit(OpCode::ret);
    CHECK(show(m.run(entry)) == "n:3");
    entry = m.here();
    m.emit(OpCode::load_aggregate, 1);
    m.emit(OpCode::ret);
    CHECK(show(m.run(entry)) == "missing");

    // Equal constants share one table entry.
    CHECK(m.chunk.add_number(42.5) == 0);
    CHECK(m.chunk.add_string("Energy") == 0);
  }

  TEST_CASE("three-valued and") {
    Machine m;
    const OpCode op = OpCode::logical_and;
    CHECK(m.eval(op, {T(), T()}) == "true");
    CHECK(m.eval(op, {T(), F()}) == "false");
    CHECK(m.eval(op, {T(), M()}) == "missing");
    CHECK(m.eval(op, {F(), T()}) == "false");
    CHECK(m.eval(op, {F(), F()}) == "false");
    CHECK(m.eval(op, {F(), M()}) == "false");
    CHECK(m.eval(op, {M(), T()}) == "missing");
    CHECK(m.eval(op, {M(), F()}) == "false");
    CHECK(m.eval(op, {M(), M()}) == "missing");
    // A value that is not a truth value counts as unknown.
    CHECK(m.eval(op, {num(1), T()}) == "missing");
    CHECK(m.eval(op, {str("yes"), F()}) == "false");
  }

  TEST_CASE("three-valued or") {
    Machine m;
    const OpCode op = OpCode::logical_or;
    CHECK(m.eval(op, {T(), T()}) == "true");
    CHECK(m.eval(op, {T(), F()}) == "true");
    CHECK(m.eval(op, {T(), M()}) == "true");
    CHECK(m.eval(op, {F(), T()}) == "true");
    CHECK(m.eval(op, {F(), F()}) == "false");
    CHECK(m.eval(op, {F(), M()}) == "missing");
    CHECK(m.eval(op, {M(), T()}) == "true");
    CHECK(m.eval(op, {M(), F()}) == "missing");
    CHECK(m.eval(op, {M(), M()}) == "missing");
    CHECK(m.eval(op, {num(0), T()}) == "true");
  }

  TEST_CASE("three-valued not; is missing and is present are never unknown") {
    Machine m;
    CHECK(m.eval(OpCode::logical_not, {T()}) == "false");
    CHECK(m.eval(OpCode::logical_not, {F()}) == "true");
    CHECK(m.eval(OpCode::logical_not, {M()}) == "missing");
    CHECK(m.eval(OpCode::logical_not, {num(0)}) == "missing");

    CHECK(m.eval(OpCode::is_missing, {M()}) == "true");
    CHECK(m.eval(OpCode::is_missing, {num(0)}) == "false");
    CHECK(m.eval(OpCode::is_missing, {F()}) == "false");
    CHECK(m.eval(OpCode::is_missing, {str("x")}) == "false");
    CHECK(m.eval(OpCode::is_present, {M()}) == "false");
    CHECK(m.eval(OpCode::is_present, {at(june_1)}) == "true");
  }

  TEST_CASE("a chain: a = 1 or b = 2 and c = 3") {
    // The code the compiler lays out for `a = 1 or b = 2 and c = 3`.
    Machine m;
    std::uint32_t one = m.chunk.add_number(1), two = m.chunk.add_number(2),
                  three = m.chunk.add_number(3);
    std::uint32_t entry = m.here();
    m.emit(OpCode::load_attribute, 0);
    m.emit(OpCode::push_number, one);
    m.emit(OpCode::equal);
    m.emit(OpCode::load_attribute, 1);
    m.emit(OpCode::push_number, two);
    m.emit(OpCode::equal);
    m.emit(OpCode::load_attribute, 2);
    m.emit(OpCode::push_number, three);
    m.emit(OpCode::equal);
    m.emit(OpCode::logical_and);
    m.emit(OpCode::logical_or);
    m.emit(OpCode::ret);
    m.attributes = {M(), num(2), num(3)};
    CHECK(show(m.run(entry)) == "true");
    m.attributes = {M(), num(2), M()};
    CHECK(show(m.run(entry)) == "missing");
    m.attributes = {M(), num(5), M()};
    CHECK(show(m.run(entry)) == "missing");  // unknown or false
    m.attributes = {num(0), num(5), M()};
    CHECK(show(m.run(entry)) == "false");
    m.attributes = {num(1), M(), M()};
    CHECK(show(m.run(entry)) == "true");
  }

  TEST_CASE("string comparisons ignore case and surrounding white space") {
    Machine m;
    CHECK(m.eval(OpCode::equal, {str("  Energy "), str("ENERGY")}) == "true");
    CHECK(m.eval(OpCode::equal, {str("energy"), str("energies")}) == "false");
    CHECK(m.eval(OpCode::not_equal, {str("Energy\t"), str("energy")}) == "false");
    CHECK(m.eval(OpCode::not_equal, {str("oil"), str("energy")}) == "true");
    CHECK(m.eval(OpCode::contains, {str(" https://x.io/Pricing/team "), str("/pricing")}) ==
          "true");
    CHECK(m.eval(OpCode::contains, {str("/docs"), str("/pricing")}) == "false");
    CHECK(m.eval(OpCode::starts_with, {str("  /Docs/api"), str("/docs ")}) == "true");
    CHECK(m.eval(OpCode::starts_with, {str("/api/docs"), str("/docs")}) == "false");
    CHECK(m.eval(OpCode::ends_with, {str("report.PDF  "), str(".pdf")}) == "true");
    CHECK(m.eval(OpCode::ends_with, {str("report.pdf.zip"), str(".pdf")}) == "false");
    // Not strings: unknown.
    CHECK(m.eval(OpCode::contains, {num(12), str("1")}) == "missing");
    CHECK(m.eval(OpCode::starts_with, {M(), str("x")}) == "missing");
    CHECK(m.eval(OpCode::ends_with, {str("x"), M()}) == "missing");
    // Strings have no order unless both read as times.
    CHECK(m.eval(OpCode::less, {str("a"), str("b")}) == "missing");
    CHECK(m.eval(OpCode::greater_equal, {str("b"), str("a")}) == "missing");
  }

  TEST_CASE("numbers, and numbers against other kinds") {
    Machine m;
    CHECK(m.eval(OpCode::equal, {num(2), num(2)}) == "true");
    CHECK(m.eval(OpCode::not_equal, {num(2), num(2)}) == "false");
    CHECK(m.eval(OpCode::less, {num(1), num(2)}) == "true");
    CHECK(m.eval(OpCode::less, {num(2), num(2)}) == "false");
    CHECK(m.eval(OpCode::less_equal, {num(2), num(2)}) == "true");
    CHECK(m.eval(OpCode::greater, {num(2), num(2)}) == "false");
    CHECK(m.eval(OpCode::greater, {num(3), num(2)}) == "true");
    CHECK(m.eval(OpCode::greater_equal, {num(2), num(2)}) == "true");
    CHECK(m.eval(OpCode::greater_equal, {num(1.5), num(2)}) == "false");
    // A number and a string never compare: unknown, for = and != too.
    CHECK(m.eval(OpCode::equal, {num(3), str("3")}) == "missing");
    CHECK(m.eval(OpCode::not_equal, {num(3), str("3")}) == "missing");
    CHECK(m.eval(OpCode::less, {str("1"), num(3)}) == "missing");
    CHECK(m.eval(OpCode::greater_equal, {num(3), str("3")}) == "missing");
    // Missing operands.
    CHECK(m.eval(OpCode::equal, {M(), num(3)}) == "missing");
    CHECK(m.eval(OpCode::not_equal, {num(3), M()}) == "missing");
    CHECK(m.eval(OpCode::less_equal, {M(), M()}) == "missing");
    // Booleans compare with booleans only.
    CHECK(m.eval(OpCode::equal, {T(), T()}) == "true");
    CHECK(m.eval(OpCode::equal, {T(), F()}) == "false");
    CHECK(m.eval(OpCode::equal, {T(), num(1)}) == "missing");
    CHECK(m.eval(OpCode::less, {F(), T()}) == "missing");
  }

  TEST_CASE("timestamps against timestamps and date strings") {
    Machine m;
    const double june_1_10am = june_1 + 10 * 3600e3;
    CHECK(m.eval(OpCode::less, {at(june_1), at(june_30)}) == "true");
    CHECK(m.eval(OpCode::equal, {at(june_1), at(june_1)}) == "true");
    CHECK(m.eval(OpCode::greater_equal, {at(june_1_10am), str("2026-06-01")}) == "true");
    CHECK(m.eval(OpCode::less, {at(june_1_10am), str("2026-06-01")}) == "false");
    CHECK(m.eval(OpCode::greater, {str("2026-06-02"), at(june_1_10am)}) == "true");
    CHECK(m.eval(OpCode::equal, {at(june_1), str("2026-06-01")}) == "true");
    CHECK(m.eval(OpCode::equal, {at(june_1), str(" 2026-06-01T00:00:00Z ")}) == "true");
    CHECK(m.eval(OpCode::equal, {at(june_1_10am), str("2026-06-01T12:00:00+02:00")}) == "true");
    CHECK(m.eval(OpCode::not_equal, {at(june_1_10am), str("2026-06-01")}) == "true");
    // Two date strings order as times.
    CHECK(m.eval(OpCode::less, {str("2026-01-31"), str("2026-02-01")}) == "true");
    // Neither a time nor comparable.
    CHECK(m.eval(OpCode::equal, {at(june_1), str("soon")}) == "missing");
    CHECK(m.eval(OpCode::less, {at(june_1), str("soon")}) == "missing");
    CHECK(m.eval(OpCode::greater, {at(june_1), num(5)}) == "missing");
    CHECK(m.eval(OpCode::equal, {at(june_1), num(june_1)}) == "missing");
    CHECK(m.eval(OpCode::less, {at(june_1), M()}) == "missing");
  }

  TEST_CASE("between is inclusive and unknown when any operand is missing") {
    Machine m;
    const OpCode op = OpCode::between;
    CHECK(m.eval(op, {num(5), num(5), num(10)}) == "true");
    CHECK(m.eval(op, {num(10), num(5), num(10)}) == "true");
    CHECK(m.eval(op, {num(7.5), num(5), num(10)}) == "true");
    CHECK(m.eval(op, {num(4.999), num(5), num(10)}) == "false");
    CHECK(m.eval(op, {num(10.001), num(5), num(10)}) == "false");
    CHECK(m.eval(op, {num(7), num(10), num(5)}) == "false");  // empty range
    CHECK(m.eval(op, {M(), num(5), num(10)}) == "missing");
    CHECK(m.eval(op, {num(7), M(), num(10)}) == "missing");
    CHECK(m.eval(op, {num(7), num(5), M()}) == "missing");
    CHECK(m.eval(op, {str("7"), num(5), num(10)}) == "missing");
    // Times, with date strings as bounds; the upper bound is midnight, so it is included.
    CHECK(m.eval(op, {at(june_30), str("2026-06-01"), str("2026-06-30")}) == "true");
    CHECK(m.eval(op, {at(june_1), str("2026-06-01"), str("2026-06-30")}) == "true");
    CHECK(m.eval(op, {at(june_30 + 1), str("2026-06-01"), str("2026-06-30")}) == "false");
    CHECK(m.eval(op, {at(june_1), at(june_1 - ms_per_day), at(june_30)}) == "true");
  }

  TEST_CASE("arithmetic; division by zero is missing") {
    Machine m;
    CHECK(m.eval(OpCode::add, {num(2), num(3)}) == "n:5");
    CHECK(m.eval(OpCode::subtract, {num(2), num(3)}) == "n:-1");
    CHECK(m.eval(OpCode::multiply, {num(2.5), num(4)}) == "n:10");
    CHECK(m.eval(OpCode::divide, {num(7), num(2)}) == "n:3.5");
    CHECK(m.eval(OpCode::divide, {num(1), num(0)}) == "missing");
    CHECK(m.eval(OpCode::divide, {num(0), num(0)}) == "missing");
    CHECK(m.eval(OpCode::divide, {num(1), num(-0.0)}) == "missing");
    CHECK(m.eval(OpCode::divide, {num(0), num(4)}) == "n:0");
    CHECK(m.eval(OpCode::add, {M(), num(1)}) == "missing");
    CHECK(m.eval(OpCode::multiply, {num(2), M()}) == "missing");
    CHECK(m.eval(OpCode::add, {str("1"), num(1)}) == "missing");
    CHECK(m.eval(OpCode::subtract, {at(june_30), at(june_1)}) == "missing");
    CHECK(m.eval(OpCode::negate, {num(3)}) == "n:-3");
    CHECK(m.eval(OpCode::negate, {str("3")}) == "missing");
    CHECK(m.eval(OpCode::negate, {M()}) == "missing");

    // (a / 10 - 2 * b) + 1, laid out as the compiler does; operand order matters.
    std::uint32_t ten = m.chunk.add_number(10), two = m.chunk.add_number(2),
                  one = m.chunk.add_number(1);
    std::uint32_t entry = m.here();
    m.emit(OpCode::load_attribute, 0);
    m.emit(OpCode::push_number, ten);
    m.emit(OpCode::divide);
    m.emit(OpCode::push_number, two);
    m.emit(OpCode::load_attribute, 1);
    m.emit(OpCode::multiply);
    m.emit(OpCode::subtract);
    m.emit(OpCode::push_number, one);
    m.emit(OpCode::add);
    m.emit(OpCode::ret);
    m.attributes = {num(500), num(7)};
    CHECK(show(m.run(entry)) == "n:37");
    m.attributes = {num(500), M()};
    CHECK(show(m.run(entry)) == "missing");
  }

  TEST_CASE("domain()") {
    Machine m;
    m.chunk.scratch_strings = 1;
    const OpCode op = OpCode::call_domain;
    CHECK(m.eval(op, {str("Jane.Doe@Example.COM")}) == "s:example.com");
    CHECK(m.eval(op, {str("  ops@Sub.Corp.io  ")}) == "s:sub.corp.io");
    CHECK(m.eval(op, {str("\"a@b\"@corp.io")}) == "s:corp.io");  // after the last @
    CHECK(m.eval(op, {str("nobody")}) == "missing");
    CHECK(m.eval(op, {str("x@")}) == "missing");  // an empty result is missing
    CHECK(m.eval(op, {str("x@   ")}) == "missing");
    CHECK(m.eval(op, {M()}) == "missing");
    CHECK(m.eval(op, {num(1)}) == "missing");
  }

  TEST_CASE("lower() and length()") {
    Machine m;
    m.chunk.scratch_strings = 1;
    CHECK(m.eval(OpCode::call_lower, {str("HeLLo World")}) == "s:hello world");
    CHECK(m.eval(OpCode::call_lower, {M()}) == "missing");
    CHECK(m.eval(OpCode::call_lower, {num(3)}) == "missing");
    CHECK(m.eval(OpCode::call_length, {str("abc")}) == "n:3");
    CHECK(m.eval(OpCode::call_length, {str("h\xC3\xA9llo")}) == "n:5");  // héllo
    CHECK(m.eval(OpCode::call_length, {str("\xF0\x9F\x98\x80")}) == "n:1");
    CHECK(m.eval(OpCode::call_length, {M()}) == "missing");
    CHECK(m.eval(OpCode::call_length, {num(12345)}) == "missing");
  }

  TEST_CASE("scratch strings do not overwrite each other") {
    // lower(a) = lower(b): each call writes its own scratch string.
    Machine m;
    m.chunk.scratch_strings = 2;
    std::uint32_t entry = m.here();
    m.emit(OpCode::load_attribute, 0);
    m.emit(OpCode::call_lower, 0);
    m.emit(OpCode::load_attribute, 1);
    m.emit(OpCode::call_lower, 1);
    m.emit(OpCode::equal);
    m.emit(OpCode::ret);
    m.attributes = {str("ABC"), str("abd")};
    CHECK(show(m.run(entry)) == "false");
    m.attributes = {str("ABC"), str("aBc")};
    CHECK(show(m.run(entry)) == "true");
  }

  TEST_CASE("days_since()") {
    Machine m;
    m.as_of_ms = june_30;
    const OpCode op = OpCode::call_days_since;
    CHECK(m.eval(op, {at(june_30 - 9.5 * ms_per_day)}) == "n:9.5");
    CHECK(m.eval(op, {at(june_30)}) == "n:0");
    CHECK(m.eval(op, {at(june_30 + ms_per_day)}) == "n:-1");
    CHECK(m.eval(op, {str("2026-06-29")}) == "n:1");
    CHECK(m.eval(op, {str("2026-06-29T12:00:00Z")}) == "n:0.5");
    CHECK(m.eval(op, {str("last week")}) == "missing");
    CHECK(m.eval(op, {M()}) == "missing");
    CHECK(m.eval(op, {num(5)}) == "missing");
  }

  TEST_CASE("in_list with strings, numbers and booleans") {
    Machine m;
    engine::CompiledList list;
    list.name = "targets";
    list.strings = {"energy", "manufacturing", "true"};  // stored trimmed and lower-cased
    list.numbers = {3, 4.5};
    m.chunk.lists.push_back(list);
    engine::CompiledList empty;
    empty.name = "empty";
    m.chunk.lists.push_back(empty);
    const OpCode op = OpCode::in_list;
    CHECK(m.eval(op, {str("energy")}) == "true");
    CHECK(m.eval(op, {str("  ENERGY ")}) == "true");
    CHECK(m.eval(op, {str("Manufacturing")}) == "true");
    CHECK(m.eval(op, {str("oil")}) == "false");
    CHECK(m.eval(op, {str("energy sector")}) == "false");
    CHECK(m.eval(op, {num(3)}) == "true");
    CHECK(m.eval(op, {num(4.5)}) == "true");
    CHECK(m.eval(op, {num(5)}) == "false");
    CHECK(m.eval(op, {T()}) == "true");
    CHECK(m.eval(op, {F()}) == "false");
    CHECK(m.eval(op, {M()}) == "missing");
    CHECK(m.eval(op, {str("energy")}, 1) == "false");

    // `not in` is in_list + logical_not: a missing value stays unknown.
    std::uint32_t entry = m.here();
    m.emit(OpCode::load_attribute, 0);
    m.emit(OpCode::in_list, 0);
    m.emit(OpCode::logical_not);
    m.emit(OpCode::ret);
    m.attributes = {str("oil")};
    CHECK(show(m.run(entry)) == "true");
    m.attributes = {str(" Energy")};
    CHECK(show(m.run(entry)) == "false");
    m.attributes = {M()};
    CHECK(show(m.run(entry)) == "missing");
  }

  TEST_CASE("in_list after a function: the lookup buffer is not a call's scratch string") {
    // domain(email) in list: call_domain writes scratch 0, in_list uses the extra buffer.
    Machine m;
    m.chunk.scratch_strings = 1;
    engine::CompiledList free_mail;
    free_mail.name = "free_mail";
    free_mail.strings = {"gmail.com"};
    m.chunk.lists.push_back(free_mail);
    std::uint32_t entry = m.here();
    m.emit(OpCode::load_attribute, 0);
    m.emit(OpCode::call_domain, 0);
    m.emit(OpCode::in_list, 0);
    m.emit(OpCode::ret);
    m.attributes = {str("Someone@GMail.com")};
    CHECK(show(m.run(entry)) == "true");
    m.attributes = {str("someone@corp.io")};
    CHECK(show(m.run(entry)) == "false");
    m.attributes = {str("no address")};
    CHECK(show(m.run(entry)) == "missing");
  }

  TEST_CASE("matches: unanchored, case-insensitive, missing for non-strings") {
    Machine m;
    std::uint32_t chief = m.add_regex("^chief");
    std::uint32_t officer = m.add_regex("officer$");
    std::uint32_t either = m.add_regex("vp|director");
    CHECK(m.eval(OpCode::matches, {str("Chief Revenue Officer")}, chief) == "true");
    CHECK(m.eval(OpCode::matches, {str("Vice Chief")}, chief) == "false");
    CHECK(m.eval(OpCode::matches, {str("Chief Revenue OFFICER")}, officer) == "true");
    CHECK(m.eval(OpCode::matches, {str("Senior VP, Sales")}, either) == "true");
    CHECK(m.eval(OpCode::matches, {str("Regional Director EMEA")}, either) == "true");
    CHECK(m.eval(OpCode::matches, {str("Engineer")}, either) == "false");
    CHECK(m.eval(OpCode::matches, {M()}, either) == "missing");
    CHECK(m.eval(OpCode::matches, {num(1)}, either) == "missing");
  }

  TEST_CASE("matches: a pathological pattern on a long input finishes") {
    // (a+)+$ against "aaa...ab" takes exponential time in a backtracking engine. RE2 is linear,
    // so this simply finishes; there is no timing assertion.
    Machine m;
    std::uint32_t nested = m.add_regex("(a+)+$");
    std::uint32_t alternation = m.add_regex("^(a|aa)*c");
    const std::string attack = std::string(100'000, 'a') + "b";
    CHECK(m.eval(OpCode::matches, {str(attack)}, nested) == "false");
    CHECK(m.eval(OpCode::matches, {str(attack)}, alternation) == "false");
    const std::string fine = std::string(100'000, 'a');
    CHECK(m.eval(OpCode::matches, {str(fine)}, nested) == "true");
    // A long input does not overflow the stack either.
    const std::string long_text = std::string(1'000'000, 'x') + "officer";
    std::uint32_t officer = m.add_regex("(x|y)*officer$");
    CHECK(m.eval(OpCode::matches, {str(long_text)}, officer) == "true");
  }

  TEST_CASE("several blocks in one chunk run independently") {
    Machine m;
    std::uint32_t seven = m.chunk.add_number(7);
    std::uint32_t first = m.here();
    m.emit(OpCode::push_number, seven);
    m.emit(OpCode::ret);
    std::uint32_t second = m.here();
    m.emit(OpCode::load_attribute, 0);
    m.emit(OpCode::is_present);
    m.emit(OpCode::ret);
    m.attributes = {M()};
    CHECK(show(m.run(second)) == "false");
    CHECK(show(m.run(first)) == "n:7");
    CHECK(engine::opcode_of(m.chunk.code[second]) == OpCode::load_attribute);
    CHECK(m.chunk.lines.size() == m.chunk.code.size());
  }
}
