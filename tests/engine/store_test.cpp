// The lead store at library level: what an import keeps, rejects and reports, what a fatal
// error leaves behind, and that stored data scores the same as the reference evaluator.
#include "leadscore/store.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "engine/store/migrations.hpp"
#include "engine/store/sqlite.hpp"
#include "leadscore/leadscore.hpp"
#include "leadscore/project.hpp"
#include "tests/support/files.hpp"
#include "tests/support/store_model.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using leadscore::ImportKind;
using leadscore::ImportReport;
using leadscore::Project;
using leadscore::Store;
using leadscore::StoreCounts;
using leadscore::StoreError;
using leadscore::Timestamp;
using leadscore::testing::read_text;
using leadscore::testing::TempDir;

namespace {

// A schema, so that type checks and unknown event types are live; leads carry an optional
// `at` column so attribute versions can be dated.
const std::string schema_project = R"(database: leads.db
models:
  - model.score
schema:
  attributes:
    employees: number
    industry: string
    notes: string
  events:
    page_view: {url: string}
    download: {asset: string}
    webinar: {attended: boolean}
outcomes:
  won: [won]
  lost: [lost]
import:
  leads:
    id: id
    at: at
  events:
    id: id
    lead_id: lead_id
    ts: ts
    type: type
  outcomes:
    lead_id: lead_id
    ts: ts
    result: result
)";

const std::string& model_text = leadscore::testing::store_model_text;

Timestamp at(const char* text) {
  auto t = leadscore::parse_timestamp(text);
  REQUIRE(t);
  return *t;
}

struct Workspace {
  explicit Workspace(const std::string& yaml = schema_project) {
    const fs::path file = dir.write("leadscore.yaml", yaml);
    leadscore::ProjectResult loaded = leadscore::load_project(file);
    for (const auto& d : loaded.diagnostics) MESSAGE(d.message);
    REQUIRE(loaded.project);
    project = std::move(loaded.project);
    store = Store::open(project->database, Store::Mode::read_write);
  }

  ImportReport import(ImportKind kind, const std::string& name, const std::string& text) {
    return store->import_file(kind, dir.write(name, text), *project);
  }

  // Two plain leads most tests hang events on.
  void two_leads() {
    auto r = import(ImportKind::leads, "base_leads.csv",
                    "id,at,employees,industry\nL1,,500,software\nL2,,20,retail\n");
    REQUIRE(r.rejected == 0);
  }

  TempDir dir;
  std::unique_ptr<Project> project;
  std::unique_ptr<Store> store;
};

std::shared_ptr<const leadscore::Model> compile(const std::string& source) {
  auto compiled = leadscore::Model::compile(source, "model.score");
  for (const auto& d : compiled.diagnostics) MESSAGE(d.message);
  REQUIRE(compiled.model);
  return compiled.model;
}

