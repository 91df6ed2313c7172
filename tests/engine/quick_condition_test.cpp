// The quick form of `PROPERTY OP "text"` conditions must answer exactly as the VM does. Each
// recognised condition of a compiled model is run both ways over the same property values:
// strings with and without padding, case and accents, the empty string, and the other kinds
// (for which the quick form must step aside, leaving the VM to decide).
#include "engine/quick_condition.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/model_impl.hpp"
#include "engine/program.hpp"
#include "engine/vm.hpp"
#include "leadscore/leadscore.hpp"

namespace engine = leadscore::engine;
using engine::Cell;
using engine::QuickCondition;

namespace {

const char* const model_text = R"(model "quick"
engagement e {
  eq: +1 on page_view where url = "Pricing"
  eq_padded: +1 on page_view where url = "  /pricing  "
  eq_empty: +1 on page_view where url = ""
  has: +1 on page_view where url contains "pricing"
  has_blank: +1 on page_view where url contains "  "
  prefix: +1 on page_view where url starts with "/Docs"
  suffix: +1 on page_view where url ends with ".PDF"
  suffix_accent: +1 on page_view where url ends with "é"
  time_text: +1 on page_view where url = "2026-06-01"
  not_quick_lower: +1 on page_view where lower(url) = "x"
  not_quick_and: +1 on page_view where url contains "a" and url contains "b"
  not_quick_swapped: +1 on page_view where "x" = url
  not_quick_not: +1 on page_view where url != "x"
}
)";

std::vector<Cell> property_values(std::vector<std::string>& texts) {
  texts = {"",
           " ",
           "Pricing",
           "pricing",
           "  PRICING ",
           "/pricing",
           "/pricing/team",
           "x/Pricing/y",
           "/docs/intro",
           " /DOCS",
           "/doc",
           "guide.pdf",
           "guide.PDF  ",
           "café",
           "cafÉ",
           "2026-06-01",
           "2026-06-01T00:00:00Z",
           "prix",
           "\t/pricing\n"};
  std::vector<Cell> cells;
  for (const auto& t : texts) cells.push_back(Cell::of_string(t));
  cells.push_back(Cell::missing());
  cells.push_back(Cell::of_number(5));
  cells.push_back(Cell::of_bool(true));
  cells.push_back(Cell::of_timestamp(1780272000000.0));  // 2026-06-01T00:00:00Z
  return cells;
}

}  // namespace

TEST_SUITE("vm") {
  TEST_CASE("quick conditions answer as the VM does, and only for their own shape") {
    auto compiled = leadscore::Model::compile(model_text, "quick.score");
    for (const auto& d : compiled.diagnostics) MESSAGE(d.message);
    REQUIRE(compiled.model);
    const engine::Program& program = *compiled.model->impl().program;
    REQUIRE(program.property_names.size() == 1);

    std::vector<std::string> texts;
    std::vector<Cell> values = property_values(texts);
    std::vector<Cell> stack(program.chunk.max_stack + 1);
    std::vector<std::string> scratch(program.chunk.scratch_strings + 1);
    Cell property;
    engine::Frame frame;
    frame.properties = &property;
    frame.stack = stack.data();
    frame.scratch = scratch.data();

    int recognised = 0, answered = 0;
    for (const auto& rule : program.rules) {
      CAPTURE(rule.name);
      auto quick = QuickCondition::recognise(program.chunk, rule.condition);
      const bool expect_quick = rule.name.rfind("not_quick", 0) != 0;
      CHECK(quick.has_value() == expect_quick);
      if (!quick) continue;
      ++recognised;
      for (std::size_t i = 0; i < values.size(); ++i) {
        CAPTURE(i);
        property = values[i];
        const bool vm = engine::run_block(program.chunk, rule.condition, frame).is_true();
        std::optional<bool> fast = quick->test(&property);
        if (property.kind == Cell::Kind::string) {
          REQUIRE(fast.has_value());
          CHECK(*fast == vm);
          ++answered;
        } else {
          CHECK_FALSE(fast.has_value());  // the VM decides for the other kinds
        }
      }
    }
    CHECK(recognised == 9);
    CHECK(answered == 9 * int(texts.size()));
  }
}
