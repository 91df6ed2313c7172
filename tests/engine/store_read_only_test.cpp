// The commands that only read (explain, replay, changes, calibrate) on a database they may
// not write: a read-only file, a read-only folder. They must read it without creating the
// write-ahead log's files. Root ignores permissions, so the command-line cases run as
// `nobody` through setpriv and are skipped (with a message) where that is not possible.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>

#include "engine/store/sqlite.hpp"
#include "leadscore/store.hpp"
#include "tests/support/files.hpp"
#include "tests/support/store_project.hpp"

namespace fs = std::filesystem;
using leadscore::Store;
using leadscore::testing::CliRun;
using leadscore::testing::StoreProject;

namespace {

const std::string as_nobody = "setpriv --reuid=65534 --regid=65534 --clear-groups ";

std::set<std::string> names_in(const fs::path& folder) {
  std::set<std::string> out;
  for (const auto& entry : fs::directory_iterator(folder)) out.insert(entry.path().filename());
  return out;
}

// How to run the CLI so that mode bits apply to it ("" when not root), or nullopt when they
// cannot be made to apply here.
std::optional<std::string> unprivileged(const StoreProject& p) {
  if (::geteuid() != 0) return std::string();
  // nobody must reach the project through the temporary folders above it.
  ::chmod(p.dir.path.c_str(), 0755);
  if (leadscore::testing::run_command(as_nobody + "test -r " +
                                      leadscore::testing::shell_quoted(p.root / "leadscore.yaml") +
                                      " 2>/dev/null")
          .exit_code != 0) {
    return std::nullopt;
  }
  return as_nobody;
}

void check_every_reader(const StoreProject& p, const std::string& prefix) {
  CliRun explain = p.run("explain --lead L1 --as-of 2026-05-10", prefix);
  CHECK(explain.status == 0);
  CHECK(explain.err == "");
  CHECK(explain.out.find("lead:   L1") != std::string::npos);
  CliRun replay = p.run("replay --lead L1 --as-of 2026-05-10", prefix);
  CHECK(replay.status == 0);
  CHECK(replay.out.find("lead L1 with model model: 2 events") != std::string::npos);
  CliRun changes = p.run("changes --format jsonl", prefix);
  CHECK(changes.status == 0);
  CHECK(changes.err == "");
  CliRun calibrate = p.run("calibrate --before-outcome --json", prefix);
  CHECK(calibrate.status == 0);
  CHECK(calibrate.out.find('{') != std::string::npos);
}

}  // namespace

TEST_SUITE("store_read_only") {
  TEST_CASE("a read-only database in a read-only folder is read, and nothing is created") {
    StoreProject p;
    REQUIRE(p.run("score --as-of 2026-05-10").status == 0);
    auto prefix = unprivileged(p);
    if (!prefix) {
      MESSAGE("skipped: running as root, and cannot drop to another user");
      return;
    }
    const auto before = names_in(p.root);
    fs::permissions(p.database(),
                    fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    fs::permissions(p.root, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                fs::perms::group_exec | fs::perms::others_read |
                                fs::perms::others_exec);
    check_every_reader(p, *prefix);
    CHECK(names_in(p.root) == before);
    fs::permissions(p.root, fs::perms::owner_write, fs::perm_options::add);
  }

  TEST_CASE("a read-only database in a writable folder leaves no log files behind") {
    StoreProject p;
    REQUIRE(p.run("score --as-of 2026-05-10").status == 0);
    auto prefix = unprivileged(p);
    if (!prefix) {
      MESSAGE("skipped: running as root, and cannot drop to another user");
      return;
    }
    const auto before = names_in(p.root);
    fs::permissions(p.database(),
                    fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    fs::permissions(p.root, fs::perms::all | fs::perms::sticky_bit);
    check_every_reader(p, *prefix);
    // A log file created by this reader would belong to it, with the file's read-only mode,
    // and the owner's next write could not use it.
    CHECK(names_in(p.root) == before);
  }

  // While a writer has the file open its log holds commits not yet in the file: a reader in
  // a read-only folder must read through the log (not the bare file) and see them.
  TEST_CASE("a read-only folder with a writer's log beside the file: the reader sees its commits") {
    StoreProject p;
    auto prefix = unprivileged(p);
    if (!prefix) {
      MESSAGE("skipped: running as root, and cannot drop to another user");
      return;
    }
    leadscore::store::Database writer(p.database().string(), SQLITE_OPEN_READWRITE);
    writer.exec("PRAGMA wal_autocheckpoint = 0");
    writer.exec("INSERT INTO leads(key) VALUES ('L9')");
    REQUIRE(fs::exists(p.database().string() + "-wal"));
    fs::permissions(p.root, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                fs::perms::group_exec | fs::perms::others_read |
                                fs::perms::others_exec);
    CliRun explain = p.run("explain --lead L9", *prefix);
    fs::permissions(p.root, fs::perms::owner_write, fs::perm_options::add);
    CHECK(explain.status == 0);
    CHECK(explain.out.find("lead:   L9") != std::string::npos);
  }

  // As root (or any user who may write), reading must still leave the file byte for byte as
  // it was: the read-only mode never writes.
  TEST_CASE("read-only opening and every read leave the file unchanged") {
    StoreProject p;
    { Store::open(p.database(), Store::Mode::read_write); }  // closed: the log folded in
    const std::string before = leadscore::testing::read_text(p.database());
    {
      auto store = Store::open(p.database(), Store::Mode::read_only);
      store->counts();
      store->changes(std::nullopt, std::nullopt, std::nullopt);
      CHECK(store->lead("L1"));
      std::size_t leads = 0;
      store->for_each_lead([&](const leadscore::LeadHistory&) { ++leads; });
      CHECK(leads == 3);
      store->latest_event_time();
      store->event_types();
      store->attribute_names();
    }
    CHECK(leadscore::testing::read_text(p.database()) == before);
  }
}
