// Where `leadscore import` puts its rejects, through the built command line: files of their
// own (never the input's neighbour that a `.log` input or a planted link could turn into
// something else), and a rejects file that cannot be written means nothing was imported.
#include <doctest/doctest.h>

#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "leadscore/store.hpp"
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

#ifdef LEADSCORE_CLI

namespace fs = std::filesystem;
using leadscore::testing::read_text;
using leadscore::testing::TempDir;

namespace {

const std::string project_yaml = R"(database: leads.db
models:
  - model.score
schema:
  attributes:
    employees: number
  events:
    page_view: {url: string}
import:
  leads:
    id: id
  events:
    id: id
    lead_id: lead_id
    ts: ts
    type: type
)";

// One good event and one of an unknown type (line 3).
const std::string header = "id,lead_id,ts,type,url";
const std::string bad_row = "E2,L1,2026-03-02,demo,/b";
const std::string events_csv = header + "\nE1,L1,2026-03-01,page_view,/a\n" + bad_row + "\n";
const std::string reason = "unknown event type `demo` (the schema declares page_view)";

struct Run {
  int status = -1;
  std::string out, err;
};

struct Project {
  Project() {
    dir.write("leadscore.yaml", project_yaml);
    dir.write("leads.csv", "id,employees\nL1,5\n");
    REQUIRE(run("import leads leads.csv").status == 0);
  }

  // `prefix` runs in the shell before the command (limits, traps).
  Run run(const std::string& arguments, const std::string& prefix = "") const {
    const fs::path err = dir.path / "stderr.txt";
    auto result = leadscore::testing::run_command("cd '" + dir.path.string() + "' && " + prefix +
                                                  "'" + LEADSCORE_CLI + "' " + arguments + " 2>'" +
                                                  err.string() + "'");
    return {result.exit_code, result.output, read_text(err)};
  }

  std::uint64_t events() const {
    return leadscore::Store::open(dir.path / "leads.db", leadscore::Store::Mode::read_only)
        ->counts()
        .events;
  }

  // The regular files under the folder (links not followed) whose content is `text`.
  std::vector<fs::path> files_holding(const std::string& text) const {
    std::vector<fs::path> found;
    for (const auto& entry : fs::recursive_directory_iterator(dir.path)) {
      if (entry.is_regular_file() && !entry.is_symlink() && read_text(entry.path()) == text) {
        found.push_back(entry.path());
      }
    }
    return found;
  }

  TempDir dir;
};

// "(rows in PATH, reasons in PATH)" from the import's summary line.
std::pair<fs::path, fs::path> reported(const std::string& out) {
  const auto rows = out.find("(rows in "), reasons = out.find(", reasons in ");
  const auto end = out.find(")\n", reasons);
  if (rows == std::string::npos || reasons == std::string::npos || end == std::string::npos) {
    return {};
  }
  return {out.substr(rows + 9, reasons - rows - 9), out.substr(reasons + 13, end - reasons - 13)};
}

// The names an import in the next seconds would give its rejects, for planting links there.
std::vector<std::string> likely_names(const std::string& base) {
  std::vector<std::string> names;
  for (int ahead = -2; ahead <= 20; ++ahead) {
    std::time_t t = std::time(nullptr) + ahead;
    std::tm parts{};
    gmtime_r(&t, &parts);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &parts);
    names.push_back(base + "." + stamp + ".rejected.csv");
    names.push_back(base + "." + stamp + ".reasons.log");
  }
  return names;
}

}  // namespace

