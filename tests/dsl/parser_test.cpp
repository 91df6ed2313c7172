// White-box tests of the parser: source text in, syntax tree (dsl::Model) out. Expressions are
// compared through a small S-expression printer, so a test states the tree shape it expects in
// one line ("(or a (and b c))") instead of walking children by hand.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"
#include "dsl/parser.hpp"
#include "leadscore/leadscore.hpp"

namespace dsl = leadscore::dsl;
using dsl::Expr;

namespace {

// One parse of one text; holds the source so spans can be located afterwards.
struct Parsed {
  dsl::SourceText source;
  dsl::DiagnosticSink sink;
  dsl::Model model;
  std::vector<leadscore::Diagnostic> diagnostics;

  explicit Parsed(std::string text, leadscore::Limits limits = {})
      : source("test.score", std::move(text)), sink(source) {
    model = dsl::parse_model(source, limits, sink);
    diagnostics = sink.take();
  }

  std::size_t errors() const {
    std::size_t n = 0;
    for (const auto& d : diagnostics) n += d.severity == leadscore::Severity::error;
    return n;
  }

  std::string codes() const {
    std::string out;
    for (const auto& d : diagnostics) out += (out.empty() ? "" : " ") + d.code;
    return out;
  }

  std::string all_messages() const {
    std::string out;
    for (const auto& d : diagnostics) out += leadscore::render(d);
    return out;
  }

  const dsl::Rule* rule(const std::string& name) const {
    for (const auto& g : model.groups) {
      for (const auto& r : g.rules) {
        if (r.name == name) return &r;
      }
    }
    return nullptr;
  }

