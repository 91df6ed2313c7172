// Which event types a scoring pass must decode properties for: those fed to a rule or an
// aggregate that reads a property, in its condition, its points or its sum, and every type
// once an `any` rule reads one.
#include <doctest/doctest.h>

#include <string>

#include "engine/model_impl.hpp"
#include "engine/program.hpp"
#include "leadscore/leadscore.hpp"

namespace {

const leadscore::engine::Program& program_of(const std::string& text,
                                             std::shared_ptr<const leadscore::Model>& keep) {
  auto compiled = leadscore::Model::compile(text, "readers.score");
  for (const auto& d : compiled.diagnostics) MESSAGE(d.message);
  REQUIRE(compiled.model);
  keep = compiled.model;
  return *keep->impl().program;
}

bool reads(const leadscore::engine::Program& p, const std::string& type) {
  auto it = p.event_ids.find(type);
  REQUIRE(it != p.event_ids.end());
  return p.property_readers().by_type[it->second];
}

}  // namespace

TEST_SUITE("vm") {
  TEST_CASE("property readers: by condition, points and sum; `any` makes every type one") {
    std::shared_ptr<const leadscore::Model> keep;
    const auto& p = program_of(R"(model "r"
engagement e {
  opened: +1 on email_open
  pricing: +2 on page_view where url contains "pricing"
  watched: +(minutes / 10) on video
  trial: +5 on trial_start where ts > "2026-01-01"
  many: +3 when sum(download.size) > 10
  clicked: +1 when count(email_click) >= 2
}
)",
                               keep);
    CHECK_FALSE(reads(p, "email_open"));
    CHECK(reads(p, "page_view"));
    CHECK(reads(p, "video"));              // the points read `minutes`
    CHECK_FALSE(reads(p, "trial_start"));  // the event's time is not a property
    CHECK(reads(p, "download"));           // summed
    CHECK_FALSE(reads(p, "email_click"));  // only counted
    CHECK_FALSE(p.property_readers().other_types);

    std::shared_ptr<const leadscore::Model> keep_any;
    const auto& q = program_of(R"(model "a"
engagement e {
  opened: +1 on email_open
  tagged: +1 on any where campaign = "spring"
}
)",
                               keep_any);
    CHECK(reads(q, "email_open"));
    CHECK(q.property_readers().other_types);
  }
}
