// White-box tests of the checker: what it writes into the tree (name kinds, timestamps, the
// aggregate list) and what it reports. Messages are matched on a few key words only; the golden
// corpus pins the full wording.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/checker.hpp"
#include "dsl/diagnostics.hpp"
#include "dsl/parser.hpp"
#include "leadscore/leadscore.hpp"

namespace dsl = leadscore::dsl;
using dsl::Expr;
using dsl::NameKind;
using leadscore::Diagnostic;
using leadscore::Schema;
using leadscore::ValueType;

namespace {

// Parses (which must succeed) and checks one model.
struct Checked {
  dsl::SourceText source;
  dsl::DiagnosticSink sink;
  dsl::Model model;
  std::vector<Diagnostic> diagnostics;
  bool parse_errors = false;

  explicit Checked(std::string text, const Schema* schema = nullptr)
      : source("check.score", std::move(text)), sink(source) {
    model = dsl::parse_model(source, leadscore::Limits{}, sink);
    parse_errors = sink.has_errors();
    dsl::check_model(model, schema, sink, parse_errors);
    diagnostics = sink.take();
  }

  std::string rendered() const {
    std::string out;
    for (const auto& d : diagnostics) out += leadscore::render(d);
    return out;
  }

  std::vector<const Diagnostic*> with_code(const std::string& code) const {
    std::vector<const Diagnostic*> out;
    for (const auto& d : diagnostics) {
      if (d.code == code) out.push_back(&d);
    }
    return out;
  }

