// Input that used to import silently in a changed form: a header naming one column twice, a
// JSON key given twice, `attrs` that is not an object, a NUL inside an id, and a byte-order
// mark in the middle of a file. Each is now a reject with its line (or, for the header, an
// error for the whole file), and the rows around it import as before.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/import_workspace.hpp"

using leadscore::ImportKind;
using leadscore::ImportReport;
using leadscore::StoreError;
using leadscore::testing::ImportWorkspace;
using namespace std::string_literals;

TEST_SUITE("import_strict_rows") {
  TEST_CASE("a CSV header naming a column twice stops the file, naming both positions") {
    ImportWorkspace w;
    const auto file = w.dir.write("leads.csv", "id,employees,industry,employees\nL1,5,x,7\n");
    std::string message;
    try {
      w.store->import_file(ImportKind::leads, file, *w.project);
    } catch (const StoreError& e) {
      message = e.what();
    }
    CHECK(message == file.string() +
                         ":1: the column `employees` appears twice in the header "
                         "(columns 2 and 4)");
    CHECK(w.store->counts().leads == 0);
  }

  TEST_CASE("JSON `attrs` that is not an object is a reject") {
    ImportWorkspace w;
    ImportReport r = w.import(ImportKind::leads, "leads.jsonl",
                              "{\"id\":\"L1\",\"attrs\":5}\n"
                              "{\"id\":\"L2\",\"attrs\":{\"employees\":3}}\n"
                              "{\"id\":\"L3\",\"attrs\":[1]}\n");
    CHECK(r.rows == 3);
    CHECK(r.added == 1);
    REQUIRE(r.first_rejects.size() == 2);
    CHECK(r.first_rejects[0].line == 1);
    CHECK(r.first_rejects[0].reason ==
          "`attrs` must be an object of attributes (here it is a number)");
    CHECK(r.first_rejects[1].line == 3);
    CHECK(w.store->counts().leads == 1);
  }

  TEST_CASE("a JSON key given twice in one object is a reject, at any depth") {
    ImportWorkspace w;
    ImportReport leads =
        w.import(ImportKind::leads, "leads.jsonl",
                 "{\"id\":\"L1\",\"attrs\":{\"employees\":1,\"employees\":2}}\n"
                 "{\"id\":\"L2\",\"attrs\":{\"employees\":1},\"x\":{\"employees\":2}}\n");
    REQUIRE(leads.first_rejects.size() == 1);
    CHECK(leads.first_rejects[0].line == 1);
    CHECK(leads.first_rejects[0].reason == "the key `employees` appears twice in one object");
    CHECK(leads.added == 1);  // equal keys in two different objects are fine

    ImportReport events =
        w.import(ImportKind::events, "events.jsonl",
                 R"({"id":"E1","lead_id":"L2","ts":"2026-03-01","type":"page_view","lead_id":"L9"})"
                 "\n"
                 R"({"id":"E2","lead_id":"L2","ts":"2026-03-02","type":"page_view"})"
                 "\n");
    REQUIRE(events.first_rejects.size() == 1);
    CHECK(events.first_rejects[0].line == 1);
    CHECK(events.first_rejects[0].reason == "the key `lead_id` appears twice in one object");
    CHECK(events.added == 1);
  }

  TEST_CASE("a NUL inside an id is a reject, in JSON and in CSV") {
    ImportWorkspace w;
    ImportReport json = w.import(ImportKind::leads, "leads.jsonl",
                                 "{\"id\":\"L1\\u0000x\",\"attrs\":{}}\n{\"id\":\"L2\"}\n");
    REQUIRE(json.first_rejects.size() == 1);
    CHECK(json.first_rejects[0].line == 1);
    CHECK(json.first_rejects[0].reason == "`id`: the value contains a NUL character");

    ImportReport csv = w.import(ImportKind::leads, "leads.csv", "id,employees\nL3,1\nL4\0x,2\n"s);
    REQUIRE(csv.first_rejects.size() == 1);
    CHECK(csv.first_rejects[0].line == 3);
    CHECK(csv.first_rejects[0].reason == "`id`: the value contains a NUL character");

    ImportReport events = w.import(ImportKind::events, "events.csv",
                                   "id,lead_id,ts,type\nE1,L2,2026-03-01,page_view\n"
                                   "E2,L2\0,2026-03-01,page_view\n"s);
    REQUIRE(events.first_rejects.size() == 1);
    CHECK(events.first_rejects[0].line == 3);
    CHECK(events.first_rejects[0].reason == "`lead_id`: the value contains a NUL character");
    CHECK(w.store->counts().leads == 2);
    CHECK(w.store->counts().events == 1);
  }

  TEST_CASE("a byte-order mark is fine at the start of the file only") {
    ImportWorkspace w;
    ImportReport csv = w.import(ImportKind::leads, "leads.csv",
                                "\xEF\xBB\xBFid,employees\nL1,1\n\xEF\xBB\xBFL2,2\nL3,3\n");
    CHECK(csv.added == 2);
    REQUIRE(csv.first_rejects.size() == 1);
    CHECK(csv.first_rejects[0].line == 3);
    CHECK(csv.first_rejects[0].reason ==
          "column 1: a byte-order mark at the start of the line (only the file's start may have "
          "one)");

    ImportReport json = w.import(ImportKind::leads, "more.jsonl",
                                 "\xEF\xBB\xBF{\"id\":\"L4\"}\n\xEF\xBB\xBF{\"id\":\"L5\"}\n");
    CHECK(json.added == 1);
    REQUIRE(json.first_rejects.size() == 1);
    CHECK(json.first_rejects[0].line == 2);
    CHECK(json.first_rejects[0].reason ==
          "a byte-order mark at the start of the line (only the file's start may have one)");
    CHECK(w.store->counts().leads == 3);
    CHECK_FALSE(w.store->lead("\xEF\xBB\xBFL2"));
  }
}
