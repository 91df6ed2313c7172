// The store through the built command line, as a user meets it: exit codes and messages of
// `import`, a killed import, an import and a score at the same time, missing or read-only
// databases, and the score / changes / explain / replay round trip.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/store/sqlite.hpp"
#include "leadscore/store.hpp"
#include "tests/support/files.hpp"
#include "tests/support/store_model.hpp"
#include "tests/support/temp_dir.hpp"

#ifdef LEADSCORE_CLI

namespace fs = std::filesystem;
using leadscore::Store;
using leadscore::testing::read_text;
using leadscore::testing::TempDir;
using nlohmann::json;

namespace {

const std::string& project_yaml = leadscore::testing::store_project_yaml;

const std::string& model_text = leadscore::testing::store_model_text;

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

std::string quoted(const fs::path& path) {
  return "'" + path.string() + "'";
}

// One project folder; commands run inside it, so messages name files as given.
struct Cli {
  explicit Cli(const std::string& yaml = project_yaml, const std::string& model = model_text) {
    dir.write("leadscore.yaml", yaml);
    dir.write("model.score", model);
  }

  // `prefix` goes in front of the CLI (to run it as another user).
  Run run(const std::string& arguments, const std::string& prefix = "") const {
    const fs::path err = dir.path / "stderr.txt";
    auto result = leadscore::testing::run_command("cd " + quoted(dir.path) + " && " + prefix +
                                                  quoted(LEADSCORE_CLI) + " " + arguments + " 2>" +
                                                  quoted(err));
    Run run;
    run.status = result.exit_code;
    run.out = std::move(result.output);
    run.err = read_text(err);
    return run;
  }

  fs::path database() const { return dir.path / "leads.db"; }

  leadscore::StoreCounts counts() const {
    return Store::open(database(), Store::Mode::read_only)->counts();
  }