bool same_counts(const StoreCounts& a, const StoreCounts& b) {
  return a.leads == b.leads && a.events == b.events && a.outcomes == b.outcomes &&
         a.scored == b.scored;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const leadscore::Value* attribute(const leadscore::AttributeVersion& v, const std::string& name) {
  for (const auto& [n, value] : v.values) {
    if (n == name) return &value;
  }
  return nullptr;
}

// Scores every lead through the store and returns lead -> (score, band).
std::map<std::string, std::pair<double, std::string>> score_all(
    Store& store, const leadscore::Model& model, Timestamp as_of,
    leadscore::ScoreRunReport* report = nullptr) {
  std::map<std::string, std::pair<double, std::string>> out;
  auto r = store.score(model, "m", as_of, std::nullopt, [&](const leadscore::LeadScoreLine& l) {
    out[std::string(l.lead_id)] = {l.score, std::string(l.band)};
  });
  if (report) *report = r;
  return out;
}

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("a CSV import rejects each bad row with its line and reason and keeps the rest") {
    Workspace w;
    // Leads: a number column holding text, an impossible date, a row without an id.
    const std::string leads =
        "id,at,employees,industry\n"
        "L1,,500,software\n"
        "L2,,abc,retail\n"
        "L3,31/12/2026,20,retail\n"
        ",,30,retail\n"
        "L4,,40,retail\n";
    ImportReport lr = w.import(ImportKind::leads, "leads.csv", leads);
    CHECK(lr.rows == 5);
    CHECK(lr.added == 2);
    CHECK(lr.unchanged == 0);
    CHECK(lr.rejected == 3);
    REQUIRE(lr.first_rejects.size() == 3);
    CHECK(lr.first_rejects[0].line == 3);
    CHECK(lr.first_rejects[0].reason == "`employees`: `abc` is not a number");
    CHECK(lr.first_rejects[1].line == 4);
    CHECK(lr.first_rejects[1].reason == "`at`: `31/12/2026` is not a date or time");
    CHECK(lr.first_rejects[2].line == 5);
    CHECK(lr.first_rejects[2].reason == "no lead id in column `id`");
    CHECK(w.store->counts().leads == 2);

    // Events: the quoted field on line 2 spans two lines, so every later row's line number
    // only comes out right if line breaks inside quotes are counted.
    const std::vector<std::string> event_lines = {
        "id,lead_id,ts,type,url",
        "E1,L1,2026-03-01T10:00:00Z,page_view,\"/pricing,\nsecond line\"",
        "E2,L1,2026-03-02T10:00:00Z,demo_request,/x",
        "E3,L1,yesterday,page_view,/a",
        "E4,L1,2026-03-03T10:00:00Z,page_view",
        "E5,,2026-03-03T10:00:00Z,page_view,/b",
        "E6,L9,2026-03-03T10:00:00Z,page_view,/c",
        "E7,L1,2026-03-04T10:00:00Z,page_view,/caf\xff",
        "E8,L1,2026-03-05T10:00:00Z,page_view,/5\"monitor",
        "E9,L4,2026-03-06T10:00:00Z,webinar,maybe",
        "E10,L4,2026-03-07T10:00:00Z,page_view,/pricing",
    };
    std::string events;
    for (const auto& l : event_lines) events += l + "\n";
    ImportReport er = w.import(ImportKind::events, "events.csv", events);
    CHECK(er.rows == 10);
    // E1, E9 and E10: webinar declares no `url`, so E9's `maybe` is not read at all.
    CHECK(er.added == 3);
    CHECK(er.rejected == 7);
    const std::vector<std::pair<std::size_t, std::string>> expected = {
        {4, "unknown event type `demo_request` (the schema declares download, page_view, webinar)"},
        {5, "`ts`: `yesterday` is not a date or time"},
        {6, "the row has 4 fields, the header has 5"},
        {7, "no lead id in column `lead_id`"},
        {8, "no lead `L9` in the database (import leads first)"},
        {9, "column 5: invalid UTF-8 at byte 5 of the field"},
        {10, "column 5: a quote inside an unquoted field"},
    };
    REQUIRE(er.first_rejects.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      CAPTURE(i);
      CHECK(er.first_rejects[i].line == expected[i].first);
      CHECK(er.first_rejects[i].reason == expected[i].second);
    }

    // The rejects file holds the header and the rejected rows byte for byte (CRLF-terminated,
    // as RFC 4180 writes them); the log holds FILE:LINE: reason.
    const fs::path input = w.dir.path / "events.csv";
    // Both go to `rejects/` beside the database, named after the input and the kind.
    CHECK(er.rejects_file.parent_path() == w.dir.path / "rejects");
    CHECK(er.rejects_file.filename().string().starts_with("events.events."));
    CHECK(er.rejects_file.filename().string().ends_with(".rejected.csv"));
    CHECK(er.reasons_file.filename().string().ends_with(".reasons.log"));
    std::string rejected_rows = event_lines[0] + "\r\n";
    for (std::size_t i = 3; i <= 9; ++i) rejected_rows += event_lines[i - 1] + "\r\n";
    CHECK(read_text(er.rejects_file) == rejected_rows);
    std::string log;
    for (const auto& [line, reason] : expected) {
      log += input.string() + ":" + std::to_string(line) + ": " + reason + "\n";
    }
    CHECK(read_text(er.reasons_file) == log);

    // The multi-line quoted field arrived whole.
    auto l1 = w.store->lead("L1");
    REQUIRE(l1);
    REQUIRE(l1->events.size() == 1);
    REQUIRE(l1->events[0].properties.size() == 1);
    CHECK(l1->events[0].properties[0].second.as_string() == "/pricing,\nsecond line");

    // Outcomes: one for a lead that does not exist, one without a time.
    ImportReport outr = w.import(ImportKind::outcomes, "outcomes.csv",
                                 "lead_id,ts,result\nL1,2026-04-01,won\nL9,2026-04-01,lost\n"
                                 "L4,,won\n");
    CHECK(outr.rows == 3);
    CHECK(outr.added == 1);
    CHECK(outr.rejected == 2);
    REQUIRE(outr.first_rejects.size() == 2);
    CHECK(outr.first_rejects[0].line == 3);
    CHECK(outr.first_rejects[0].reason == "no lead `L9` in the database (import leads first)");
    CHECK(outr.first_rejects[1].line == 4);
    CHECK(outr.first_rejects[1].reason == "no time in column `ts`");
    CHECK(read_text(outr.rejects_file) == "lead_id,ts,result\r\nL9,2026-04-01,lost\r\nL4,,won\r\n");

    StoreCounts c = w.store->counts();
    CHECK(c.leads == 2);
    CHECK(c.events == 3);
    CHECK(c.outcomes == 1);
  }

  TEST_CASE("a wrong boolean under the schema is rejected with the property's name") {
    Workspace w;
    w.two_leads();
    ImportReport r = w.import(ImportKind::events, "webinars.csv",
                              "id,lead_id,ts,type,attended\n"
                              "W1,L1,2026-03-01,webinar,yes\n"
                              "W2,L1,2026-03-02,webinar,maybe\n");
    CHECK(r.added == 1);
    REQUIRE(r.first_rejects.size() == 1);
    CHECK(r.first_rejects[0].line == 3);
    CHECK(r.first_rejects[0].reason == "`attended`: `maybe` is not a boolean (true/false, yes/no)");
  }

  TEST_CASE("a JSON Lines import rejects invalid UTF-8, malformed JSON and non-objects") {
    Workspace w;
    w.two_leads();
    const std::vector<std::string> lines = {
        R"({"id":"J1","lead_id":"L1","ts":"2026-03-01T10:00:00Z","type":"page_view","url":"/a"})",
        "",
        "{\"id\":\"J2\",\"lead_id\":\"L1\",\"ts\":\"2026-03-01T11:00:00Z\",\"type\":\"page_view\","
        "\"url\":\"/caf\xc3\"}",
        R"({"id":"J3","lead_id":"L1","ts":)",
        "[1,2]",
        R"({"id":"J4","lead_id":"L2","ts":"2026-03-02","type":"download","asset":"guide.pdf"})",
    };
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    ImportReport r = w.import(ImportKind::events, "events.jsonl", text);
    CHECK(r.rows == 5);  // the blank line is no row
    CHECK(r.added == 2);
    CHECK(r.rejected == 3);
    REQUIRE(r.first_rejects.size() == 3);
    CHECK(r.first_rejects[0].line == 3);
    CHECK(r.first_rejects[0].reason.starts_with("invalid UTF-8 at byte "));
    CHECK(r.first_rejects[1].line == 4);
    CHECK(r.first_rejects[1].reason.starts_with("not valid JSON at byte "));
    CHECK(r.first_rejects[2].line == 5);
    CHECK(r.first_rejects[2].reason == "each line must be one JSON object");
    CHECK(r.rejects_file.extension() == ".jsonl");
    CHECK(read_text(r.rejects_file) == lines[2] + "\n" + lines[3] + "\n" + lines[4] + "\n");
    auto log = lines_of(read_text(r.reasons_file));
    REQUIRE(log.size() == 3);
    const std::string input = (w.dir.path / "events.jsonl").string();
    CHECK(log[0].starts_with(input + ":3: invalid UTF-8"));
    CHECK(log[1].starts_with(input + ":4: not valid JSON"));
    CHECK(log[2] == input + ":5: each line must be one JSON object");
  }

  TEST_CASE("a clean re-import writes no rejects files and keeps the earlier ones") {
    Workspace w;
    w.two_leads();
    ImportReport bad = w.import(ImportKind::events, "events.csv",
                                "id,lead_id,ts,type,url\nE1,L1,2026-03-01,page_view,/a\n"
                                "E2,L1,never,page_view,/b\n");
    CHECK(bad.rejected == 1);
    CHECK(fs::exists(bad.rejects_file));
    CHECK(fs::exists(bad.reasons_file));

    ImportReport fixed = w.import(ImportKind::events, "events.csv",
                                  "id,lead_id,ts,type,url\nE1,L1,2026-03-01,page_view,/a\n"
                                  "E2,L1,2026-03-02,page_view,/b\n");
    CHECK(fixed.rejected == 0);
    CHECK(fixed.added == 1);
    CHECK(fixed.unchanged == 1);
    CHECK(fixed.rejects_file.empty());
    CHECK(fixed.reasons_file.empty());
    // Each import's rejects are its own record: a later import does not remove them.
    CHECK(fs::exists(bad.rejects_file));
    CHECK(fs::exists(bad.reasons_file));
  }

  TEST_CASE("CSV: byte-order mark, CRLF, quoted commas, quotes and line breaks") {
    Workspace w;
    // The BOM sits in front of `id`: if it were kept, the id column would not be found.
    const std::string leads =
        "\xEF\xBB\xBFid,at,employees,industry,notes\r\n"
        "L1,,500,\"software, cloud\",\"said \"\"call me\"\"\r\nnext week\"\r\n"
        "L2,2026-01-05 09:30,20,retail,\r\n";
    ImportReport r = w.import(ImportKind::leads, "leads.csv", leads);
    CHECK(r.rows == 2);
    CHECK(r.added == 2);
    CHECK(r.rejected == 0);

    auto l1 = w.store->lead("L1");
    REQUIRE(l1);
    REQUIRE(l1->lead.versions.size() == 1);
    CHECK_FALSE(l1->lead.versions[0].valid_from);
    const auto* industry = attribute(l1->lead.versions[0], "industry");
    REQUIRE(industry);
    CHECK(industry->as_string() == "software, cloud");
    const auto* notes = attribute(l1->lead.versions[0], "notes");
    REQUIRE(notes);
    CHECK(notes->as_string() == "said \"call me\"\r\nnext week");
    const auto* employees = attribute(l1->lead.versions[0], "employees");
    REQUIRE(employees);
    CHECK(employees->kind() == leadscore::Value::Kind::number);
    CHECK(employees->as_number() == 500);

    // `YYYY-MM-DD HH:MM` as CRM exports write it is read as UTC.
    auto l2 = w.store->lead("L2");
    REQUIRE(l2);
    REQUIRE(l2->lead.versions.size() == 1);
    CHECK(l2->lead.versions[0].valid_from == at("2026-01-05T09:30:00Z"));
    CHECK(attribute(l2->lead.versions[0], "notes") == nullptr);  // blank: not stored
  }

  TEST_CASE("JSON Lines: dated attribute versions, events with and without id, outcomes") {
    Workspace w;
    ImportReport lr = w.import(
        ImportKind::leads, "leads.jsonl",
        "\xEF\xBB\xBF"
        R"({"id":"L1","at":"2026-01-01T00:00:00Z","attrs":{"employees":50,"industry":"software"}})"
        "\r\n"
        R"({"id":"L1","at":"2026-03-01T00:00:00Z","attrs":{"employees":500,"industry":"software"}})"
        "\n"
        R"({"id":"L2","attrs":{"employees":20}})"
        "\n");
    CHECK(lr.rows == 3);
    CHECK(lr.added == 3);
    CHECK(lr.rejected == 0);

    auto l1 = w.store->lead("L1");
    REQUIRE(l1);
    REQUIRE(l1->lead.versions.size() == 2);
    CHECK(l1->lead.versions[0].valid_from == at("2026-01-01"));
    CHECK(l1->lead.versions[1].valid_from == at("2026-03-01"));

    ImportReport er = w.import(
        ImportKind::events, "events.jsonl",
        R"({"id":"E1","lead_id":"L1","ts":"2026-02-01T10:00:00Z","type":"download","asset":"a.pdf"})"
        "\n"
        R"({"lead_id":"L1","ts":"2026-02-02T10:00:00Z","type":"page_view","url":"/pricing"})"
        "\n"
        R"({"id":7,"lead_id":"L2","ts":"2026-02-03","type":"page_view","url":"/home"})"
        "\n");
    CHECK(er.added == 3);
    CHECK(er.rejected == 0);
    l1 = w.store->lead("L1");
    REQUIRE(l1);
    REQUIRE(l1->events.size() == 2);
    CHECK(l1->events[0].type == "download");
    CHECK(l1->event_ids == std::vector<std::string>{"E1", ""});  // "" = keyed by content
    auto l2 = w.store->lead("L2");
    REQUIRE(l2);
    CHECK(l2->event_ids == std::vector<std::string>{"7"});

    ImportReport outr = w.import(ImportKind::outcomes, "outcomes.jsonl",
                                 R"({"lead_id":"L1","ts":"2026-04-01","result":"won"})"
                                 "\n"
                                 R"({"lead_id":"L2","result":"open"})"
                                 "\n");
    CHECK(outr.added == 2);
    l2 = w.store->lead("L2");
    REQUIRE(l2);
    REQUIRE(l2->outcomes.size() == 1);
    CHECK_FALSE(l2->outcomes[0].has_time);  // JSON may leave the time out
    CHECK(l2->outcomes[0].result == "open");

    // The version in force decides `big`: 50 employees before March, 500 after.
    auto model = compile(
        "model \"v\"\nband hot >= 10\nband cold\n"
        "fit profile {\n  big: +10 when employees >= 100\n}\n");
    auto before = score_all(*w.store, *model, at("2026-02-15"));
    auto after = score_all(*w.store, *model, at("2026-03-15"));
    CHECK(before["L1"].first == 0);
    CHECK(before["L1"].second == "cold");
    CHECK(after["L1"].first == 10);
    CHECK(after["L1"].second == "hot");
    // Exactly at the start of the second version it already holds.
    CHECK(score_all(*w.store, *model, at("2026-03-01"))["L1"].first == 10);
  }

  TEST_CASE("importing the same file twice changes nothing the second time") {
    Workspace w;
    w.two_leads();

    SUBCASE("events with ids") {
      const std::string events =
          "id,lead_id,ts,type,url\nE1,L1,2026-03-01,page_view,/a\n"
          "E2,L1,2026-03-02,page_view,/b\nE3,L2,2026-03-03,download,\n";
      ImportReport first = w.import(ImportKind::events, "events.csv", events);
      CHECK(first.added == 3);
      StoreCounts before = w.store->counts();
      ImportReport second = w.import(ImportKind::events, "events.csv", events);
      CHECK(second.rows == 3);
      CHECK(second.added == 0);
      CHECK(second.unchanged == 3);
      CHECK(same_counts(w.store->counts(), before));
    }
    SUBCASE("events without ids are keyed by their content") {
      const std::string events =
          R"({"lead_id":"L1","ts":"2026-03-01","type":"page_view","url":"/a"})"
          "\n"
          R"({"lead_id":"L1","ts":"2026-03-01","type":"page_view","url":"/b"})"
          "\n"
          R"({"lead_id":"L2","ts":"2026-03-01","type":"page_view","url":"/a"})"
          "\n";
      ImportReport first = w.import(ImportKind::events, "events.jsonl", events);
      CHECK(first.added == 3);  // they differ in one field each, so three keys
      StoreCounts before = w.store->counts();
      ImportReport second = w.import(ImportKind::events, "events.jsonl", events);
      CHECK(second.added == 0);
      CHECK(second.unchanged == 3);
      CHECK(same_counts(w.store->counts(), before));
    }
    SUBCASE("leads and outcomes") {
      const std::string leads = "id,at,employees,industry\nL3,2026-01-01,5,x\nL3,2026-02-01,6,x\n";
      CHECK(w.import(ImportKind::leads, "more.csv", leads).added == 2);
      const std::string outcomes = "lead_id,ts,result\nL3,2026-04-01,won\n";
      CHECK(w.import(ImportKind::outcomes, "outcomes.csv", outcomes).added == 1);
      StoreCounts before = w.store->counts();
      ImportReport again = w.import(ImportKind::leads, "more.csv", leads);
      CHECK(again.added == 0);
      CHECK(again.unchanged == 2);
      ImportReport again_outcomes = w.import(ImportKind::outcomes, "outcomes.csv", outcomes);
      CHECK(again_outcomes.added == 0);
      CHECK(again_outcomes.unchanged == 1);
      CHECK(same_counts(w.store->counts(), before));
      auto l3 = w.store->lead("L3");
      REQUIRE(l3);
      CHECK(l3->lead.versions.size() == 2);
    }
  }

  TEST_CASE("a fatal CSV error leaves the database as it was and no rejects files") {
    Workspace w;
    w.two_leads();
    StoreCounts before = w.store->counts();
    // A rejected row first, so the rejects files exist when the fatal error comes.
    const std::string events =
        "id,lead_id,ts,type,url\n"
        "E1,L1,2026-03-01,page_view,/a\n"
        "E2,L1,2026-03-02,page_view\n"
        "E3,L1,2026-03-03,page_view,\"/never closed\n"
        "E4,L1,2026-03-04,page_view,/d\n";
    const fs::path file = w.dir.write("events.csv", events);
    try {
      w.store->import_file(ImportKind::events, file, *w.project);
      FAIL("the import should have failed");
    } catch (const StoreError& e) {
      const std::string message = e.what();
      CHECK(message.find(file.string() + ":4: ") == 0);
      CHECK(message.find("never closed") != std::string::npos);
      CHECK(message.find("nothing from this file was imported") != std::string::npos);
    }
    CHECK(same_counts(w.store->counts(), before));
    const bool rejects_left =
        fs::exists(w.dir.path / "rejects") && !fs::is_empty(w.dir.path / "rejects");
    CHECK_FALSE(rejects_left);
    // That the same Store goes on importing is the next case.
  }

  // Store::Impl caches name and event-type ids. A failed import rolls its new names back in
  // SQLite, so the cache must forget them too; otherwise the next import writes ids that no
  // longer exist (a foreign key error) or that another name has taken (values stored under
  // the wrong event type and property name).
  TEST_CASE("after a rolled-back import, a type first seen in it imports") {
    Workspace w;
    w.two_leads();
    // `download` is interned inside the transaction the unterminated quote rolls back.
    const fs::path bad = w.dir.write("bad.csv",
                                     "id,lead_id,ts,type,asset\nE1,L1,2026-03-01,download,a\n"
                                     "E2,L1,2026-03-02,download,\"b\n");
    CHECK_THROWS_AS(w.store->import_file(ImportKind::events, bad, *w.project), StoreError);
    ImportReport ok;
    CHECK_NOTHROW(ok = w.import(ImportKind::events, "good.csv",
                                "id,lead_id,ts,type,asset\nE1,L1,2026-03-01,download,a\n"));
    CHECK(ok.added == 1);
    auto l1 = w.store->lead("L1");
    REQUIRE(l1);
    REQUIRE(l1->events.size() == 1);
    CHECK(l1->events[0].type == "download");
  }

  // The same cache, where no foreign key would catch the mistake.
  TEST_CASE("after a rolled-back import, new names do not take over old ids") {
    Workspace w;
    w.two_leads();
    const fs::path bad = w.dir.write("bad.csv",
                                     "id,lead_id,ts,type,attended\nW1,L1,2026-03-01,webinar,yes\n"
                                     "W2,L1,2026-03-02,webinar,\"yes\n");
    CHECK_THROWS_AS(w.store->import_file(ImportKind::events, bad, *w.project), StoreError);
    // `download` and `asset` are new here and get the ids `webinar` and `attended` had.
    ImportReport ok = w.import(ImportKind::events, "good.csv",
                               "id,lead_id,ts,type,asset,attended\n"
                               "D1,L1,2026-03-03,download,a.pdf,\n"
                               "W1,L1,2026-03-04,webinar,,yes\n");
    CHECK(ok.added == 2);
    auto l1 = w.store->lead("L1");
    REQUIRE(l1);
    REQUIRE(l1->events.size() == 2);
    CHECK(l1->events[0].type == "download");
    CHECK(l1->events[1].type == "webinar");
    REQUIRE(l1->events[1].properties.size() == 1);
    CHECK(l1->events[1].properties[0].first == "attended");
  }

  TEST_CASE("a mapped column missing from the header is a fatal error naming it") {
    Workspace w;
    w.two_leads();
    StoreCounts before = w.store->counts();
    const fs::path file =
        w.dir.write("events.csv", "id,lead_id,time,type\nE1,L1,2026-03-01,page_view\n");
    try {
      w.store->import_file(ImportKind::events, file, *w.project);
      FAIL("the import should have failed");
    } catch (const StoreError& e) {
      const std::string message = e.what();
      CHECK(message.find(file.string() + ":1: no column `ts` for the event time") == 0);
      CHECK(message.find("import.events") != std::string::npos);
    }
    CHECK(same_counts(w.store->counts(), before));
  }

  TEST_CASE("a 100 MB quoted CSV field imports whole") {
    Workspace w;
    // 1,000,000 blocks of 100 bytes, each with a comma, a quote and a line break inside, so
    // the reader's fast paths and its escape handling both run over the whole field.
    constexpr std::size_t blocks = 1'000'000;
    std::string block(97, 'x');
    block += ",\"\n";
    std::string expected;
    expected.reserve(block.size() * blocks);
    const fs::path file = w.dir.path / "big.csv";
    {
      std::string escaped(97, 'x');
      escaped += ",\"\"\n";
      std::ofstream out(file, std::ios::binary);
      out << "id,at,notes\nBIG,,\"";
      for (std::size_t i = 0; i < blocks; ++i) {
        out << escaped;
        expected += block;
      }
      out << "\"\nAFTER,,short\nRAGGED,,a,b\n";
      REQUIRE(out.good());
    }
    ImportReport r = w.store->import_file(ImportKind::leads, file, *w.project);
    CHECK(r.rows == 3);
    CHECK(r.added == 2);
    REQUIRE(r.first_rejects.size() == 1);
    // The big record starts on line 2 and holds a million line breaks, which puts AFTER on
    // line blocks + 3 and RAGGED on blocks + 4.
    CHECK(r.first_rejects[0].line == 2 + blocks + 2);
    {
      auto big = w.store->lead("BIG");
      REQUIRE(big);
      REQUIRE(big->lead.versions.size() == 1);
      const auto* notes = attribute(big->lead.versions[0], "notes");
      REQUIRE(notes);
      CHECK(notes->as_string().size() == expected.size());
      CHECK(notes->as_string() == expected);
    }
    CHECK(w.store->lead("AFTER"));
    fs::remove(file);
    fs::remove(r.rejects_file);
  }

  TEST_CASE("the stored scoring pass agrees with the reference evaluator") {
    Workspace w;
    w.import(ImportKind::leads, "leads.csv",
             "id,at,employees,industry\n"
             "L1,,500,software\n"
             "L2,2026-01-01,20,retail\n"
             "L2,2026-02-15,200,software\n"
             "L3,,,\n"
             "L4,2026-05-01,1000,software\n");
    w.import(ImportKind::events, "events.csv",
             "id,lead_id,ts,type,url,asset,attended\n"
             "E1,L1,2026-01-10T08:00:00Z,page_view,/pricing,,\n"
             "E2,L1,2026-01-20T08:00:00Z,page_view,/pricing/team,,\n"
             "E3,L1,2026-02-01T08:00:00Z,page_view,/blog,,\n"
             "E4,L1,2026-02-10T08:00:00Z,download,,a.pdf,\n"
             "E5,L2,2026-01-05T08:00:00Z,webinar,,,yes\n"
             "E6,L2,2026-03-05T08:00:00Z,webinar,,,no\n"
             "E7,L2,2026-03-06T08:00:00Z,page_view,/pricing,,\n"
             "E8,L3,2026-02-01T00:00:00Z,download,,b.pdf,\n"
             "E9,L3,2026-02-01T00:00:00Z,download,,c.pdf,\n"
             "E10,L4,2026-06-01T00:00:00Z,page_view,/pricing,,\n");
    REQUIRE(w.store->counts().events == 10);
    auto model = compile(model_text);
    for (const char* when : {"2026-01-01", "2026-01-15T12:00:00Z", "2026-02-20",
                             "2026-03-06T08:00:00Z", "2026-05-01", "2027-01-01"}) {
      CAPTURE(when);
      const Timestamp as_of = at(when);
      auto stored = score_all(*w.store, *model, as_of);
      REQUIRE(stored.size() == 4);
      for (const auto& [id, scored] : stored) {
        CAPTURE(id);
        auto history = w.store->lead(id);
        REQUIRE(history);
        leadscore::Score reference = model->evaluate(history->lead, history->events, as_of);
        CHECK(scored.first == doctest::Approx(reference.score));
        CHECK(scored.second == reference.band);
      }
    }
  }

  TEST_CASE("score records band changes against the previous run, new leads as new") {
    Workspace w;
    w.two_leads();
    auto model = compile(model_text);
    const Timestamp as_of = at("2026-06-01");

    leadscore::ScoreRunReport first;
    auto scores = score_all(*w.store, *model, as_of, &first);
    CHECK(first.leads == 2);
    CHECK(first.band_changes == 0);        // the first run only sets the baseline
    CHECK(scores["L1"].second == "warm");  // 500 employees in software: 10 + 3
    CHECK(scores["L2"].second == "cold");
    CHECK(w.store->changes(std::nullopt, std::nullopt, std::nullopt).empty());
    CHECK(w.store->counts().scored == 2);

    // L2 (cold, 0 points) gets two downloads on the as-of day: 16 points, warm.
    w.import(
        ImportKind::events, "events.csv",
        "id,lead_id,ts,type,asset\nD1,L2,2026-06-01,download,a\nD2,L2,2026-06-01,download,b\n");
    leadscore::ScoreRunReport second;
    scores = score_all(*w.store, *model, as_of, &second);
    CHECK(second.band_changes == 1);
    CHECK(scores["L2"].second == "warm");
    auto changes = w.store->changes(std::nullopt, std::nullopt, std::nullopt);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].lead_id == "L2");
    CHECK(changes[0].model == "m");
    CHECK(changes[0].old_band == "cold");
    CHECK(changes[0].new_band == "warm");
    CHECK(changes[0].old_score == 0);
    CHECK(changes[0].new_score == 16);
    CHECK(changes[0].as_of == as_of);

    // Scoring again with nothing new records nothing.
    leadscore::ScoreRunReport same;
    score_all(*w.store, *model, as_of, &same);
    CHECK(same.band_changes == 0);

    // A lead imported after the first run is a change from no band.
    w.import(ImportKind::leads, "late.csv", "id,at,employees,industry\nL5,,900,software\n");
    leadscore::ScoreRunReport third;
    score_all(*w.store, *model, at("2026-06-02"), &third);
    CHECK(third.band_changes == 1);
    changes = w.store->changes(std::nullopt, std::nullopt, std::nullopt);
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].lead_id == "L5");  // newest first
    CHECK(changes[0].old_band.empty());
    CHECK(changes[1].lead_id == "L2");

    auto warm = w.store->changes(std::nullopt, std::string("warm"), std::nullopt);
    REQUIRE(warm.size() == 2);
    for (const auto& c : warm) CHECK(c.new_band == "warm");
    CHECK(w.store->changes(std::nullopt, std::string("hot"), std::nullopt).empty());
    CHECK(w.store->changes(at("2026-06-02"), std::nullopt, std::nullopt).size() == 1);
    CHECK(w.store->changes(std::nullopt, std::nullopt, std::string("other")).empty());
  }

  TEST_CASE("a version 1 database with data is migrated and keeps its data") {
    TempDir dir;
    const fs::path db = dir.path / "old.db";
    {
      leadscore::store::Database raw(db.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      raw.exec(leadscore::store::migration_step(0));
      raw.exec("PRAGMA user_version = 1");
      raw.exec("INSERT INTO leads(key) VALUES ('L1')");
      raw.exec(
          "INSERT INTO score_runs(model, fingerprint, as_of, recorded_at, leads) "
          "VALUES ('m', 'f', 0, 0, 1)");
    }
    auto store = Store::open(db, Store::Mode::read_write);
    CHECK(store->schema_version() == leadscore::store::latest_version());
    CHECK(store->schema_version() >= 2);
    CHECK(store->counts().leads == 1);
    leadscore::store::Database raw(db.string(), SQLITE_OPEN_READONLY);
    leadscore::store::Statement run = raw.prepare("SELECT model, one_lead FROM score_runs");
    REQUIRE(run.step());
    CHECK(run.text(0) == "m");
    CHECK(run.is_null(1));  // a run from before the column existed was a full run
  }

  TEST_CASE("a database from a newer leadscore is refused and left alone") {
    TempDir dir;
    const fs::path db = dir.path / "leads.db";
    { Store::open(db, Store::Mode::read_write); }
    const int newer = Store::open(db, Store::Mode::read_only)->schema_version() + 5;
    {
      leadscore::store::Database raw(db.string(), SQLITE_OPEN_READWRITE);
      raw.exec(("PRAGMA user_version = " + std::to_string(newer)).c_str());
    }
    try {
      Store::open(db, Store::Mode::read_write);
      FAIL("opening should have failed");
    } catch (const StoreError& e) {
      const std::string message = e.what();
      CHECK(message.find(db.string()) == 0);
      CHECK(message.find("layout version " + std::to_string(newer)) != std::string::npos);
      CHECK(message.find("newer than this leadscore knows") != std::string::npos);
    }
    leadscore::store::Database raw(db.string(), SQLITE_OPEN_READONLY);
    leadscore::store::Statement version = raw.prepare("PRAGMA user_version");
    REQUIRE(version.step());
    CHECK(version.integer(0) == newer);
  }

  // engine/store/SCHEMA.md promises that a newer file is "refused, never touched": no
  // `PRAGMA journal_mode = WAL` (which rewrites the header) may run before the version check.
  TEST_CASE("refusing a newer database leaves its file byte for byte as it was") {
    TempDir dir;
    const fs::path db = dir.path / "newer.db";
    {
      leadscore::store::Database raw(db.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      raw.exec("CREATE TABLE future (x); PRAGMA user_version = 99");
    }
    const std::string before = read_text(db);
    CHECK_THROWS_AS(Store::open(db, Store::Mode::read_write), StoreError);
    CHECK(read_text(db) == before);
    leadscore::store::Database raw(db.string(), SQLITE_OPEN_READONLY);
    leadscore::store::Statement mode = raw.prepare("PRAGMA journal_mode");
    REQUIRE(mode.step());
    CHECK(mode.text(0) == "delete");
  }

  // A newer layout gets the same advice in both modes: "run an import to migrate it" would
  // send the user to a command that fails the same way.
  TEST_CASE("read-only opening of a newer database says it is newer") {
    TempDir dir;
    const fs::path db = dir.path / "leads.db";
    { Store::open(db, Store::Mode::read_write); }
    {
      leadscore::store::Database raw(db.string(), SQLITE_OPEN_READWRITE);
      raw.exec("PRAGMA user_version = 99");
    }
    try {
      Store::open(db, Store::Mode::read_only);
      FAIL("opening should have failed");
    } catch (const StoreError& e) {
      const std::string message = e.what();
      CHECK(message.find("newer") != std::string::npos);
      CHECK(message.find("migrate") == std::string::npos);
    }
  }

  TEST_CASE("read-only opening never creates a database, and refuses imports") {
    TempDir dir;
    const fs::path db = dir.path / "missing.db";
    try {
      Store::open(db, Store::Mode::read_only);
      FAIL("opening should have failed");
    } catch (const StoreError& e) {
      CHECK(std::string(e.what()).find("no database here yet") != std::string::npos);
    }
    CHECK_FALSE(fs::exists(db));

    { Store::open(db, Store::Mode::read_write); }
    auto store = Store::open(db, Store::Mode::read_only);
    const fs::path file = dir.write("leads.csv", "id\nL1\n");
    Project project;
    CHECK_THROWS_WITH_AS(store->import_file(ImportKind::leads, file, project),
                         "the store is open read-only", StoreError);
    CHECK(store->counts().leads == 0);
  }
}