TEST_SUITE("import_rejects_cli") {
  TEST_CASE("an input named *.log keeps both its rejected rows and their reasons") {
    Project p;
    p.dir.write("events.log", events_csv);
    Run r = p.run("import events events.log");
    CHECK(r.status == 1);
    CHECK(p.files_holding(header + "\r\n" + bad_row + "\r\n").size() == 1);
    CHECK(p.files_holding("events.log:3: " + reason + "\n").size() == 1);
  }

  TEST_CASE("rejects never follow a planted symbolic link") {
    Project p;
    const fs::path victim = p.dir.write("victim.txt", "precious\n");
    // Where earlier versions wrote, and every name this import may pick in the next seconds.
    fs::create_symlink(victim, p.dir.path / "events.rejects.csv");
    fs::create_symlink(victim, p.dir.path / "events.rejects.log");
    fs::create_directories(p.dir.path / "rejects");
    for (const auto& name : likely_names("events.events")) {
      fs::create_symlink(victim, p.dir.path / "rejects" / name);
    }
    p.dir.write("events.csv", events_csv);
    Run r = p.run("import events events.csv");
    CHECK(r.status == 1);
    CHECK(read_text(victim) == "precious\n");
    auto [rows, reasons] = reported(r.out);
    REQUIRE_FALSE(rows.empty());
    CHECK_FALSE(fs::is_symlink(rows));
    CHECK_FALSE(fs::is_symlink(reasons));
    CHECK(read_text(rows) == header + "\r\n" + bad_row + "\r\n");
    CHECK(read_text(reasons) == "events.csv:3: " + reason + "\n");
  }

  TEST_CASE("a default rejects folder that is a link is refused; --rejects names another") {
    Project p;
    fs::create_directories(p.dir.path / "elsewhere");
    fs::create_directory_symlink(p.dir.path / "elsewhere", p.dir.path / "rejects");
    p.dir.write("events.csv", events_csv);
    Run refused = p.run("import events events.csv");
    CHECK(refused.status == 2);
    CHECK(refused.err.find("the rejects folder is a symbolic link") != std::string::npos);
    CHECK(p.events() == 0);
    CHECK(fs::is_empty(p.dir.path / "elsewhere"));

    Run chosen = p.run("import events events.csv --rejects mine");
    CHECK(chosen.status == 1);
    auto [rows, reasons] = reported(chosen.out);
    CHECK(rows.parent_path() == "mine");
    CHECK(read_text(p.dir.path / rows) == header + "\r\n" + bad_row + "\r\n");
    CHECK(p.events() == 1);
  }

  TEST_CASE("one file imported as events, then as outcomes, keeps both sets of rejects") {
    Project p;
    p.dir.write("mixed.csv", events_csv);
    Run events = p.run("import events mixed.csv --rejects r");
    Run outcomes = p.run("import outcomes mixed.csv --rejects r");
    CHECK(events.status == 1);
    CHECK(outcomes.status == 2);  // no `result` column: a whole-file error, no rejects
    Run again = p.run("import events mixed.csv --rejects r");
    CHECK(again.status == 1);
    auto first = reported(events.out), second = reported(again.out);
    CHECK(first.first != second.first);
    CHECK(fs::exists(p.dir.path / first.first));
    CHECK(fs::exists(p.dir.path / second.first));
  }

  TEST_CASE("when the rejects cannot be written, nothing is imported and the CLI says so") {
    Project p;
    // The issue's reproduction: earlier versions wrote through these links after the commit.
    fs::create_symlink("/dev/full", p.dir.path / "events.rejects.csv");
    fs::create_symlink("/dev/full", p.dir.path / "events.rejects.log");
    p.dir.write("events.csv", events_csv);
    Run r = p.run("import events events.csv");
    if (r.status == 2) {
      CHECK(r.err.find("nothing from events.csv was imported") != std::string::npos);
      CHECK(p.events() == 0);
    } else {
      CHECK(r.status == 1);
      CHECK(p.events() == 1);
      CHECK(read_text(reported(r.out).first) == header + "\r\n" + bad_row + "\r\n");
    }
  }

  TEST_CASE("a rejects file that fails at its final write rolls the import back") {
    Project p;
    // 200 kB of rejected row stay in the writer's buffer until the end, where the file size
    // limit (64 KiB in dash's 512-byte blocks) makes the write fail; SIGXFSZ is ignored so
    // that the write returns EFBIG instead of killing the process.
    p.dir.write("events.csv", header + "\nE1,L1,2026-03-01,page_view,/a\nE2,L1,2026-03-02,demo,/" +
                                  std::string(200000, 'x') + "\n");
    Run r = p.run("import events events.csv --rejects r", "trap '' XFSZ; ulimit -f 128; ");
    CHECK(r.status == 2);
    CHECK(r.err.find("cannot write the rejects file") != std::string::npos);
    CHECK(r.err.find("nothing from events.csv was imported") != std::string::npos);
    CHECK(p.events() == 0);
    CHECK((!fs::exists(p.dir.path / "r") || fs::is_empty(p.dir.path / "r")));
  }
}

#endif
