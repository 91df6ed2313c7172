// JSON Lines rows that the parser cannot take as they are: each is one rejected row with its
// line and reason, never the end of the whole file.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/import_workspace.hpp"

using leadscore::ImportKind;
using leadscore::ImportReport;
using leadscore::testing::ImportWorkspace;

TEST_SUITE("import_json_rows") {
  TEST_CASE("a number outside the range of a double rejects its line only") {
    ImportWorkspace w;
    w.two_leads();
    ImportReport r;
    // nlohmann::json reports this overflow as out_of_range, not as a parse error.
    REQUIRE_NOTHROW(
        r = w.import(ImportKind::events, "events.jsonl",
                     R"({"id":"E1","lead_id":"L1","ts":"2026-03-01","type":"page_view","url":"/a"})"
                     "\n"
                     R"({"id":"E2","lead_id":"L1","ts":"2026-03-02","type":"page_view","n":1e400})"
                     "\n"
                     R"({"id":"E3","lead_id":"L2","ts":"2026-03-03","type":"page_view","n":-2e308})"
                     "\n"
                     R"({"id":"E4","lead_id":"L2","ts":"2026-03-04","type":"page_view","url":"/d"})"
                     "\n"));
    CHECK(r.rows == 4);
    CHECK(r.added == 2);
    CHECK(r.rejected == 2);
    REQUIRE(r.first_rejects.size() == 2);
    CHECK(r.first_rejects[0].line == 2);
    CHECK(r.first_rejects[0].reason == "a number is outside the range of a double");
    CHECK(r.first_rejects[1].line == 3);
    CHECK_FALSE(r.rejects_file.empty());
    CHECK(w.store->counts().events == 2);
  }
}