  TempDir dir;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The one rejects file in `dir` whose name ends with `suffix` (".rejected.csv",
// ".reasons.log", ...) and starts with `prefix`; empty when there is none or several.
fs::path rejects_in(const fs::path& dir, const std::string& prefix, const std::string& suffix) {
  fs::path found;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(prefix) || !name.ends_with(suffix)) continue;
    if (!found.empty()) return {};
    found = it->path();
  }
  return found;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// `rows` page views spread over the 1000 leads of thousand_leads(), ids PREFIX0, PREFIX1, ...
fs::path write_events(const TempDir& dir, const std::string& name, const std::string& prefix,
                      std::size_t rows) {
  const fs::path file = dir.path / name;
  std::ofstream out(file, std::ios::binary);
  out << "id,lead_id,ts,type,url\n";
  for (std::size_t i = 0; i < rows; ++i) {
    out << prefix << i << ",L" << i % 1000 << ",2026-03-01T10:" << (i / 60) % 60 / 10
        << (i / 60) % 10 << ':' << i % 60 / 10 << i % 10 << "Z,page_view,/pricing/" << i << '\n';
  }
  REQUIRE(out.good());
  return file;
}

void thousand_leads(const Cli& cli) {
  std::string leads = "id,employees,industry\n";
  for (int i = 0; i < 1000; ++i)
    leads += "L" + std::to_string(i) + "," + std::to_string(i) + ",x\n";
  cli.dir.write("leads.csv", leads);
  REQUIRE(cli.run("import leads leads.csv").status == 0);
}

// Starts the CLI in `dir` without waiting; its output goes to `log`.
pid_t spawn(const fs::path& dir, const std::vector<std::string>& arguments, const fs::path& log) {
  // Everything the child needs is built before fork: it only calls async-signal-safe functions.
  std::vector<std::string> words = {LEADSCORE_CLI};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const std::string dir_text = dir.string(), log_text = log.string();
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int fd = ::open(log_text.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ::chdir(dir_text.c_str()) != 0) ::_exit(127);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

// How far process `pid` has read `file` (its open descriptor's offset), from /proc.
std::optional<std::uint64_t> read_offset(pid_t pid, const fs::path& file) {
  const std::string proc = "/proc/" + std::to_string(pid);
  std::error_code ec;
  for (fs::directory_iterator it(proc + "/fd", ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code link_ec;
    if (fs::read_symlink(it->path(), link_ec) != file || link_ec) continue;
    std::ifstream info(proc + "/fdinfo/" + it->path().filename().string());
    for (std::string key; info >> key;) {
      std::uint64_t value = 0;
      if (key == "pos:" && info >> value) return value;
    }
  }
  return std::nullopt;
}

// Waits until `pid` has read at least `bytes` of `file` (true), or has exited (false, with its
// status). Watching the read offset instead of a clock puts the test in the middle of the
// import however fast or slow the machine is. Without /proc it falls back to a short sleep.
bool wait_until_read(pid_t pid, const fs::path& file, std::uint64_t bytes, int& status) {
  const bool have_proc = fs::exists("/proc/self/fdinfo");
  for (int waited_ms = 0;; ++waited_ms) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return false;
    if (!have_proc && waited_ms >= 300) return true;
    if (have_proc) {
      auto offset = read_offset(pid, file);
      if (offset && *offset >= bytes) return true;
    }
    ::usleep(1000);
  }
}

std::string integrity(const fs::path& database) {
  leadscore::store::Database db(database.string(), SQLITE_OPEN_READONLY);
  leadscore::store::Statement check = db.prepare("PRAGMA integrity_check");
  REQUIRE(check.step());
  return std::string(check.text(0));
}

// The event count in `scored N leads (M events)` on score's stderr.
std::uint64_t scored_events(const std::string& err) {
  const auto open = err.find(" leads (");
  REQUIRE(open != std::string::npos);
  return std::stoull(err.substr(open + 8));
}

}  // namespace

TEST_SUITE("store_cli") {
  TEST_CASE("import reports every rejected row as FILE:LINE and exits 1") {
    Cli cli;
    cli.dir.write("leads.csv", "id,employees,industry\nL1,500,software\nL2,abc,retail\n,3,x\n");
    Run leads = cli.run("import leads leads.csv");
    CHECK(leads.status == 1);
    const fs::path rejects = cli.dir.path / "rejects";
    const fs::path leads_rows = rejects_in(rejects, "leads.leads.", ".rejected.csv");
    const fs::path leads_reasons = rejects_in(rejects, "leads.leads.", ".reasons.log");
    REQUIRE_FALSE(leads_rows.empty());
    REQUIRE_FALSE(leads_reasons.empty());
    CHECK(leads.out == "leads.csv: 3 rows: 1 added, 0 already there, 2 rejected (rows in " +
                           leads_rows.string() + ", reasons in " + leads_reasons.string() + ")\n");
    CHECK(leads.err ==
          "leads.csv:3: rejected: `employees`: `abc` is not a number\n"
          "leads.csv:4: rejected: no lead id in column `id`\n");
    CHECK(read_text(leads_rows) == "id,employees,industry\r\nL2,abc,retail\r\n,3,x\r\n");
    CHECK(read_text(leads_reasons) ==
          "leads.csv:3: `employees`: `abc` is not a number\n"
          "leads.csv:4: no lead id in column `id`\n");

    cli.dir.write("events.csv",
                  "id,lead_id,ts,type,url\n"
                  "E1,L1,2026-03-01,page_view,\"/a,\nb\"\n"
                  "E2,L1,2026-03-02,demo_request,/x\n"
                  "E3,L1,2026-02-30,page_view,/a\n"
                  "E4,L1,2026-03-03,page_view,/b,extra\n"
                  "E5, ,2026-03-03,page_view,/b\n"
                  "E6,L9,2026-03-03,page_view,/c\n"
                  "E7,L1,2026-03-04,page_view,\"/caf\xe9\"\n"
                  "E8,L1,2026-03-05,page_view,\"/x\"y\n"
                  "E9,L1,2026-03-06,page_view,/ok\n");
    Run events = cli.run("import events events.csv");
    CHECK(events.status == 1);
    const fs::path events_rows = rejects_in(rejects, "events.events.", ".rejected.csv");
    const fs::path events_reasons = rejects_in(rejects, "events.events.", ".reasons.log");
    CHECK(
        contains(events.out, "events.csv: 9 rows: 2 added, 0 already there, 7 rejected (rows in "));
    const std::vector<std::string> expected = {
        "events.csv:4: rejected: unknown event type `demo_request` (the schema declares "
        "download, page_view, webinar)",
        "events.csv:5: rejected: `ts`: `2026-02-30` is not a date or time",
        "events.csv:6: rejected: the row has 6 fields, the header has 5",
        "events.csv:7: rejected: no lead id in column `lead_id`",
        "events.csv:8: rejected: no lead `L9` in the database (import leads first)",
        "events.csv:9: rejected: column 5: invalid UTF-8 at byte 5 of the field",
        "events.csv:10: rejected: column 5: text after the closing quote",
    };
    CHECK(lines_of(events.err) == expected);
    auto log = lines_of(read_text(events_reasons));
    REQUIRE(log.size() == expected.size());
    for (std::size_t i = 0; i < log.size(); ++i) {
      std::string shown = expected[i];
      shown.erase(shown.find("rejected: "), 10);
      CHECK(log[i] == shown);
    }
    CHECK(lines_of(read_text(events_rows)).size() == 8);
    CHECK(cli.counts().events == 2);

    // JSON Lines: the same report for lines that are not UTF-8 or not JSON.
    cli.dir.write("more.jsonl",
                  R"({"id":"J1","lead_id":"L1","ts":"2026-03-07","type":"download","asset":"a"})"
                  "\n"
                  "{\"id\":\"J2\",\"lead_id\":\"L1\",\"ts\":\"2026-03-07\",\"type\":\"download\","
                  "\"asset\":\"\xed\xa0\x80\"}\n"
                  "{\"id\":\"J3\"\n");
    Run jsonl = cli.run("import events more.jsonl");
    CHECK(jsonl.status == 1);
    CHECK(contains(jsonl.out, "more.jsonl: 3 rows: 1 added, 0 already there, 2 rejected "));
    CHECK_FALSE(rejects_in(rejects, "more.events.", ".rejected.jsonl").empty());
    auto jsonl_err = lines_of(jsonl.err);
    REQUIRE(jsonl_err.size() == 2);
    CHECK(jsonl_err[0].starts_with("more.jsonl:2: rejected: invalid UTF-8 at byte "));
    CHECK(jsonl_err[1].starts_with("more.jsonl:3: rejected: not valid JSON at byte "));

    // A clean file: exit 0 and no rejects files of its own.
    cli.dir.write("events.csv", "id,lead_id,ts,type,url\nE9,L1,2026-03-06,page_view,/ok\n");
    Run clean = cli.run("import events events.csv");
    CHECK(clean.status == 0);
    CHECK(clean.err.empty());
    CHECK(clean.out == "events.csv: 1 rows: 0 added, 1 already there, 0 rejected\n");
    CHECK(rejects_in(rejects, "events.events.", ".rejected.csv") == events_rows);
  }

  TEST_CASE("import shows the first 20 rejects and counts the rest") {
    Cli cli;
    std::string leads = "id,employees,industry\n";
    for (int i = 0; i < 25; ++i) leads += "L" + std::to_string(i) + ",many,x\n";
    cli.dir.write("leads.csv", leads);
    Run run = cli.run("import leads leads.csv");
    CHECK(run.status == 1);
    auto err = lines_of(run.err);
    REQUIRE(err.size() == 21);
    CHECK(err[19] == "leads.csv:21: rejected: `employees`: `many` is not a number");
    CHECK(err[20] == "leads.csv: ... and 5 more rejected rows");
    const fs::path reasons = rejects_in(cli.dir.path / "rejects", "leads.", ".reasons.log");
    CHECK(lines_of(read_text(reasons)).size() == 25);
  }

  TEST_CASE("a file that cannot be imported exits 2 and keeps the files before it") {
    Cli cli;
    cli.dir.write("leads.csv", "id,employees,industry\nL1,500,software\n");
    REQUIRE(cli.run("import leads leads.csv").status == 0);
    cli.dir.write("good.csv", "id,lead_id,ts,type,url\nE1,L1,2026-03-01,page_view,/a\n");
    cli.dir.write("bad.csv",
                  "id,lead_id,ts,type,url\nE2,L1,2026-03-02,page_view\n"
                  "E3,L1,2026-03-03,page_view,\"/open\n");
    cli.dir.write("later.csv", "id,lead_id,ts,type,url\nE4,L1,2026-03-04,page_view,/d\n");
    Run run = cli.run("import events good.csv bad.csv later.csv");
    CHECK(run.status == 2);
    CHECK(run.out == "good.csv: 1 rows: 1 added, 0 already there, 0 rejected\n");
    CHECK(contains(run.err,
                   "leadscore: error: bad.csv:3: a quoted field opened on this line "
                   "is never closed"));
    CHECK(contains(run.err,
                   "leadscore: nothing from bad.csv was imported; the database is as "
                   "it was before it\n"));
    CHECK(cli.counts().events == 1);  // good.csv only: bad.csv rolled back, later.csv not run
    CHECK(rejects_in(cli.dir.path / "rejects", "bad.", "").empty());

    cli.dir.write("renamed.csv", "id,lead_ids,ts,type,url\nE5,L1,2026-03-05,page_view,/e\n");
    Run mapping = cli.run("import events renamed.csv");
    CHECK(mapping.status == 2);
    CHECK(contains(mapping.err,
                   "renamed.csv:1: no column `lead_id` for the lead id (`lead_id`) "
                   "(did you mean `lead_ids`?)"));
    CHECK(cli.counts().events == 1);
  }

  TEST_CASE("an import killed part way leaves the database as before; a re-run completes") {
    Cli cli;
    thousand_leads(cli);
    cli.dir.write("first.csv",
                  "id,lead_id,ts,type,url\nF1,L1,2026-02-01,page_view,/a\n"
                  "F2,L2,2026-02-02,page_view,/b\n");
    REQUIRE(cli.run("import events first.csv").status == 0);
    const std::uint64_t before = cli.counts().events;
    REQUIRE(before == 2);

    constexpr std::size_t rows = 300'000;
    const fs::path big = fs::canonical(write_events(cli.dir, "big.csv", "B", rows));
    const std::uint64_t size = fs::file_size(big);
    const fs::path log = cli.dir.path / "killed.log";
    pid_t pid = spawn(cli.dir.path, {"import", "events", "big.csv"}, log);
    int status = 0;
    bool mid_way = false;
    if (wait_until_read(pid, big, size / 3, status)) {
      // Stopped first, so the offset read next is where the import really is: short of the
      // end of the file, the transaction cannot have committed.
      ::kill(pid, SIGSTOP);
      REQUIRE(::waitpid(pid, &status, WUNTRACED) == pid);
      if (WIFSTOPPED(status)) {
        auto offset = read_offset(pid, big);
        mid_way = !offset || *offset < size;
        ::kill(pid, SIGKILL);
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        CHECK(WIFSIGNALED(status));
      }
    }
    if (!mid_way) MESSAGE("the import finished before it could be killed: " << read_text(log));

    // The database opens (the dead writer's uncommitted WAL frames count for nothing), is
    // intact, and holds all of the file or none of it.
    CHECK(integrity(cli.database()) == "ok");
    const std::uint64_t after_kill = cli.counts().events;
    CHECK((after_kill == before || after_kill == before + rows));
    if (mid_way) CHECK(after_kill == before);

    Run rerun = cli.run("import events big.csv");
    CHECK(rerun.status == 0);
    if (mid_way)
      CHECK(rerun.out == "big.csv: 300000 rows: 300000 added, 0 already there, 0 rejected\n");
    CHECK(cli.counts().events == before + rows);
    CHECK(integrity(cli.database()) == "ok");
  }

  TEST_CASE("score and readers run while an import writes, and see all of it or none") {
    Cli cli;
    thousand_leads(cli);
    cli.dir.write("first.csv", "id,lead_id,ts,type,url\nF1,L7,2026-02-01,page_view,/a\n");
    REQUIRE(cli.run("import events first.csv").status == 0);
    const std::uint64_t before = cli.counts().events;

    constexpr std::size_t rows = 300'000;
    const fs::path big = fs::canonical(write_events(cli.dir, "big.csv", "B", rows));
    const fs::path log = cli.dir.path / "import.log";
    pid_t pid = spawn(cli.dir.path, {"import", "events", "big.csv"}, log);
    int status = 0;
    const bool running = wait_until_read(pid, big, fs::file_size(big) / 4, status);
    if (!running) MESSAGE("the import finished before the readers started");

    // While the import's transaction is open: a read-only reader, which needs no lock, and a
    // scorer, which as a writer waits out the import's lock through the busy timeout.
    Run replay = cli.run("replay --lead L7 --as-of 2030-01-01 --format json");
    Run score = cli.run("score --as-of 2030-01-01 --format csv");
    if (running) REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    INFO("import: " << read_text(log));

    CHECK(replay.status == 0);
    std::size_t replayed = 0;
    const json replayed_doc = json::parse(replay.out);  // named: the loop must not outlive it
    for (const auto& step : replayed_doc.at("steps")) replayed += step.contains("event");
    // L7 has F1, plus 300 rows of the big file (every thousandth).
    INFO("replay saw " << replayed << " events; " << replay.err);
    CHECK((replayed == 1 || replayed == 1 + rows / 1000));

    CHECK(score.status == 0);
    INFO("score: " << score.err);
    CHECK(lines_of(score.out).size() == 1 + 1000);
    const std::uint64_t seen = scored_events(score.err);
    CHECK((seen == before || seen == before + rows));
    CHECK(cli.counts().events == before + rows);
  }

  TEST_CASE("commands that only read refuse a missing database and create none") {
    Cli cli;
    for (const std::string command : {"changes", "explain --lead L1", "replay --lead L1"}) {
      CAPTURE(command);
      Run run = cli.run(command);
      CHECK(run.status == 2);
      CHECK(contains(run.err, "leads.db: no database here yet; import leads or events first"));
      CHECK_FALSE(fs::exists(cli.database()));
    }
  }

  TEST_CASE("an import into a read-only database file says so and exits 2") {
    Cli cli;
    cli.dir.write("leads.csv", "id,employees,industry\nL1,500,software\n");
    REQUIRE(cli.run("import leads leads.csv").status == 0);
    fs::permissions(cli.database(),
                    fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    cli.dir.write("more.csv", "id,employees,industry\nL2,5,x\n");

    std::string prefix;  // how to run the CLI so that the mode bits apply
    const int fd = ::open(cli.database().c_str(), O_WRONLY);
    if (fd >= 0) {
      ::close(fd);
      // Root ignores mode bits; run as `nobody` when setpriv can and `nobody` can read the
      // project, else skip the check.
      const std::string as_nobody = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
      if (leadscore::testing::run_command(as_nobody + "test -r " + quoted(cli.database()) +
                                          " 2>/dev/null")
              .exit_code != 0) {
        MESSAGE("skipped: running as root, and cannot drop to another user");
        return;
      }
      prefix = as_nobody;
    }
    Run run = cli.run("import leads more.csv", prefix);
    CHECK(run.status == 2);
    CHECK(contains(run.err, "leads.db: the database file is read-only (check its permissions)"));
    fs::permissions(cli.database(), fs::perms::owner_write, fs::perm_options::add);
    CHECK(cli.counts().leads == 1);
  }

  TEST_CASE("a model that reads what the data lacks: a warning, or an error with the schema") {
    Cli cli;
    cli.dir.write("leads.csv", "id,employees,industry\nL1,500,software\n");
    cli.dir.write("events.csv", "id,lead_id,ts,type,url\nE1,L1,2026-03-01,page_view,/pricing\n");
    REQUIRE(cli.run("import leads leads.csv").status == 0);
    REQUIRE(cli.run("import events events.csv").status == 0);

    // `webinar` is declared in the schema but no imported event has it: the model compiles,
    // and `score --lead` warns that its rules cannot score.
    Run warned = cli.run("score --lead L1 --as-of 2026-06-01");
    CHECK(warned.status == 0);
    CHECK(contains(warned.err,
                   "leadscore: warning: the model reads event type `webinar`, which "
                   "no imported data has"));
    CHECK_FALSE(contains(warned.err, "event type `page_view`"));
    CHECK(contains(warned.out, "L1"));

    // `demo_request` is not in the schema at all: the model does not compile against it.
    cli.dir.write("model.score",
                  "model \"m\"\nband hot >= 5\nband cold\n"
                  "engagement a {\n  demo: +5 on demo_request\n}\n");
    Run refused = cli.run("score --as-of 2026-06-01");
    CHECK(refused.status == 1);
    CHECK(contains(refused.err, "demo_request"));
    CHECK(cli.counts().scored == 1);  // only the earlier --lead run stored a score
  }

  TEST_CASE("score, changes, explain and replay over stored data") {
    Cli cli;
    cli.dir.write("leads.csv", "id,employees,industry\nL1,500,software\nL2,20,retail\n");
    cli.dir.write("events.csv",
                  "id,lead_id,ts,type,url\n"
                  "P1,L1,2026-04-01T09:00:00Z,page_view,/pricing\n"
                  "P2,L1,2026-05-01T09:00:00Z,page_view,/blog\n"
                  "P3,L1,2026-05-20T09:00:00Z,page_view,/pricing/teams\n");
    cli.dir.write("outcomes.csv", "lead_id,ts,result\nL1,2026-05-25,won\n");
    REQUIRE(cli.run("import leads leads.csv").status == 0);
    REQUIRE(cli.run("import events events.csv").status == 0);
    REQUIRE(cli.run("import outcomes outcomes.csv").status == 0);

    Run first = cli.run("score --as-of 2026-06-01");
    CHECK(first.status == 0);
    CHECK(contains(first.err,
                   "scored 2 leads (3 events) with model as of 2026-06-01T00:00:00Z; "
                   "0 band changes recorded (run 1)"));
    Run none = cli.run("changes");
    CHECK(none.status == 0);
    CHECK(contains(none.out, "(no band changes recorded)"));

    // Two downloads take L2 from cold (0) to warm (16); L3 arrives after the first run, hot.
    cli.dir.write("more_events.csv",
                  "id,lead_id,ts,type,asset\n"
                  "D1,L2,2026-06-01,download,a\nD2,L2,2026-06-01,download,b\n");
    REQUIRE(cli.run("import events more_events.csv").status == 0);
    Run second = cli.run("score --as-of 2026-06-01");
    CHECK(contains(second.err, "1 band changes recorded (run 2)"));
    cli.dir.write("late.csv", "id,employees,industry\nL3,900,software\n");
    cli.dir.write("late_events.csv", "id,lead_id,ts,type,asset\nD3,L3,2026-06-02,download,c\n");
    REQUIRE(cli.run("import leads late.csv").status == 0);
    REQUIRE(cli.run("import events late_events.csv").status == 0);
    Run third = cli.run("score --as-of 2026-06-02");
    CHECK(contains(third.err, "1 band changes recorded (run 3)"));

    Run table = cli.run("changes");
    CHECK(table.status == 0);
    const std::vector<std::string> expected_table = {
        "as of                 model  lead  from   to    score",
        "2026-06-02T00:00:00Z  model  L3    (new)  hot   21",
        "2026-06-01T00:00:00Z  model  L2    cold   warm  0 -> 16",
    };
    CHECK(lines_of(table.out) == expected_table);

    Run jsonl = cli.run("changes --format jsonl");
    auto lines = lines_of(jsonl.out);
    REQUIRE(lines.size() == 2);
    CHECK(json::parse(lines[0]) == json{{"lead", "L3"},
                                        {"model", "model"},
                                        {"as_of", "2026-06-02T00:00:00Z"},
                                        {"from", nullptr},
                                        {"to", "hot"},
                                        {"old_score", nullptr},
                                        {"new_score", 21}});
    CHECK(json::parse(lines[1]) == json{{"lead", "L2"},
                                        {"model", "model"},
                                        {"as_of", "2026-06-01T00:00:00Z"},
                                        {"from", "cold"},
                                        {"to", "warm"},
                                        {"old_score", 0},
                                        {"new_score", 16}});

    Run warm = cli.run("changes --band warm --format jsonl");
    REQUIRE(lines_of(warm.out).size() == 1);
    CHECK(json::parse(warm.out).at("lead") == "L2");
    CHECK(lines_of(cli.run("changes --band cold --format jsonl").out).empty());
    CHECK(lines_of(cli.run("changes --since 2026-06-02 --format jsonl").out).size() == 1);

    // explain: the two pricing views behind `pricing`, with decay taking part of their points.
    Run explain = cli.run("explain --lead L1 --as-of 2026-06-01 --format json");
    CHECK(explain.status == 0);
    const json ex = json::parse(explain.out);
    CHECK(ex.at("lead") == "L1");
    CHECK(ex.at("band") == "warm");
    const json* pricing = nullptr;
    for (const auto& rule : ex.at("rules")) {
      if (rule.at("rule") == "pricing") pricing = &rule;
    }
    REQUIRE(pricing);
    REQUIRE(pricing->at("events").size() == 2);
    CHECK(pricing->at("events")[0].at("id") == "P1");
    CHECK(pricing->at("events")[1].at("id") == "P3");
    CHECK(pricing->at("undecayed").get<double>() == 8);
    CHECK(pricing->at("decay_took").get<double>() > 0);
    CHECK(pricing->at("decay_took").get<double>() ==
          doctest::Approx(8 - pricing->at("before_cap").get<double>()).epsilon(0.01));
    CHECK(ex.at("outcomes") == json::array({{{"result", "won"}, {"ts", "2026-05-25T00:00:00Z"}}}));

    // replay: one step per event, then the outcome last (it comes after every event).
    Run replay = cli.run("replay --lead L1 --as-of 2026-06-01");
    CHECK(replay.status == 0);
    auto replay_lines = lines_of(replay.out);
    REQUIRE(replay_lines.size() >= 3);
    CHECK(replay_lines[replay_lines.size() - 3].starts_with(
        "2026-05-25T00:00:00Z  outcome: won (won)"));
    CHECK(replay_lines.back().starts_with("as of 2026-06-01T00:00:00Z: score "));
    const json replay_json =
        json::parse(cli.run("replay --lead L1 --as-of 2026-06-01 --format json").out);
    const json& steps = replay_json.at("steps");
    REQUIRE_FALSE(steps.empty());
    std::vector<std::string> event_ids;
    for (const auto& step : steps) {
      if (step.contains("event")) event_ids.push_back(step.at("id"));
    }
    CHECK(event_ids == std::vector<std::string>{"P1", "P2", "P3"});
    CHECK(steps.back() == json{{"ts", "2026-05-25T00:00:00Z"}, {"outcome", "won"}});
  }

  TEST_CASE("a database from a newer leadscore stops every command with a clear message") {
    Cli cli;
    cli.dir.write("leads.csv", "id,employees,industry\nL1,500,software\n");
    REQUIRE(cli.run("import leads leads.csv").status == 0);
    {
      leadscore::store::Database db(cli.database().string(), SQLITE_OPEN_READWRITE);
      db.exec("PRAGMA user_version = 42");
    }
    Run import = cli.run("import leads leads.csv");
    CHECK(import.status == 2);
    CHECK(contains(import.err,
                   "leads.db: the database has layout version 42, newer than this "
                   "leadscore knows"));
    Run score = cli.run("score");
    CHECK(score.status == 2);
    CHECK(contains(score.err, "newer than this leadscore knows"));
    Run changes = cli.run("changes");
    CHECK(changes.status == 2);
    CHECK(contains(changes.err, "the database has layout version 42"));
  }
}

#endif  // LEADSCORE_CLI