  const dsl::Rule& rule(const std::string& name) const {
    for (const auto& g : model.groups) {
      for (const auto& r : g.rules) {
        if (r.name == name) return r;
      }
    }
    FAIL("no rule " << name);
    throw 0;  // not reached
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Every node of a tree, aggregates' `where` included, in depth-first order.
void walk(const Expr& e, const std::function<void(const Expr&)>& visit) {
  visit(e);
  for (const auto& a : e.args) walk(*a, visit);
  if (e.where) walk(*e.where, visit);
}

// The first bare name or lead.NAME node spelled `text`.
const Expr* find_name(const Expr* root, const std::string& text) {
  const Expr* found = nullptr;
  if (!root) return nullptr;
  walk(*root, [&](const Expr& e) {
    if (!found && (e.kind == Expr::Kind::name || e.kind == Expr::Kind::lead_name) &&
        e.text == text) {
      found = &e;
    }
  });
  return found;
}

NameKind kind_of(const Expr* root, const std::string& text) {
  const Expr* e = find_name(root, text);
  REQUIRE_MESSAGE(e != nullptr, "no name " << text);
  return e->name_kind;
}

Schema crm_schema() {
  Schema s;
  s.attributes = {{"employees", ValueType::number}, {"industry", ValueType::string},
                  {"email", ValueType::string},     {"signed_up", ValueType::timestamp},
                  {"vip", ValueType::boolean},      {"notes", ValueType::any}};
  s.events = {{"page_view", {{"url", ValueType::string}, {"seconds", ValueType::number}}},
              {"purchase", {{"amount", ValueType::number}, {"sku", ValueType::string}}},
              {"form_submit", {{"form", ValueType::string}, {"amount", ValueType::string}}}};
  return s;
}

constexpr double june_1_2026_ms = 1780272000000.0;  // 2026-06-01T00:00:00Z

}  // namespace

TEST_SUITE("checker") {
  TEST_CASE("bare names: attributes in `when`, properties in `where`") {
    Checked c(R"(model "t"
fit profile {
  size: +(employees / 10) when employees > 10 and industry = "energy"
}
engagement activity {
  pricing: +(seconds / 60) on page_view where url contains "/pricing" and lead.tier = "gold"
  late: +1 on page_view where ts >= "2026-06-01"
  counted: +1 when count(page_view where url = "/x" and ts < "2026-06-01") > 2 and ts = 1
}
)");
    INFO(c.rendered());
    CHECK_FALSE(c.parse_errors);
    const auto& size = c.rule("size");
    CHECK(kind_of(size.condition.get(), "employees") == NameKind::attribute);
    CHECK(kind_of(size.condition.get(), "industry") == NameKind::attribute);
    CHECK(kind_of(size.points.get(), "employees") == NameKind::attribute);

    const auto& pricing = c.rule("pricing");
    CHECK(kind_of(pricing.condition.get(), "url") == NameKind::property);
    CHECK(kind_of(pricing.condition.get(), "tier") == NameKind::attribute);  // lead.tier
    CHECK(kind_of(pricing.points.get(), "seconds") == NameKind::property);

    const auto& late = c.rule("late");
    CHECK(kind_of(late.condition.get(), "ts") == NameKind::event_time);

    // Inside an aggregate's `where` names are the aggregated event's; outside it, in a `when`
    // condition, `ts` is just an attribute called ts.
    const auto& counted = c.rule("counted");
    const Expr* agg = nullptr;
    walk(*counted.condition, [&](const Expr& e) {
      if (e.kind == Expr::Kind::aggregate) agg = &e;
    });
    REQUIRE(agg != nullptr);
    CHECK(kind_of(agg->where.get(), "url") == NameKind::property);
    CHECK(kind_of(agg->where.get(), "ts") == NameKind::event_time);
    const Expr& outer_ts = *counted.condition->args.at(1)->args.at(0);
    REQUIRE(outer_ts.kind == Expr::Kind::name);
    CHECK(outer_ts.text == "ts");
    CHECK(outer_ts.name_kind == NameKind::attribute);
  }

  TEST_CASE("limit conditions: group names are totals, lead.NAME is always an attribute") {
    Checked c(R"(model "t"
fit profile { a: +1 when x = 1 }
engagement activity { b: +1 on visit }
limit score to 50 unless profile >= 20 and activity < 5 and budget > 1000
limit activity to 10 when lead.profile = "weak" or count(visit) < 1
)");
    INFO(c.rendered());
    CHECK(c.diagnostics.empty());
    REQUIRE(c.model.limits.size() == 2);
    const Expr* first = c.model.limits[0].condition.get();
    CHECK(kind_of(first, "profile") == NameKind::group);
    CHECK(kind_of(first, "activity") == NameKind::group);
    CHECK(kind_of(first, "budget") == NameKind::attribute);
    const Expr* second = c.model.limits[1].condition.get();
    const Expr* lead_profile = find_name(second, "profile");
    REQUIRE(lead_profile != nullptr);
    CHECK(lead_profile->kind == Expr::Kind::lead_name);
    CHECK(lead_profile->name_kind == NameKind::attribute);
  }

  TEST_CASE("a group name outside a limit, or `ts` outside events, is an attribute (LS006)") {
    Checked c(R"(model "t"
fit profile { a: +1 when profile = "x" and ts > 3 }
)");
    INFO(c.rendered());
    CHECK(kind_of(c.rule("a").condition.get(), "profile") == NameKind::attribute);
    CHECK(kind_of(c.rule("a").condition.get(), "ts") == NameKind::attribute);
    auto warnings = c.with_code("LS006");
    REQUIRE(warnings.size() == 2);
    CHECK(warnings[0]->severity == leadscore::Severity::warning);
    CHECK(contains(warnings[0]->message, "profile"));
    CHECK(contains(warnings[0]->hint, "lead.profile"));
    CHECK(contains(warnings[1]->message, "ts"));
    CHECK_FALSE(c.sink.has_errors());
  }

  TEST_CASE("a name in a limit close to a group's name (LS005)") {
    Checked c(R"(model "t"
fit profile { a: +1 when x = 1 }
limit score to 10 unless profle >= 20
)");
    INFO(c.rendered());
    auto warnings = c.with_code("LS005");
    REQUIRE(warnings.size() == 1);
    CHECK(contains(warnings[0]->message, "profle"));
    CHECK(contains(warnings[0]->hint, "`profile`"));
    CHECK(kind_of(c.model.limits.at(0).condition.get(), "profle") == NameKind::attribute);
  }

  TEST_CASE("date strings compared with a timestamp become timestamps") {
    Schema schema = crm_schema();
    Checked c(R"(model "t"
fit profile {
  recent: +1 when signed_up >= "2026-06-01"
  window: +1 when signed_up between "2026-06-01" and "2026-06-30T12:00:00Z"
  age: +1 when days_since("2026-06-01") > 3
  reversed: +1 when "2026-06-01" < signed_up
}
engagement activity {
  june: +1 on page_view where ts >= "2026-06-01"
}
)",
              &schema);
    INFO(c.rendered());
    CHECK(c.diagnostics.empty());

    const Expr& recent = *c.rule("recent").condition;
    REQUIRE(recent.args.size() == 2);
    CHECK(recent.args[1]->kind == Expr::Kind::timestamp);
    CHECK(recent.args[1]->number == june_1_2026_ms);

    const Expr& window = *c.rule("window").condition;
    REQUIRE(window.args.size() == 3);
    CHECK(window.args[1]->kind == Expr::Kind::timestamp);
    CHECK(window.args[2]->kind == Expr::Kind::timestamp);
    CHECK(window.args[2]->number == june_1_2026_ms + (29 * 24 + 12) * 3600e3);

    const Expr& age = *c.rule("age").condition;
    CHECK(age.args.at(0)->args.at(0)->kind == Expr::Kind::timestamp);

    CHECK(c.rule("reversed").condition->args.at(0)->kind == Expr::Kind::timestamp);

    const Expr& june = *c.rule("june").condition;
    CHECK(june.args.at(1)->kind == Expr::Kind::timestamp);
    CHECK(june.args.at(1)->number == june_1_2026_ms);

    // Without a schema: `ts` is always a time, and an ordering comparison with a date string
    // reads the string as a time; `=` with an attribute of unknown type keeps the string.
    Checked plain(R"(model "t"
fit profile {
  recent: +1 when signed_up >= "2026-06-01"
  same: +1 when signed_up = "2026-06-01"
}
engagement activity { june: +1 on page_view where ts = "2026-06-01" }
)");
    INFO(plain.rendered());
    CHECK(plain.diagnostics.empty());
    CHECK(plain.rule("recent").condition->args.at(1)->kind == Expr::Kind::timestamp);
    CHECK(plain.rule("same").condition->args.at(1)->kind == Expr::Kind::string);
    CHECK(plain.rule("june").condition->args.at(1)->kind == Expr::Kind::timestamp);
  }

