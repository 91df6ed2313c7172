// Lead data never reaches the terminal raw: an id, event type or property value holding
// `ESC ] 0 ; ... BEL` (sets the window title) or `ESC [ 2 J` (clears the screen) is printed
// escaped by score, explain, replay, calibrate and the import's reject lines.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "leadscore/escape.hpp"
#include "tests/support/files.hpp"
#include "tests/support/store_model.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/cli/calibration_text.hpp"

namespace {

using leadscore::escape_controls;

TEST_CASE("escape_controls: controls written out, text kept") {
  CHECK(escape_controls("L1") == "L1");
  CHECK(escape_controls("M\xC3\xBCller \xE2\x82\xAC") == "M\xC3\xBCller \xE2\x82\xAC");  // Müller €
  CHECK(escape_controls("a\tb\nc\rd") == "a\\tb\\nc\\rd");
  CHECK(escape_controls("\x1b]0;owned\x07") == "\\x1b]0;owned\\x07");
  CHECK(escape_controls("\x1b[2J") == "\\x1b[2J");
  CHECK(escape_controls(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(escape_controls("\x7f") == "\\x7f");
  // C1 controls: CSI (U+009B) acts like ESC [ on many terminals.
  CHECK(escape_controls("\xC2\x9B"
                        "2J") == "\\x9b2J");
  CHECK(escape_controls("\xC2\xA0") == "\xC2\xA0");  // no-break space is text
  // Bytes that are not UTF-8, alone or cut off.
  CHECK(escape_controls("\x9b"
                        "2J") == "\\x9b2J");
  CHECK(escape_controls("ok\xE2\x82") == "ok\\xe2\\x82");
}

// calibrate suggests `leadscore replay --lead ID` for a closer look: with controls in the id,
// bash's $'...' form, which prints safely and still names the lead when pasted.
TEST_CASE("replay_command: an id with controls is quoted as $'...'") {
  CHECK(leadscore::cli::replay_command("L\x1b[2J") == "leadscore replay --lead $'L\\x1b[2J'");
  CHECK(leadscore::cli::replay_command("it's\x07\\") ==
        "leadscore replay --lead $'it\\'s\\x07\\\\'");
}

#ifdef LEADSCORE_CLI

namespace fs = std::filesystem;

const std::string title = "\x1b]0;pwned\x07";
const std::string clear = "\x1b[2J";

std::string quoted(const fs::path& path) {
  return "'" + path.string() + "'";
}

struct Output {
  int status = -1;
  std::string text;  // stdout and stderr together
};

Output run_in(const fs::path& dir, const std::string& arguments) {
  auto result = leadscore::testing::run_command("cd " + quoted(dir) + " && " +
                                                quoted(LEADSCORE_CLI) + " " + arguments + " 2>&1");
  return {result.exit_code, result.output};
}

bool raw_controls(const std::string& text) {
  return text.find('\x1b') != std::string::npos || text.find('\x07') != std::string::npos;
}

TEST_CASE("CLI: ids, event types and values with terminal controls are printed escaped") {
  leadscore::testing::TempDir dir;
  dir.write("leadscore.yaml", leadscore::testing::store_project_yaml);
  dir.write("model.score", leadscore::testing::store_model_text);
  const std::string id = "L" + title + clear;
  dir.write("leads.csv", "id,employees,industry\n" + id + ",500,soft" + clear +
                             "ware\nL2,20,retail\nL3,30,retail\n");
  dir.write("events.csv",
            "id,lead_id,ts,type,url\n"
            "P1," +
                id + ",2026-04-01T09:00:00Z,page_view,/pricing" + title +
                "\n"
                "P2,L2,2026-04-02T09:00:00Z,page" +
                clear + "view,/x\n");
  dir.write("outcomes.csv", "lead_id,ts,result\n" + id +
                                ",2026-05-25,won\nL2,2026-05-26,lost\n"
                                "L3,2026-05-27,won\n");
  REQUIRE(run_in(dir.path, "import leads leads.csv").status == 0);
  Output rejected = run_in(dir.path, "import events events.csv");
  CHECK(rejected.status == 1);  // the second row's event type is not in the schema
  CHECK(rejected.text.find("page\\x1b[2Jview") != std::string::npos);
  CHECK_FALSE(raw_controls(rejected.text));
  REQUIRE(run_in(dir.path, "import outcomes outcomes.csv").status == 0);

  const std::string shown_id = "L\\x1b]0;pwned\\x07\\x1b[2J";
  for (const std::string& command : std::vector<std::string>{
           "score --as-of 2026-06-01", "explain --lead '" + id + "' --as-of 2026-06-01",
           "replay --lead '" + id + "' --as-of 2026-06-01",
           "calibrate --before-outcome --by industry", "explain --lead 'L" + title + "nobody'"}) {
    INFO(escape_controls(command));
    Output out = run_in(dir.path, command);
    INFO(escape_controls(out.text));
    CHECK_FALSE(raw_controls(out.text));
    if (command.starts_with("explain --lead 'L") && command.find("nobody") != std::string::npos) {
      CHECK(out.text.find("L\\x1b]0;pwned\\x07nobody") != std::string::npos);
      continue;
    }
    CHECK(out.status == 0);
    if (command.starts_with("calibrate")) {
      CHECK(out.text.find("soft\\x1b[2Jware") != std::string::npos);  // the segment
    } else {
      CHECK(out.text.find(shown_id) != std::string::npos);
    }
    if (command.starts_with("explain") || command.starts_with("replay")) {
      CHECK(out.text.find("url=/pricing\\x1b]0;pwned\\x07") != std::string::npos);
    }
  }
}

#endif

}  // namespace
