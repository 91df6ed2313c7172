// How imported events are keyed: identical id-less rows of one file are distinct events, a
// repeated or overlapping import adds nothing, and one id claimed by two leads is a reject.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/store/sqlite.hpp"
#include "tests/support/import_workspace.hpp"

using leadscore::ImportKind;
using leadscore::ImportReport;
using leadscore::testing::ImportWorkspace;

namespace {

// The sizes of the stored source keys, smallest first: `h` + 16 digest bytes for a first
// occurrence, plus `#N` for later ones.
std::vector<std::size_t> key_sizes(const ImportWorkspace& w) {
  leadscore::store::Database db(w.project->database.string(), SQLITE_OPEN_READONLY);
  leadscore::store::Statement keys = db.prepare("SELECT length(source_key) FROM events");
  std::vector<std::size_t> sizes;
  while (keys.step()) sizes.push_back(std::size_t(keys.integer(0)));
  std::sort(sizes.begin(), sizes.end());
  return sizes;
}

}  // namespace

TEST_SUITE("import_event_keys") {
  TEST_CASE("identical id-less rows of one file are distinct events; a re-import adds none") {
    // Counted in memory (the default), on disk only (0), and spilling after one content (1).
    for (std::size_t in_memory : {std::size_t(1) << 20, std::size_t(0), std::size_t(1)}) {
      CAPTURE(in_memory);
      ImportWorkspace w;
      w.two_leads();
      leadscore::ImportOptions options;
      options.occurrences_in_memory = in_memory;
      auto import = [&](const std::string& name, const std::string& text) {
        return w.store->import_file(ImportKind::events, w.dir.write(name, text), *w.project, {},
                                    options);
      };
      // A date-only export without event ids: the same lead, day and type three times.
      const std::string three =
          "id,lead_id,ts,type\n,L1,2026-03-01,page_view\n"
          ",L1,2026-03-01,page_view\n,L1,2026-03-01,page_view\n";
      ImportReport first = import("day.csv", three);
      CHECK(first.added == 3);
      CHECK(first.unchanged == 0);
      CHECK(w.store->counts().events == 3);

      ImportReport again = import("day.csv", three);
      CHECK(again.added == 0);
      CHECK(again.unchanged == 3);

      // A later export overlapping the first: the same three rows among new ones, and one
      // more event that day.
      ImportReport later =
          import("later.csv",
                 "id,lead_id,ts,type\n,L1,2026-03-01,page_view\n,L2,2026-03-01,page_view\n"
                 ",L1,2026-03-01,page_view\n,L1,2026-03-01,page_view\n,L1,2026-03-01,page_view\n");
      CHECK(later.added == 2);  // L2's, and L1's fourth of the day
      CHECK(later.unchanged == 3);
      CHECK(w.store->counts().events == 5);
    }
  }

  TEST_CASE("the first of identical rows keeps the key earlier versions wrote") {
    ImportWorkspace w;
    w.two_leads();
    REQUIRE(
        w.import(ImportKind::events, "one.csv", "id,lead_id,ts,type\n,L1,2026-03-01,page_view\n")
            .added == 1);
    // What an older leadscore stored for that row (one digest, no occurrence) is what the
    // first of the three identical rows maps to: the two others are the only new events.
    ImportReport three = w.import(ImportKind::events, "three.csv",
                                  "id,lead_id,ts,type\n,L1,2026-03-01,page_view\n"
                                  ",L1,2026-03-01,page_view\n,L1,2026-03-01,page_view\n");
    CHECK(three.added == 2);
    CHECK(three.unchanged == 1);
    CHECK(key_sizes(w) == std::vector<std::size_t>{17, 19, 19});
  }

  TEST_CASE("an event id used by another lead's event is a reject naming both places") {
    ImportWorkspace w;
    w.two_leads();
    const auto file = w.dir.write("events.csv",
                                  "id,lead_id,ts,type\nE1,L1,2026-03-01,page_view\n"
                                  "E1,L2,2026-03-02,page_view\nE1,L1,2026-03-01,page_view\n");
    ImportReport r = w.store->import_file(ImportKind::events, file, *w.project);
    CHECK(r.added == 1);
    CHECK(r.unchanged == 1);  // line 4: the same event as line 2, of the same lead
    REQUIRE(r.first_rejects.size() == 1);
    CHECK(r.first_rejects[0].line == 3);
    CHECK(r.first_rejects[0].reason ==
          "the event id `E1` is already used by lead `L1`'s event at " +
              leadscore::format_timestamp(*leadscore::parse_timestamp("2026-03-01")) + " (" +
              file.string() + ":2)");

    ImportReport next = w.import(ImportKind::events, "next.csv",
                                 "id,lead_id,ts,type\nE1,L2,2026-03-05,page_view\n");
    REQUIRE(next.first_rejects.size() == 1);
    CHECK(next.first_rejects[0].reason.ends_with("(an earlier import)"));
    CHECK(w.store->counts().events == 1);
  }
}