  TEST_CASE("timestamp mistakes") {
    Checked c(R"(model "t"
engagement activity {
  bad_date: +1 on visit where ts >= "next tuesday"
  number: +1 on visit where ts > 5
  math: +1 on visit where ts + 1 > 5
}
)");
    INFO(c.rendered());
    auto bad = c.with_code("LS301");
    REQUIRE(bad.size() == 1);
    CHECK(contains(bad[0]->message, "next tuesday"));
    CHECK(bad[0]->where.line == 3);
    CHECK(bad[0]->where.column == 37);
    std::vector<const Diagnostic*> mismatch;
    for (const Diagnostic* d : c.with_code("LS300")) {
      if (d->where.line != 3) mismatch.push_back(d);
    }
    REQUIRE(mismatch.size() == 2);
    CHECK(contains(mismatch[0]->message, "timestamp"));
    CHECK(contains(mismatch[0]->message, "number"));
    CHECK(contains(mismatch[0]->hint, "days_since"));
    CHECK(mismatch[0]->where.line == 4);
    CHECK(contains(mismatch[1]->message, "timestamp"));
    CHECK(mismatch[1]->where.line == 5);
  }

  // One mistake, one diagnostic: the literal that is not a date must not also be reported as
  // "a string where `>=` needs numbers or timestamps" at the same place.
  TEST_CASE("a string that is not a date is reported once") {
    Checked c(R"(model "t"
engagement activity { a: +1 on visit where ts >= "next tuesday" }
)");
    INFO(c.rendered());
    CHECK(c.with_code("LS301").size() == 1);
    CHECK(c.diagnostics.size() == 1);
  }