  const dsl::Group* group(const std::string& name) const {
    for (const auto& g : model.groups) {
      if (g.name == name) return &g;
    }
    return nullptr;
  }
};

std::string number_text(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

// Prints an expression as an S-expression: names bare, strings quoted, operators first.
std::string show(const Expr* e) {
  if (!e) return "<null>";
  switch (e->kind) {
    case Expr::Kind::number:
      return number_text(e->number);
    case Expr::Kind::timestamp:
      return "@" + number_text(e->number);
    case Expr::Kind::string:
      return "\"" + e->text + "\"";
    case Expr::Kind::boolean:
      return e->number != 0 ? "true" : "false";
    case Expr::Kind::name:
      return e->text;
    case Expr::Kind::lead_name:
      return "lead." + e->text;
    case Expr::Kind::list_name:
      return "list:" + e->text;
    case Expr::Kind::list_literal: {
      std::string out = "[";
      for (std::size_t i = 0; i < e->args.size(); ++i) {
        out += (i ? " " : "") + show(e->args[i].get());
      }
      return out + "]";
    }
    case Expr::Kind::call: {
      std::string out = "(" + e->text;
      for (const auto& a : e->args) out += " " + show(a.get());
      return out + ")";
    }
    case Expr::Kind::aggregate: {
      std::string out = e->text + "(" + e->event_type;
      if (!e->property.empty()) out += "." + e->property;
      if (e->where) out += " where " + show(e->where.get());
      if (e->within) out += " within " + number_text(e->within->seconds) + "s";
      return out + ")";
    }
    case Expr::Kind::unary:
    case Expr::Kind::binary: {
      std::string out = std::string("(") + dsl::op_text(e->op);
      for (const auto& a : e->args) out += " " + show(a.get());
      return out + ")";
    }
  }
  return "?";
}

// The tree of a `when` condition, parsed inside a minimal model.
std::string condition(const std::string& text) {
  Parsed p("model \"t\"\nfit g {\n  r: +1 when " + text + "\n}\n");
  INFO("condition: " << text << "\n" << p.all_messages());
  CHECK(p.diagnostics.empty());
  const dsl::Rule* r = p.rule("r");
  REQUIRE(r != nullptr);
  return show(r->condition.get());
}

// The tree of a points expression `+(...)`.
std::string points(const std::string& text) {
  Parsed p("model \"t\"\nfit g {\n  r: +(" + text + ") when x = 1\n}\n");
  INFO("points: " << text << "\n" << p.all_messages());
  CHECK(p.diagnostics.empty());
  const dsl::Rule* r = p.rule("r");
  REQUIRE(r != nullptr);
  return show(r->points.get());
}

constexpr double day = 86400;

}  // namespace

TEST_SUITE("parser") {
  TEST_CASE("grammar has no rule that can loop without consuming input") {
    CHECK(dsl::grammar_problems() == 0);
  }

  TEST_CASE("model header, scale, bands, grades and lists") {
    Parsed p(R"(model "B2B SaaS inbound"
version "2026-11"
scale -10 to 100
band hot  >= 76 "Sales-ready"
band warm >= 62.5
band lead >= 0 "a keyword is a fine band name"
band cold       "Not ready"
grade activity 1 >= 25 "Evaluating"
grade activity 2
list free_mail = file "lists/free_mail.txt"
list mixed = ["manufacturing", "A \"quoted\" one", 3, -2.5, true,]
engagement activity { a: +1 on visit }
)");
    INFO(p.all_messages());
    CHECK(p.diagnostics.empty());
    CHECK(p.model.name == "B2B SaaS inbound");
    CHECK(p.model.version == "2026-11");
    REQUIRE(p.model.scale.has_value());
    CHECK(p.model.scale->low == -10);
    CHECK(p.model.scale->high == 100);
    CHECK(p.source.slice(p.model.scale->span) == "scale -10 to 100");

    REQUIRE(p.model.bands.size() == 4);
    CHECK(p.model.bands[0].name == "hot");
    CHECK(p.model.bands[0].threshold == doctest::Approx(76));
    CHECK(p.model.bands[0].description == "Sales-ready");
    CHECK(p.model.bands[1].name == "warm");
    CHECK(p.model.bands[1].threshold == doctest::Approx(62.5));
    CHECK(p.model.bands[1].description.empty());
    CHECK(p.model.bands[2].name == "lead");
    CHECK(p.model.bands[3].name == "cold");
    CHECK_FALSE(p.model.bands[3].threshold.has_value());
    CHECK(p.model.bands[3].description == "Not ready");

    REQUIRE(p.model.grades.size() == 2);
    CHECK(p.model.grades[0].group == "activity");
    CHECK(p.model.grades[0].name == "1");
    CHECK(p.model.grades[0].threshold == doctest::Approx(25));
    CHECK(p.model.grades[0].description == "Evaluating");
    CHECK(p.model.grades[1].name == "2");
    CHECK_FALSE(p.model.grades[1].threshold.has_value());

    REQUIRE(p.model.lists.size() == 2);
    CHECK(p.model.lists[0].name == "free_mail");
    CHECK(p.model.lists[0].file == "lists/free_mail.txt");
    CHECK(p.model.lists[0].entries.empty());  // list files are read by the caller
    const auto& mixed = p.model.lists[1];
    CHECK(mixed.name == "mixed");
    CHECK_FALSE(mixed.file.has_value());
    REQUIRE(mixed.entries.size() == 5);
    CHECK_FALSE(mixed.entries[0].is_number);
    CHECK(mixed.entries[0].text == "manufacturing");
    CHECK(mixed.entries[1].text == "A \"quoted\" one");
    CHECK(mixed.entries[2].is_number);
    CHECK(mixed.entries[2].number == 3);
    CHECK(mixed.entries[3].is_number);
    CHECK(mixed.entries[3].number == -2.5);
    CHECK_FALSE(mixed.entries[4].is_number);
    CHECK(mixed.entries[4].text == "true");
    CHECK(p.source.slice(mixed.entries[1].span) == R"("A \"quoted\" one")");
  }

  TEST_CASE("groups and their options") {
    Parsed p(R"(model "t"
fit profile cap 40 floor -10 { a: +1 when x = 1 }
engagement activity cap 60 decay half-life 30 days within 2 weeks {
  b: +1 on visit
}
engagement quiet no decay { c: +1 on visit }
)");
    INFO(p.all_messages());
    CHECK(p.diagnostics.empty());
    REQUIRE(p.model.groups.size() == 3);
    const auto& profile = p.model.groups[0];
    CHECK(profile.is_fit);
    CHECK(profile.name == "profile");
    CHECK(profile.cap == doctest::Approx(40));
    CHECK(profile.floor == doctest::Approx(-10));
    CHECK_FALSE(profile.decay.has_value());
    CHECK(p.source.slice(profile.name_span) == "profile");
    const auto& activity = p.model.groups[1];
    CHECK_FALSE(activity.is_fit);
    CHECK(activity.cap == doctest::Approx(60));
    CHECK_FALSE(activity.floor.has_value());
    REQUIRE(activity.decay.has_value());
    CHECK(activity.decay->kind == dsl::Decay::Kind::half_life);
    CHECK(activity.decay->period_days == doctest::Approx(30));
    REQUIRE(activity.within.has_value());
    CHECK(activity.within->seconds == doctest::Approx(14 * day));
    REQUIRE(activity.rules.size() == 1);
    CHECK(activity.rules[0].name == "b");
    const auto& quiet = p.model.groups[2];
    REQUIRE(quiet.decay.has_value());
    CHECK(quiet.decay->kind == dsl::Decay::Kind::none);
  }

  TEST_CASE("rule fields") {
    Parsed p(R"(model "t"
fit profile {
  enterprise "1000+ employees": +20 when employees >= 1000 cap 15
  student: -25 when job_title matches "student|intern"
  size: +(employees / 10) when employees is present
}
engagement activity {
  pricing: +6 on page_view where url contains "/pricing" limit 3 per 2 days cap 18
  demo: +25 on form_submit once within 12 hours
  any_touch: -(1) on any
  halved: +1 on visit decay half-life 2 weeks
  fading: +1 on visit decay linear 10 days
  stepped: +1 on visit decay 20% every 30 days
  flat: +1 on visit no decay
  flat_too: +1 on visit decay none
  mixed: +2 on visit within 7 days once cap 5 limit 1 per 1 hour
}
)");
    INFO(p.all_messages());
    CHECK(p.diagnostics.empty());

    const dsl::Rule* r = p.rule("enterprise");
    REQUIRE(r);
    CHECK(r->label == "1000+ employees");
    CHECK_FALSE(r->negative);
    CHECK_FALSE(r->is_event_rule);
    CHECK(show(r->points.get()) == "20");
    CHECK(show(r->condition.get()) == "(>= employees 1000)");
    CHECK(r->cap == doctest::Approx(15));
    CHECK(p.source.slice(r->cap_span) == "cap 15");
    CHECK(p.source.slice(r->name_span) == "enterprise");
    CHECK(p.source.slice(r->points_span) == "+20");

    r = p.rule("student");
    REQUIRE(r);
    CHECK(r->negative);
    CHECK(r->label.empty());
    CHECK(show(r->points.get()) == "25");  // the sign is kept apart from the value
    CHECK(show(r->condition.get()) == "(matches job_title \"student|intern\")");
    CHECK_FALSE(r->cap.has_value());

    r = p.rule("size");
    REQUIRE(r);
    CHECK(show(r->points.get()) == "(/ employees 10)");
    CHECK(show(r->condition.get()) == "(is present employees)");

    r = p.rule("pricing");
    REQUIRE(r);
    CHECK(r->is_event_rule);
    CHECK(r->event_type == "page_view");
    CHECK(p.source.slice(r->event_span) == "page_view");
    CHECK(show(r->condition.get()) == "(contains url \"/pricing\")");
    REQUIRE(r->limit.has_value());
    CHECK(r->limit->count == 3);
    CHECK(r->limit->per.seconds == doctest::Approx(2 * day));
    CHECK(p.source.slice(r->limit->span) == "limit 3 per 2 days");
    CHECK(r->cap == doctest::Approx(18));
    CHECK_FALSE(r->once);
    CHECK_FALSE(r->within.has_value());
    CHECK_FALSE(r->decay.has_value());

    r = p.rule("demo");
    REQUIRE(r);
    CHECK(r->event_type == "form_submit");
    CHECK(r->condition == nullptr);
    CHECK(r->once);
    CHECK(p.source.slice(r->once_span) == "once");
    REQUIRE(r->within.has_value());
    CHECK(r->within->seconds == doctest::Approx(12 * 3600));

    r = p.rule("any_touch");
    REQUIRE(r);
    CHECK(r->negative);
    CHECK(r->event_type == "any");
    CHECK(show(r->points.get()) == "1");

    r = p.rule("halved");
    REQUIRE(r);
    REQUIRE(r->decay.has_value());
    CHECK(r->decay->kind == dsl::Decay::Kind::half_life);
    CHECK(r->decay->period_days == doctest::Approx(14));

    r = p.rule("fading");
    REQUIRE(r);
    REQUIRE(r->decay.has_value());
    CHECK(r->decay->kind == dsl::Decay::Kind::linear);
    CHECK(r->decay->period_days == doctest::Approx(10));

    r = p.rule("stepped");
    REQUIRE(r);
    REQUIRE(r->decay.has_value());
    CHECK(r->decay->kind == dsl::Decay::Kind::step);
    CHECK(r->decay->step_percent == doctest::Approx(20));
    CHECK(r->decay->period_days == doctest::Approx(30));

    for (const char* name : {"flat", "flat_too"}) {
      CAPTURE(name);
      r = p.rule(name);
      REQUIRE(r);
      REQUIRE(r->decay.has_value());
      CHECK(r->decay->kind == dsl::Decay::Kind::none);
    }

    // Modifiers in any order.
    r = p.rule("mixed");
    REQUIRE(r);
    CHECK(r->once);
    CHECK(r->cap == doctest::Approx(5));
    REQUIRE(r->within.has_value());
    CHECK(r->within->seconds == doctest::Approx(7 * day));
    REQUIRE(r->limit.has_value());
    CHECK(r->limit->count == 1);
    CHECK(r->limit->per.seconds == doctest::Approx(3600));
  }

  TEST_CASE("durations in every unit") {
    Parsed p(R"(model "t"
engagement e {
  a: +1 on v within 1 hour
  b: +1 on v within 3 hours
  c: +1 on v within 1 day
  d: +1 on v within 1.5 days
  f: +1 on v within 1 week
  g: +1 on v within 2 weeks
}
)");
    INFO(p.all_messages());
    CHECK(p.diagnostics.empty());
    const std::pair<const char*, double> expected[] = {{"a", 3600},    {"b", 3 * 3600},
                                                       {"c", day},     {"d", 1.5 * day},
                                                       {"f", 7 * day}, {"g", 14 * day}};
    for (const auto& [name, seconds] : expected) {
      CAPTURE(name);
      const dsl::Rule* r = p.rule(name);
      REQUIRE(r);
      REQUIRE(r->within.has_value());
      CHECK(r->within->seconds == doctest::Approx(seconds));
    }
  }

  TEST_CASE("precedence of the logical operators") {
    CHECK(condition("a = 1 or b = 2 and c = 3") == "(or (= a 1) (and (= b 2) (= c 3)))");
    CHECK(condition("a = 1 and b = 2 or c = 3") == "(or (and (= a 1) (= b 2)) (= c 3))");
    CHECK(condition("(a = 1 or b = 2) and c = 3") == "(and (or (= a 1) (= b 2)) (= c 3))");
    // `not` sits between `and` and the comparisons.
    CHECK(condition("not a = 1 and b = 2") == "(and (not (= a 1)) (= b 2))");
    CHECK(condition("not not a") == "(not (not a))");
    CHECK(condition("not (a = 1 or b = 2)") == "(not (or (= a 1) (= b 2)))");
    // Chains of one operator are kept flat.
    CHECK(condition("a or b or c or d") == "(or a b c d)");
    CHECK(condition("a and b and c") == "(and a b c)");
  }

  TEST_CASE("comparison forms") {
    CHECK(condition("x != 3") == "(!= x 3)");
    CHECK(condition("x < 3") == "(< x 3)");
    CHECK(condition("x <= 3") == "(<= x 3)");
    CHECK(condition("x > 3") == "(> x 3)");
    CHECK(condition("x >= 3") == "(>= x 3)");
    CHECK(condition("x = \"a\"") == "(= x \"a\")");
    CHECK(condition("employees between 50 and 249") == "(between employees 50 249)");
    CHECK(condition("x between a + 1 and b * 2 and y = 1") ==
          "(and (between x (+ a 1) (* b 2)) (= y 1))");
    CHECK(condition("industry in target_industries") == "(in industry list:target_industries)");
    CHECK(condition("industry not in [\"energy\", 3]") == "(not in industry [\"energy\" 3])");
    CHECK(condition("industry in []") == "(in industry [])");
    CHECK(condition("url contains \"/pricing\"") == "(contains url \"/pricing\")");
    CHECK(condition("url starts with \"/docs\"") == "(starts with url \"/docs\")");
    CHECK(condition("url ends with \".pdf\"") == "(ends with url \".pdf\")");
    CHECK(condition("title matches \"^vp\"") == "(matches title \"^vp\")");
    CHECK(condition("phone is missing") == "(is missing phone)");
    CHECK(condition("phone is present or x") == "(or (is present phone) x)");
    CHECK(condition("a + 1 > b * 2") == "(> (+ a 1) (* b 2))");
    CHECK(condition("flag = true and other = false") == "(and (= flag true) (= other false))");
  }

  TEST_CASE("arithmetic is left-associative, * and / bind tighter, unary minus tightest") {
    CHECK(points("a - b - c") == "(- (- a b) c)");
    CHECK(points("a / b / c") == "(/ (/ a b) c)");
    CHECK(points("a / b * c") == "(* (/ a b) c)");
    CHECK(points("a + b * c") == "(+ a (* b c))");
    CHECK(points("a * b + c") == "(+ (* a b) c)");
    CHECK(points("(a + b) * c") == "(* (+ a b) c)");
    CHECK(points("-a * b") == "(* (- a) b)");
    CHECK(points("a - -b") == "(- a (- b))");
    CHECK(points("- - a") == "(- (- a))");
    CHECK(points("1 + 2 - 3 + 4") == "(+ (- (+ 1 2) 3) 4)");
  }

  TEST_CASE("literals") {
    CHECK(points("25%") == "0.25");
    CHECK(points("12.5% * x") == "(* 0.125 x)");
    CHECK(points("12.5") == "12.5");
    CHECK(points("007") == "7");
    CHECK(condition("x = \"a\\\"b\\\\c\"") == "(= x \"a\"b\\c\")");
    CHECK(condition("x = \"tab\\there\\nnext\"") == "(= x \"tab\there\nnext\")");
    CHECK(condition("x = \"\"") == "(= x \"\")");
    // A `#` inside a string is not a comment.
    CHECK(condition("url contains \"#pricing\"") == "(contains url \"#pricing\")");
    CHECK(condition("x = \"Größe\"") == "(= x \"Größe\")");
  }

  TEST_CASE("names, lead.NAME, functions and aggregates") {
    // Words that merely start with a keyword are names.
    CHECK(condition("notable = 1 or android = 2 and index = 3") ==
          "(or (= notable 1) (and (= android 2) (= index 3)))");
    CHECK(condition("oncea = within_x") == "(= oncea within_x)");
    CHECK(condition("lead.model = lead.region") == "(= lead.model lead.region)");
    CHECK(condition("domain(email) in free_mail") == "(in (domain email) list:free_mail)");
    CHECK(condition("length(lower(name)) > 3") == "(> (length (lower name)) 3)");
    CHECK(condition("days_since(signed_up) < 30") == "(< (days_since signed_up) 30)");
    CHECK(condition("count(page_view where url contains \"/pricing\" within 14 days) >= 3") ==
          "(>= count(page_view where (contains url \"/pricing\") within 1.2096e+06s) 3)");
    CHECK(condition("sum(order.amount within 30 days) > 100") ==
          "(> sum(order.amount within 2.592e+06s) 100)");
    CHECK(condition("days_since_last(any) > 14") == "(> days_since_last(any) 14)");
    CHECK(condition("count(demo where kind = \"live\" or kind = \"web\") = 0") ==
          "(= count(demo where (or (= kind \"live\") (= kind \"web\"))) 0)");
    CHECK(points("count(any within 2 days)") == "count(any within 172800s)");

    Parsed p(R"(model "t"
engagement e { r: +1 when sum(order.amount where amount >= 100) > 0 }
)");
    INFO(p.all_messages());
    CHECK(p.diagnostics.empty());
    const dsl::Rule* r = p.rule("r");
    REQUIRE(r);
    const Expr& agg = *r->condition->args.at(0);
    REQUIRE(agg.kind == Expr::Kind::aggregate);
    CHECK(agg.aggregate == dsl::AggregateKind::sum);
    CHECK(agg.event_type == "order");
    CHECK(agg.property == "amount");
    CHECK(p.source.slice(agg.event_span) == "order");
    CHECK(p.source.slice(agg.property_span) == "amount");
    CHECK_FALSE(agg.within.has_value());
  }

  TEST_CASE("limits") {
    Parsed p(R"(model "t"
fit profile { a: +1 when x = 1 }
limit score to 75 unless profile >= 20   # engagement alone is not enough
limit profile to 10 when lead.profile = "low" and count(visit) < 1
)");
    INFO(p.all_messages());
    CHECK(p.diagnostics.empty());
    REQUIRE(p.model.limits.size() == 2);
    const auto& first = p.model.limits[0];
    CHECK(first.target == "score");
    CHECK(first.value == 75);
    CHECK(first.unless);
    CHECK(show(first.condition.get()) == "(>= profile 20)");
    // The item's span stops before the trailing comment.
    CHECK(p.source.slice(first.span) == "limit score to 75 unless profile >= 20");
    const auto& second = p.model.limits[1];
    CHECK(second.target == "profile");
    CHECK(p.source.slice(second.target_span) == "profile");
    CHECK(second.value == 10);
    CHECK_FALSE(second.unless);
    CHECK(show(second.condition.get()) == "(and (= lead.profile \"low\") (< count(visit) 1))");
  }

  TEST_CASE("expression spans") {
    Parsed p("model \"t\"\nfit g { r: +1 when  a + b * 2 >= 10   and x is missing  }\n");
    INFO(p.all_messages());
    CHECK(p.diagnostics.empty());
    const dsl::Rule* r = p.rule("r");
    REQUIRE(r);
    const Expr& root = *r->condition;
    CHECK(p.source.slice(root.span) == "a + b * 2 >= 10   and x is missing");
    const Expr& cmp = *root.args.at(0);
    CHECK(p.source.slice(cmp.span) == "a + b * 2 >= 10");
    CHECK(p.source.slice(cmp.args.at(0)->span) == "a + b * 2");
    CHECK(p.source.slice(cmp.args.at(0)->args.at(1)->span) == "b * 2");
    CHECK(p.source.slice(root.args.at(1)->span) == "x is missing");
  }

  TEST_CASE("SourceText::locate finds lines and columns in characters") {
    const std::string text =
        "model \"t\"\n"
        "fit g {\n"
        "  first: +1 when x = 1\n"
        "  label_rule \"Gr\xC3\xB6\xC3\x9F"
        "e \xE2\x9C\x93\": +1 when y = \"\xF0\x9F\x98\x80\"  second: +2 when z = 1\n"
        "}\n";
    Parsed p(text);
    INFO(p.all_messages());
    CHECK(p.diagnostics.empty());
    const dsl::Rule* first = p.rule("first");
    REQUIRE(first);
    auto where = p.source.locate(first->name_span);
    CHECK(where.file == "test.score");
    CHECK(where.line == 3);
    CHECK(where.column == 3);
    CHECK(where.length == 5);

    const dsl::Rule* labelled = p.rule("label_rule");
    REQUIRE(labelled);
    CHECK(labelled->label ==
          "Gr\xC3\xB6\xC3\x9F"
          "e \xE2\x9C\x93");
    where = p.source.locate(labelled->name_span);
    CHECK(where.line == 4);
    CHECK(where.column == 3);

    // `second` follows two-, three- and four-byte characters on its line: its column counts
    // characters, not bytes. `  label_rule "Größe ✓": +1 when y = "😀"  ` is 41 characters.
    const dsl::Rule* second = p.rule("second");
    REQUIRE(second);
    where = p.source.locate(second->name_span);
    CHECK(where.line == 4);
    CHECK(where.column == 42);
    CHECK(where.length == 6);
    CHECK(p.source.line_text(4).find("second") != std::string::npos);
  }

  TEST_CASE("comments and blank lines anywhere") {
    Parsed p(R"(# a leading comment
model "t"   # after the name
# between items

fit g # before the brace
{ # after the brace
  # a whole-line comment inside a group
  a: +1 # between points and trigger
     when x = 1 # inside a condition
       and y = 2
  b: +2 when z = 1 cap 3 # after a modifier
} # after the group
# last line without a newline)");
    INFO(p.all_messages());
    CHECK(p.diagnostics.empty());
    REQUIRE(p.model.groups.size() == 1);
    REQUIRE(p.model.groups[0].rules.size() == 2);
    const dsl::Rule* a = p.rule("a");
    REQUIRE(a);
    CHECK(show(a->condition.get()) == "(and (= x 1) (= y 2))");
    CHECK(p.source.locate(a->name_span).line == 8);
    const dsl::Rule* b = p.rule("b");
    REQUIRE(b);
    CHECK(b->cap == doctest::Approx(3));
    CHECK(p.source.locate(b->name_span).line == 11);
  }

  TEST_CASE("CRLF line endings") {
    std::string text =
        "model \"crlf\"\r\n"
        "# comment\r\n"
        "band hot >= 10 \"Hot\"\r\n"
        "band cold\r\n"
        "engagement e decay half-life 7 days {\r\n"
        "  a \"label\": +1 on visit where url = \"/x\" # trailing\r\n"
        "  b: +2 on visit\r\n"
        "     limit 1 per 1 day\r\n"
        "}\r\n";
    Parsed p(text);
    INFO(p.all_messages());
    CHECK(p.diagnostics.empty());
    CHECK(p.model.name == "crlf");
    REQUIRE(p.model.bands.size() == 2);
    CHECK(p.model.bands[0].description == "Hot");
    CHECK(p.model.bands[1].name == "cold");
    const dsl::Rule* a = p.rule("a");
    REQUIRE(a);
    CHECK(a->label == "label");
    CHECK(show(a->condition.get()) == "(= url \"/x\")");
    auto where = p.source.locate(a->name_span);
    CHECK(where.line == 6);
    CHECK(where.column == 3);
    const dsl::Rule* b = p.rule("b");
    REQUIRE(b);
    CHECK(p.source.locate(b->name_span).line == 7);
    REQUIRE(b->limit.has_value());
    CHECK(p.source.slice(b->limit->span) == "limit 1 per 1 day");
    // The line shown in diagnostics has no trailing carriage return.
    CHECK(p.source.line_text(7) == "  b: +2 on visit");
  }

  TEST_CASE("a UTF-8 byte-order mark at the start is not part of the model") {
    Parsed p("\xEF\xBB\xBFmodel \"bom\"\nfit g {\n  a: +1 when x = 1\n}\n");
    INFO(p.all_messages());
    CHECK(p.diagnostics.empty());
    CHECK(p.model.name == "bom");
    const dsl::Rule* a = p.rule("a");
    REQUIRE(a);
    CHECK(p.source.locate(a->name_span).line == 3);
  }

  TEST_CASE("a syntax error is located at the offending token") {
    Parsed p("model \"t\"\nfit g {\n  a: +1 whn x = 1\n}\n");
    REQUIRE(p.diagnostics.size() == 1);
    const auto& d = p.diagnostics[0];
    CHECK(d.code == "LS100");
    CHECK(d.where.line == 3);
    CHECK(d.where.column == 9);
    CHECK(d.message.find("whn") != std::string::npos);
    CHECK(d.hint.find("when") != std::string::npos);
  }

  TEST_CASE("string errors: unterminated, bad escape") {
    Parsed open("model \"t\"\nfit g {\n  a: +1 when x = \"abc\n  b: +1 when y = 1\n}\n");
    CHECK(open.codes().find("LS101") != std::string::npos);
    REQUIRE_FALSE(open.diagnostics.empty());
    CHECK(open.diagnostics[0].where.line == 3);
    CHECK(open.diagnostics[0].where.column == 18);
    CHECK(open.rule("b") != nullptr);

    Parsed escape("model \"t\"\nfit g {\n  a: +1 when x = \"a\\qb\"\n}\n");
    REQUIRE_FALSE(escape.diagnostics.empty());
    CHECK(escape.diagnostics[0].code == "LS102");
    CHECK(escape.diagnostics[0].where.line == 3);
    CHECK(escape.diagnostics[0].where.column == 20);
  }

  TEST_CASE("a file must start with `model`") {
    Parsed p("fit g { a: +1 when x = 1 }\n");
    CHECK(p.codes() == "LS400");
    CHECK(p.rule("a") != nullptr);
    Parsed empty("");
    CHECK(empty.codes() == "LS400");
  }

  TEST_CASE("error recovery: three independent mistakes, three diagnostics") {
    Parsed p(R"(model "recovery"
band hot >= "high"
band cold
fit profile {
  before: +1 when x = 1
  one: +5 whn x >= 1
  middle: +2 when y = 2
  two: +5 when x between 1 and 2
  after: +3 when z = 3
}
engagement activity {
  early: +1 on visit
  three: +5 on visit cap many
  late: +4 on visit once
}
limit score to 50 unless profile >= 3
)");
    INFO(p.all_messages());
    REQUIRE(p.diagnostics.size() == 3);
    CHECK(p.codes() == "LS100 LS100 LS100");
    CHECK(p.diagnostics[0].where.line == 2);
    CHECK(p.diagnostics[0].where.column == 13);
    CHECK(p.diagnostics[1].where.line == 6);
    CHECK(p.diagnostics[1].where.column == 11);
    CHECK(p.diagnostics[2].where.line == 13);
    CHECK(p.diagnostics[2].where.column == 26);
    for (const char* name : {"before", "middle", "two", "after", "early", "late"}) {
      CAPTURE(name);
      CHECK(p.rule(name) != nullptr);
    }
    CHECK(p.rule("one") == nullptr);
    CHECK(p.rule("three") == nullptr);
    REQUIRE(p.model.bands.size() == 1);
    CHECK(p.model.bands[0].name == "cold");
    CHECK(p.model.limits.size() == 1);
    CHECK(p.group("profile") != nullptr);
    CHECK(p.group("activity") != nullptr);
  }

  // Recovery should not turn one mistake into several diagnostics.
  TEST_CASE("a broken group header gives one diagnostic") {
    Parsed p("model \"t\"\nfit g cap {\n  a: +1 when x = 1\n}\nfit h {\n  b: +1 when y = 1\n}\n");
    INFO(p.all_messages());
    CHECK(p.diagnostics.size() == 1);
    CHECK(p.rule("b") != nullptr);
  }

  // Recovery must not skip the `}` that shares the broken rule's line, or the next group is
  // reported as "expected `}` to close group `g`".
  TEST_CASE("a broken rule on the group's closing line gives one diagnostic") {
    Parsed p("model \"t\"\nfit g {\n  a: +1 whn x = 1 }\nfit h {\n  b: +1 when y = 1\n}\n");
    INFO(p.all_messages());
    CHECK(p.diagnostics.size() == 1);
    CHECK(p.rule("b") != nullptr);
  }
}
