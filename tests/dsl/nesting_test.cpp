// The nesting limit (LS105, decision 17 of dsl/LANGUAGE.md): every kind of nesting counts one
// level, so each kind passes at exactly the limit and is refused one level past it.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <string>

#include "leadscore/leadscore.hpp"

namespace {

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// `levels` levels of one kind of nesting, as a condition (or, for `points`, a points value).
struct Shape {
  const char* name;
  std::function<std::string(std::size_t)> rule;
};

const Shape shapes[] = {
    {"parentheses",
     [](std::size_t n) { return "+1 when " + repeat("(", n) + "x = 1" + repeat(")", n); }},
    {"not", [](std::size_t n) { return "+1 when " + repeat("not ", n) + "x = 1"; }},
    {"unary minus", [](std::size_t n) { return "+1 when x = " + repeat("- ", n) + "1"; }},
    {"function calls",
     [](std::size_t n) {
       return "+1 when " + repeat("lower(", n) + "x" + repeat(")", n) + " = \"a\"";
     }},
    {"arithmetic chain", [](std::size_t n) { return "+1 when x" + repeat(" + x", n) + " > 1"; }},
    {"and chains in parentheses",  // each level: a parenthesis and an `and` chain
     [](std::size_t n) {
       return "+1 when " + repeat("(y = 1 and ", n / 2) + "x = 1" + repeat(")", n / 2);
     }},
    {"aggregate `where`",  // the aggregate is one level, its parentheses the others
     [](std::size_t n) {
       return "+1 when count(page_view where " + repeat("(", n - 1) + "url = \"a\"" +
              repeat(")", n - 1) + ") > 1";
     }},
    {"points expression",  // the points' own parentheses are syntax, not nesting
     [](std::size_t n) { return "+(" + repeat("(", n) + "x" + repeat(")", n) + ") when y = 1"; }},
    {"mixed",
     [](std::size_t n) {
       return "+1 when " + repeat("not (", n / 2) + "x = 1" + repeat(")", n / 2);
     }},
};

bool refused_for_depth(const std::string& rule) {
  const auto r =
      leadscore::Model::compile("model \"t\"\nfit g {\n  r: " + rule + "\n}\n", "t.score");
  const bool ls105 = std::any_of(r.diagnostics.begin(), r.diagnostics.end(),
                                 [](const leadscore::Diagnostic& d) { return d.code == "LS105"; });
  if (!ls105 && !r.model) {
    for (const auto& d : r.diagnostics) MESSAGE(leadscore::render(d));
  }
  return ls105;
}

}  // namespace

TEST_SUITE("nesting limit") {
  TEST_CASE("every kind of nesting passes at 64 levels and is refused at 65") {
    const std::size_t limit = leadscore::Limits{}.max_nesting_depth;
    REQUIRE(limit == 64);
    for (const Shape& shape : shapes) {
      const std::string name = shape.name;
      CAPTURE(name);
      CHECK_FALSE(refused_for_depth(shape.rule(limit)));
      CHECK(refused_for_depth(shape.rule(limit + 2)));  // even counts for the two-per-level shapes
      if (std::string(shape.name).find("chains") == std::string::npos &&
          std::string(shape.name) != "mixed") {
        CHECK(refused_for_depth(shape.rule(limit + 1)));
      }
    }
  }

  TEST_CASE("a smaller limit in CompileOptions is enforced the same way") {
    leadscore::CompileOptions options;
    options.limits.max_nesting_depth = 3;
    auto compile = [&](const std::string& condition) {
      return leadscore::Model::compile("model \"t\"\nfit g {\n  r: +1 when " + condition + "\n}\n",
                                       "t.score", options);
    };
    CHECK(compile("not not not x = 1").model != nullptr);
    CHECK(compile("not not not not x = 1").model == nullptr);
    CHECK(compile("(((x = 1)))").model != nullptr);
    CHECK(compile("((((x = 1))))").model == nullptr);
    CHECK(compile("lower(lower(lower(x))) = \"a\"").model != nullptr);
    CHECK(compile("lower(lower(lower(lower(x)))) = \"a\"").model == nullptr);
  }
}