  TEST_CASE("schema: type errors") {
    Schema schema = crm_schema();
    Checked c(R"(model "t"
fit profile {
  a: +1 when employees = "ten"
  b: +1 when industry >= 5
  c: +1 when domain(employees) = "x.io"
  d: +(industry) when vip = true
  e: +1 when employees
  f: +1 when industry contains 3
  g: +1 when not employees
  h: +1 when signed_up > employees
}
engagement activity {
  i: +1 when sum(page_view.url) > 10
  j: +(url) on page_view
}
)",
              &schema);
    INFO(c.rendered());
    CHECK_FALSE(c.parse_errors);
    auto errors = c.with_code("LS300");
    CHECK(errors.size() == 10);
    CHECK(c.diagnostics.size() == errors.size());
    auto on_line = [&](std::uint32_t line) -> const Diagnostic* {
      for (const Diagnostic* d : errors) {
        if (d->where.line == line) return d;
      }
      return nullptr;
    };
    const Diagnostic* d = on_line(3);
    REQUIRE(d);
    CHECK(contains(d->message, "number"));
    CHECK(contains(d->message, "string"));
    d = on_line(4);
    REQUIRE(d);
    CHECK(contains(d->message, ">="));
    d = on_line(5);
    REQUIRE(d);
    CHECK(contains(d->message, "domain"));
    CHECK(contains(d->message, "string"));
    d = on_line(6);
    REQUIRE(d);
    CHECK(contains(d->message, "points"));
    d = on_line(7);
    REQUIRE(d);
    CHECK(contains(d->message, "condition"));
    d = on_line(8);
    REQUIRE(d);
    CHECK(contains(d->message, "contains"));
    d = on_line(9);
    REQUIRE(d);
    CHECK(contains(d->message, "not"));
    d = on_line(10);
    REQUIRE(d);
    CHECK(contains(d->message, "timestamp"));
    d = on_line(13);
    REQUIRE(d);
    CHECK(contains(d->message, "sum"));
    d = on_line(14);
    REQUIRE(d);
    CHECK(contains(d->message, "points"));
  }

  TEST_CASE("schema: unknown names with did-you-mean hints") {
    Schema schema = crm_schema();
    Checked c(R"(model "t"
fit profile {
  a: +1 when employes >= 10
  b: +1 when lead.industy = "energy"
}
engagement activity {
  c: +1 on page_veiw
  d: +1 on page_view where ulr contains "/x"
  e: +1 on any where colour = "red"
  f: +1 when count(purchse) > 1
  g: +1 on any where amount > 1
}
)",
              &schema);
    INFO(c.rendered());
    auto attributes = c.with_code("LS204");
    REQUIRE(attributes.size() == 2);
    CHECK(contains(attributes[0]->message, "employes"));
    CHECK(contains(attributes[0]->hint, "`employees`"));
    CHECK(attributes[0]->where.line == 3);
    CHECK(attributes[0]->where.column == 14);
    CHECK(contains(attributes[1]->message, "industy"));
    CHECK(contains(attributes[1]->hint, "`industry`"));

    auto events = c.with_code("LS205");
    REQUIRE(events.size() == 2);
    CHECK(contains(events[0]->message, "page_veiw"));
    CHECK(contains(events[0]->hint, "`page_view`"));
    CHECK(contains(events[1]->message, "purchse"));
    CHECK(contains(events[1]->hint, "`purchase`"));

    auto properties = c.with_code("LS206");
    REQUIRE(properties.size() == 2);
    CHECK(contains(properties[0]->message, "ulr"));
    CHECK(contains(properties[0]->hint, "`url`"));
    CHECK(contains(properties[1]->message, "colour"));
    // `amount` exists on two event types with different types: on `any` it is not an error.
    CHECK(c.diagnostics.size() == 6);
    // With a schema, an unknown name is an error, never a lonely-name warning.
    CHECK(c.with_code("LS001").empty());
  }

  TEST_CASE("schema: a well-typed model has no diagnostics") {
    Schema schema = crm_schema();
    Checked c(R"(model "t"
fit profile {
  size: +(employees / 100) when employees between 10 and 5000 and industry in ["a", "b"]
  mail: -5 when domain(email) = "gmail.com" or length(lower(industry)) < 2
  vip: +3 when vip = true and notes is present
}
engagement activity {
  spend: +(amount / 10) on purchase where sku starts with "PRO" cap 20
  read: +1 on page_view where seconds > 30 and ts >= "2026-01-01"
  big: +2 when sum(purchase.amount within 30 days) >= 100
}
)",
              &schema);
    INFO(c.rendered());
    CHECK(c.diagnostics.empty());
  }

  TEST_CASE("the aggregate list is filled in source order, wherever aggregates are") {
    Checked c(R"(model "t"
engagement activity {
  a: +(count(visit within 7 days)) when days_since_last(visit) < 3
  b: +1 when sum(order.amount where amount > 10) > 100
}
limit score to 10 unless count(any) >= 1
)");
    INFO(c.rendered());
    CHECK(c.diagnostics.empty());
    REQUIRE(c.model.aggregates.size() == 4);
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < c.model.aggregates.size(); ++i) {
      const Expr* a = c.model.aggregates[i];
      REQUIRE(a->kind == Expr::Kind::aggregate);
      CHECK(a->aggregate_index == i);
      texts.push_back(a->text + "(" + a->event_type + ")");
    }
    // The condition of `a` is checked before its points.
    CHECK(texts == std::vector<std::string>{"days_since_last(visit)", "count(visit)", "sum(order)",
                                            "count(any)"});
    CHECK(c.model.aggregates[1]->within.has_value());
    CHECK(c.model.aggregates[2]->property == "amount");
    // The tree's nodes are the ones listed.
    CHECK(c.rule("a").condition->args.at(0).get() == c.model.aggregates[0]);
    CHECK(c.model.limits.at(0).condition->args.at(0).get() == c.model.aggregates[3]);
  }

  TEST_CASE("aggregates where only the current event is known") {
    Checked c(R"(model "t"
engagement activity {
  a: +1 on visit where count(visit) > 1
  b: +(sum(order.amount)) on order
  c: +1 when count(visit where count(order) > 1) > 0
}
)");
    INFO(c.rendered());
    auto errors = c.with_code("LS304");
    REQUIRE(errors.size() == 3);
    CHECK(contains(errors[0]->message, "count"));
    CHECK(contains(errors[1]->message, "sum"));
    CHECK(contains(errors[2]->message, "inside another aggregate"));
  }

  TEST_CASE("lonely names: a warning without a schema") {
    Checked c(R"(model "t"
fit profile {
  a: +1 when employees >= 10
  b: +1 when employees >= 100
  c: +1 when employes >= 1000
}
engagement activity {
  d: +1 on page_view where url contains "/a"
  e: +1 on page_view where url contains "/b"
  f: +1 on page_veiw where ulr contains "/c"
}
)");
    INFO(c.rendered());
    auto attribute = c.with_code("LS001");
    REQUIRE(attribute.size() == 1);
    CHECK(attribute[0]->severity == leadscore::Severity::warning);
    CHECK(contains(attribute[0]->message, "employes"));
    CHECK(contains(attribute[0]->hint, "`employees`"));
    CHECK(attribute[0]->where.line == 5);
    CHECK(attribute[0]->where.column == 14);
    auto event = c.with_code("LS002");
    REQUIRE(event.size() == 1);
    CHECK(contains(event[0]->message, "page_veiw"));
    CHECK(contains(event[0]->hint, "`page_view`"));
    auto property = c.with_code("LS003");
    REQUIRE(property.size() == 1);
    CHECK(contains(property[0]->message, "ulr"));
    CHECK(contains(property[0]->hint, "`url`"));
    CHECK(c.diagnostics.size() == 3);
    CHECK_FALSE(c.sink.has_errors());
  }

  TEST_CASE("lonely names: no warning when names repeat or are not close") {
    Checked c(R"(model "t"
fit profile {
  a: +1 when employees >= 10
  b: +1 when employees >= 100
  c: +1 when employes >= 1000
  d: +1 when employes >= 5000
  e: +1 when region = "emea"
}
)");
    INFO(c.rendered());
    CHECK(c.diagnostics.empty());
  }

  TEST_CASE("lonely names: no warning after syntax errors") {
    Checked c(R"(model "t"
fit profile {
  a: +1 when employees >= 10
  b: +1 when employees >= 100
  c: +1 when employes >= 1000
  d: +1 whn x
}
)");
    INFO(c.rendered());
    CHECK(c.parse_errors);
    CHECK(c.with_code("LS001").empty());
  }

  TEST_CASE("names the file must declare") {
    Checked c(R"(model "t"
band hot >= 10
band cold
grade profle A >= 5
grade profle B
list free_mail = ["gmail.com"]
fit profile { a: +1 when domain(email) in free_mial }
limit activty to 5 when x = 1
)");
    INFO(c.rendered());
    auto list = c.with_code("LS201");
    REQUIRE(list.size() == 1);
    CHECK(contains(list[0]->message, "free_mial"));
    CHECK(contains(list[0]->hint, "`free_mail`"));
    // One error for the unknown graded group (not one per grade), one for the limit.
    auto groups = c.with_code("LS202");
    REQUIRE(groups.size() == 2);
    CHECK(contains(groups[0]->message, "profle"));
    CHECK(contains(groups[0]->hint, "`profile`"));
    CHECK(groups[0]->where.line == 4);
    CHECK(contains(groups[1]->message, "activty"));
    CHECK(contains(groups[1]->message, "score"));
  }

  TEST_CASE("duplicate names and namespaces") {
    Checked c(R"(model "t"
band hot >= 10
band hot >= 5
band cold
list free_mail = ["a"]
list free_mail = ["b"]
fit profile {
  free_mail: +1 when x = 1
  profile: +1 when x = 2
}
engagement activity {
  free_mail: +1 on visit
}
)");
    INFO(c.rendered());
    auto dups = c.with_code("LS200");
    // A second band `hot`, a second list, the rule named like its group and the second rule
    // `free_mail`; a list and a rule may share a name.
    REQUIRE(dups.size() == 4);
    for (const Diagnostic* d : dups) CHECK(contains(d->message, "already defined on line"));
    std::vector<std::uint32_t> lines;
    for (const Diagnostic* d : dups) lines.push_back(d->where.line);
    CHECK(lines == std::vector<std::uint32_t>{3, 6, 9, 12});
  }

  TEST_CASE("structure: modifiers, bands, settings") {
    Checked c(R"(model "t"
scale 100 to 0
band hot >= 10
band warm >= 20
band cold >= 0
fit profile decay half-life 7 days {
  a: +1 when x = 1 once
  b: +1 on visit
  c: +1 when count(visit) > 1
  d: +1 when x = 2 cap 0
}
engagement activity {
  e: +1 on visit limit 0 per 1 day
  f: +1 on visit within 0 days
  g: +1 on visit decay 120% every 7 days
}
)");
    INFO(c.rendered());
    CHECK(c.with_code("LS406").size() == 5);  // scale, cap 0, limit 0, within 0, 120%
    CHECK(c.with_code("LS402").size() == 1);  // warm is not below hot
    CHECK(c.with_code("LS403").size() == 1);  // the last band has a threshold
    CHECK(c.with_code("LS404").size() == 2);  // decay on a fit group, `once` on a when rule
    CHECK(c.with_code("LS407").size() == 1);  // `on` rule in a fit group
    auto reads = c.with_code("LS004");
    REQUIRE(reads.size() == 1);
    CHECK(reads[0]->severity == leadscore::Severity::warning);
    CHECK(contains(reads[0]->message, "`c`"));
  }

  TEST_CASE("functions: unknown names and wrong arguments") {
    Checked c(R"(model "t"
fit profile {
  a: +1 when domian(email) = "x"
  b: +1 when lower(a, b) = "x"
  c: +1 when count(visit) > 1 and length() = 0
}
)");
    INFO(c.rendered());
    auto unknown = c.with_code("LS203");
    REQUIRE(unknown.size() == 1);
    CHECK(contains(unknown[0]->message, "domian"));
    CHECK(contains(unknown[0]->hint, "`domain`"));
    auto arity = c.with_code("LS302");
    REQUIRE(arity.size() == 2);
    CHECK(contains(arity[0]->message, "lower"));
    CHECK(contains(arity[1]->message, "length"));
  }
}
