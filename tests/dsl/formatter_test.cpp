// `leadscore fmt`: the canonical layout. Three kinds of checks:
// - properties on every model in the repository (the examples, the semantics and golden corpora,
//   and the model snippets written inline in the tests/dsl sources): formatting is idempotent,
//   computes the same thing (same fingerprint, same diagnostics), and keeps every comment on the
//   line of the code it followed;
// - the layout itself, on small inputs whose expected output is spelled out;
// - the command line (--check, --write, exit codes), when the tests know where the binary is.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "leadscore/leadscore.hpp"
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using leadscore::format_model;
using leadscore::FormatResult;
using leadscore::Model;

namespace {

const fs::path source_dir = LEADSCORE_SOURCE_DIR;
using leadscore::testing::models_in;
using leadscore::testing::read_text;
using leadscore::testing::run_command;

// A model to test, and the file name it is compiled under (list files resolve beside it).
struct Sample {
  std::string name;
  std::string text;
  fs::path path;
};

// The raw string literals (R"(...)" or R"x(...)x") that hold a model in a test source.
std::vector<Sample> inline_models(const fs::path& cpp) {
  std::vector<Sample> out;
  const std::string code = read_text(cpp);
  for (std::size_t at = code.find("R\""); at != std::string::npos; at = code.find("R\"", at + 2)) {
    const std::size_t open = code.find('(', at + 2);
    if (open == std::string::npos || open - at > 20) continue;
    const std::string close = ")" + code.substr(at + 2, open - at - 2) + "\"";
    const std::size_t end = code.find(close, open + 1);
    if (end == std::string::npos) break;
    std::string text = code.substr(open + 1, end - open - 1);
    if (text.find("model \"") != std::string::npos) {
      const std::size_t line = std::count(code.begin(), code.begin() + at, '\n') + 1;
      out.push_back({cpp.filename().string() + ":" + std::to_string(line), std::move(text),
                     cpp.parent_path() / "snippet.score"});
    }
    at = end;
  }
  return out;
}

std::vector<Sample> all_samples() {
  std::vector<Sample> out;
  for (const char* dir :
       {"rules/examples", "tests/semantics", "tests/golden/bytecode", "tests/golden/diagnostics"}) {
    for (const auto& path : models_in(source_dir / dir)) {
      out.push_back({path.lexically_relative(source_dir).string(), read_text(path), path});
    }
  }
  for (const auto& entry : fs::directory_iterator(source_dir / "tests/dsl")) {
    const fs::path& cpp = entry.path();
    if (cpp.extension() != ".cpp" || cpp.filename() == "formatter_test.cpp") continue;
    for (auto& sample : inline_models(cpp)) out.push_back(std::move(sample));
  }
  return out;
}

std::vector<std::string> codes(const std::vector<leadscore::Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(d.code);
  return out;
}

// One comment as a reader sees it, found without the formatter's lexer: the text from the first
// `#` outside a string to the end of the line, and the code before it on that line (white space
// removed) when there is any.
struct Comment {
  std::string text;
  std::string code_before;
  bool trailing() const { return !code_before.empty(); }
};

std::vector<Comment> comments_of(const std::string& text) {
  std::vector<Comment> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    bool in_string = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (in_string && line[i] == '\\') {
        ++i;
      } else if (line[i] == '"') {
        in_string = !in_string;
      } else if (!in_string && line[i] == '#') {
        Comment c;
        c.text = line.substr(i);
        c.text.erase(c.text.find_last_not_of(" \t\r") + 1);
        for (char ch : line.substr(0, i)) {
          if (ch != ' ' && ch != '\t') c.code_before += ch;
        }
        out.push_back(c);
        break;
      }
    }
  }
  return out;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string fmt(const std::string& text) {
  FormatResult r = format_model(text, "test.score");
  if (!r.diagnostics.empty()) FAIL_CHECK(leadscore::render(r.diagnostics.front()));
  return r.text;
}

using leadscore::testing::TempDir;

}  // namespace

TEST_SUITE("formatter") {
  TEST_CASE("every model in the repository: idempotent, same computation, comments kept") {
    const std::vector<Sample> samples = all_samples();
    std::size_t formatted = 0, refused = 0, compiled = 0, snippets = 0;
    for (const Sample& s : samples) {
      INFO("model: " << s.name);
      snippets += s.name.find(".cpp:") != std::string::npos;
      const FormatResult once = format_model(s.text, s.path.string());
      const auto original = Model::compile(s.text, s.path.string());
      if (!once.diagnostics.empty()) {
        // Refused: only for a real error, which compiling reports too.
        ++refused;
        CHECK(once.text.empty());
        REQUIRE(leadscore::has_errors(once.diagnostics));
        CHECK(original.model == nullptr);
        const auto compile_codes = codes(original.diagnostics);
        CHECK(std::find(compile_codes.begin(), compile_codes.end(),
                        once.diagnostics.front().code) != compile_codes.end());
        continue;
      }
      ++formatted;
      const FormatResult twice = format_model(once.text, s.path.string());
      CHECK(twice.diagnostics.empty());
      CHECK(twice.text == once.text);

      const auto after = Model::compile(once.text, s.path.string());
      CHECK(codes(after.diagnostics) == codes(original.diagnostics));
      REQUIRE((after.model == nullptr) == (original.model == nullptr));
      if (original.model) {
        ++compiled;
        CHECK(after.model->fingerprint() == original.model->fingerprint());
        CHECK(after.model->rule_names() == original.model->rule_names());
      }

      // The reviewer's warnings too: `# leadscore: ignore` comments still silence the same ones.
      leadscore::CompileOptions lint;
      lint.lint = true;
      CHECK(codes(Model::compile(once.text, s.path.string(), lint).diagnostics) ==
            codes(Model::compile(s.text, s.path.string(), lint).diagnostics));

      const auto before_comments = comments_of(s.text);
      const auto after_comments = comments_of(once.text);
      REQUIRE(after_comments.size() == before_comments.size());
      for (std::size_t i = 0; i < before_comments.size(); ++i) {
        const Comment& b = before_comments[i];
        const Comment& a = after_comments[i];
        INFO("comment: " << b.text);
        CHECK(a.text == b.text);
        CHECK(a.trailing() == b.trailing());
        // Still after the same code: one line ends with the other (lines may have been joined).
        CHECK((ends_with(a.code_before, b.code_before) || ends_with(b.code_before, a.code_before)));
      }
    }
    MESSAGE(samples.size() << " models: " << formatted << " formatted (" << compiled
                           << " compile), " << refused << " refused for syntax errors; " << snippets
                           << " are inline snippets");
    CHECK(compiled >= 30);
    CHECK(refused >= 20);
    CHECK(snippets >= 20);
  }

  TEST_CASE("the example models are formatted (fmt --check passes on them)") {
    const auto examples = models_in(source_dir / "rules/examples");
    REQUIRE(examples.size() >= 4);
    for (const auto& path : examples) {
      INFO("model: " << path.string());
      const std::string text = read_text(path);
      const FormatResult r = format_model(text, path.string());
      CHECK(r.diagnostics.empty());
      CHECK(r.text == text);
    }
  }

  TEST_CASE("top-level items: one per line, blank lines kept but collapsed") {
    CHECK(fmt("\n\n# about\nmodel   \"m\"   version \"1\"\n\n\n\nscale 0   to 100\n\n\n") ==
          "# about\nmodel \"m\"\nversion \"1\"\n\nscale 0 to 100\n");
    CHECK(fmt("model \"m\" list a=[ \"x\" , \"y\" ] list b = file  \"l.txt\"\n") ==
          "model \"m\"\nlist a = [\"x\", \"y\"]\nlist b = file \"l.txt\"\n");
    // Signs stick to their number wherever the grammar takes a signed number.
    CHECK(fmt("model \"m\"\nscale -10 to 100\nlimit score to -5 when x > -1\n") ==
          "model \"m\"\nscale -10 to 100\nlimit score to -5 when x > -1\n");
  }

  TEST_CASE("bands and grades line up") {
    const std::string text = R"(model "m"
band hot>=70 "Hot"
band warmer >= 5.50
band cold "Cold"

band solo   >=1
band rest
grade fit_g A >= 30 "Great"
grade fit_g Bee >= 1
grade fit_g C "Poor"
grade act 1 >= 20
grade act 2
fit fit_g {
  a: +1 when x = 1
}
engagement act {
  b: +1 on visit
}
)";
    CHECK(fmt(text) == R"(model "m"
band hot    >= 70   "Hot"
band warmer >= 5.50
band cold           "Cold"

band solo >= 1
band rest
grade fit_g A   >= 30 "Great"
grade fit_g Bee >= 1
grade fit_g C         "Poor"
grade act 1 >= 20
grade act 2
fit fit_g {
  a: +1 when x = 1
}
engagement act {
  b: +1 on visit
}
)");
  }

  TEST_CASE("rule heads and points line up within a group") {
    const std::string text = R"(model "m"
fit profile cap 40 {
  enterprise "250+ employees": +15 when employees >= 250
  mid: +8 when employees between 50 and 249
  size: +(employees / 100) when employees is present
  long_points: +(employees / 10 + plants * 3) when employees is present
  student: -20 when job_title matches "student"
}
engagement activity decay half-life 30 days {
  visit: +1 on page_view cap 10
  webinar_attended: +15 on webinar once
}
)";
    CHECK(fmt(text) == R"(model "m"
fit profile cap 40 {
  enterprise "250+ employees": +15 when employees >= 250
  mid:                         +8  when employees between 50 and 249
  size:                        +(employees / 100) when employees is present
  long_points:                 +(employees / 10 + plants * 3) when employees is present
  student:                     -20 when job_title matches "student"
}
engagement activity decay half-life 30 days {
  visit:            +1  on page_view cap 10
  webinar_attended: +15 on webinar once
}
)");
  }

  TEST_CASE("spacing inside expressions") {
    const std::string text =
        "model \"m\"\n"
        "fit g {\n"
        "  a : + 15 when x>=3 and(y<2 or not z)\n"
        "  b: -( x*2+ - 3 ) when lead . region = \"emea\" and domain( email ) in [ \"a\" , 1 , ]\n"
        "  c: +12.50 when ratio != 0.10 and share > 25%\n"
        "  d: +1 when title = \"say \\\"hi\\\"\\tnow\\\\\" and not(-x < - 2)\n"
        "}\n"
        "engagement e decay 15% every 30 days {\n"
        "  s: +(sum( order.amount where amount>=1 within 3 days )/10) when count(any)>0\n"
        "  t: +1 on visit where ts>=\"2026-01-01\" limit 2 per 1 day decay half-life 3 days\n"
        "}\n";
    CHECK(fmt(text) ==
          "model \"m\"\n"
          "fit g {\n"
          "  a: +15    when x >= 3 and (y < 2 or not z)\n"
          "  b: -(x * 2 + -3) when lead.region = \"emea\" and domain(email) in [\"a\", 1]\n"
          "  c: +12.50 when ratio != 0.10 and share > 25%\n"
          "  d: +1     when title = \"say \\\"hi\\\"\\tnow\\\\\" and not (-x < -2)\n"
          "}\n"
          "engagement e decay 15% every 30 days {\n"
          "  s: +(sum(order.amount where amount >= 1 within 3 days) / 10) when count(any) > 0\n"
          "  t: +1 on visit where ts >= \"2026-01-01\" limit 2 per 1 day decay half-life 3 days\n"
          "}\n");
  }

  TEST_CASE("groups: one rule per line, no blank line after { or before }") {
    CHECK(fmt("model \"m\"\nfit g { a: +1 when x = 1 b: +2 when y = 2 }\nfit h {\n\n\n"
              "  c: +1 when z = 1\n\n\n  d: +1 when w = 1\n\n}\nfit empty {}\n") ==
          "model \"m\"\nfit g {\n  a: +1 when x = 1\n  b: +2 when y = 2\n}\nfit h {\n"
          "  c: +1 when z = 1\n\n  d: +1 when w = 1\n}\nfit empty {\n}\n");
  }

  TEST_CASE("a rule over several lines is joined unless longer than 100 columns") {
    CHECK(fmt("model \"m\"\nfit g {\n  a: +2\n     when x = 1\n     and y = 2\n}\n") ==
          "model \"m\"\nfit g {\n  a: +2 when x = 1 and y = 2\n}\n");
    const std::string long_rule =
        "model \"m\"\nfit g {\n"
        "  a: +2\n"
        "        when first_attribute_name = 1 and second_attribute_name = 2\n"
        "   and third_attribute_name = 3 and fourth_attribute_name = 4\n"
        "}\n";
    CHECK(fmt(long_rule) ==
          "model \"m\"\nfit g {\n"
          "  a: +2\n"
          "      when first_attribute_name = 1 and second_attribute_name = 2\n"
          "      and third_attribute_name = 3 and fourth_attribute_name = 4\n"
          "}\n");
    // Written on one line, it stays on one line however long: the formatter never breaks.
    const std::string one_line =
        "model \"m\"\nfit g {\n  a: +2 when first_attribute_name = 1 and second_attribute_name "
        "= 2 and third_attribute_name = 3 and fourth_attribute_name = 4\n}\n";
    CHECK(fmt(one_line) == one_line);
    // A long list keeps its lines; its closing bracket goes back to the item's indent.
    std::string entries;
    for (int i = 0; i < 8; ++i) entries += "  \"entry-number-" + std::to_string(i) + "\",\n";
    std::string expected_entries;
    for (int i = 0; i < 8; ++i) {
      expected_entries += "    \"entry-number-" + std::to_string(i) + "\",\n";
    }
    CHECK(fmt("model \"m\"\nlist l = [\n" + entries + "]\n") ==
          "model \"m\"\nlist l = [\n" + expected_entries + "]\n");
    CHECK(fmt("model \"m\"\nlist l = [\n  \"a\",\n  \"b\",\n]\n") ==
          "model \"m\"\nlist l = [\"a\", \"b\"]\n");
  }

  TEST_CASE("comments stay where they were") {
    const std::string text = R"(# file header

model "m"   # the name
# before the group
fit g cap 5 {   # group comment
  # about a
  a: +1 when x = 1   # leadscore: ignore LS012
  long_name: +2
      when y = 2  # leadscore: ignore LS014
    and z = 3
  # at the end of the group
}   # after the group
# the end
)";
    CHECK(fmt(text) == R"(# file header

model "m"  # the name
# before the group
fit g cap 5 {  # group comment
  # about a
  a:         +1 when x = 1  # leadscore: ignore LS012
  long_name: +2
      when y = 2  # leadscore: ignore LS014
      and z = 3
  # at the end of the group
}  # after the group
# the end
)");
  }

  TEST_CASE("`# leadscore: ignore` comments keep silencing the same warnings") {
    // Whatever the linter finds in this model is silenced on its line, in a messy layout.
    std::vector<std::string> lines = {"model  \"m\"",
                                      "list unused = [ \"a\" , \"a\" ]",
                                      "fit g cap 10 {",
                                      "  a : +50 when x=1",
                                      "  b: +1 when x = 1 and x = 2",
                                      "  c: +1",
                                      "     when count(visit) > 1",
                                      "}",
                                      "engagement e cap 5 {",
                                      "  v: +1 on visit cap 20",
                                      "  w: +1 when y > 1",
                                      "}",
                                      "limit score to 500 when g > 1"};
    auto join = [](const std::vector<std::string>& l) {
      std::string text;
      for (const auto& line : l) text += line + "\n";
      return text;
    };
    leadscore::CompileOptions lint;
    lint.lint = true;
    const auto warned = Model::compile(join(lines), "lint.score", lint);
    REQUIRE(warned.model != nullptr);
    std::size_t silenced = 0;
    for (const auto& d : warned.diagnostics) {
      if (d.severity != leadscore::Severity::warning || d.where.line == 0) continue;
      std::string& line = lines.at(d.where.line - 1);
      if (line.find('#') == std::string::npos) line += "   # leadscore: ignore";
      line += " " + d.code;
      ++silenced;
    }
    const std::string text = join(lines);
    const auto quiet = Model::compile(text, "lint.score", lint);
    const FormatResult r = format_model(text, "lint.score");
    REQUIRE(r.diagnostics.empty());
    CHECK(r.text != text);
    const auto after = Model::compile(r.text, "lint.score", lint);
    CHECK(codes(after.diagnostics) == codes(quiet.diagnostics));
    CHECK(comments_of(r.text).size() == comments_of(text).size());
    MESSAGE(silenced << " warnings silenced before and after formatting");
  }

  TEST_CASE("syntax errors: no text, the parser's diagnostics") {
    const FormatResult r =
        format_model("model \"m\"\nfit g {\n  a: +1 whn x = 1\n}\n", "bad.score");
    CHECK(r.text.empty());
    REQUIRE(r.diagnostics.size() >= 1);
    CHECK(r.diagnostics[0].code == "LS100");
    CHECK(r.diagnostics[0].where.file == "bad.score");
    CHECK(r.diagnostics[0].where.line == 3);

    CHECK(format_model("model \"m\nfit g {\n}\n", "s.score").diagnostics.at(0).code == "LS101");
    CHECK(format_model("model \"m\"\n# caf\xE9\n", "u.score").diagnostics.at(0).code == "LS103");
    CHECK(format_model("model \"m\"\nfit g {\n  a: +1 when x = 1\n", "o.score").text.empty());

    // Other errors do not stop formatting: the layout does not depend on them.
    const FormatResult unknown_list =
        format_model("model \"m\"\nfit g {\n  a: +1 when x   in nowhere\n}\n", "l.score");
    CHECK(unknown_list.diagnostics.empty());
    CHECK(unknown_list.text == "model \"m\"\nfit g {\n  a: +1 when x in nowhere\n}\n");
  }

  TEST_CASE("empty files, line ends and the byte-order mark") {
    CHECK(fmt("") == "");
    CHECK(fmt("\n  \n") == "");
    CHECK(fmt("# only a comment   \n\n\n# and another\n") == "# only a comment\n\n# and another\n");
    CHECK(fmt("model \"m\"\r\nfit g {\r\n  a: +1 when x = 1  # c\r\n}\r\n") ==
          "model \"m\"\nfit g {\n  a: +1 when x = 1  # c\n}\n");
    CHECK(fmt("\xEF\xBB\xBFmodel \"m\"\n") == "\xEF\xBB\xBFmodel \"m\"\n");
    CHECK(fmt("model \"m\"\n\tfit g {\n\t\ta: +1 when x = 1\n\t}") ==
          "model \"m\"\nfit g {\n  a: +1 when x = 1\n}\n");
  }

  TEST_CASE("keywords as names where the language allows them") {
    // Band and grade names may be keywords; `lead.` and `.property` take any word;
    // `half-lifes` is not the keyword `half-life` but a subtraction.
    const std::string text =
        "model \"m\"\nband limit >= 5\nband model\ngrade g band >= 1\n"
        "grade g fit\nfit g {\n  a: +(half-lifes) when lead.limit = 1\n"
        "  b: +(sum(order.model)) when count(order) > 0\n}\n";
    CHECK(fmt(text) ==
          "model \"m\"\nband limit >= 5\nband model\ngrade g band >= 1\n"
          "grade g fit\nfit g {\n  a: +(half - lifes) when lead.limit = 1\n"
          "  b: +(sum(order.model)) when count(order) > 0\n}\n");
  }

#ifdef LEADSCORE_CLI
  TEST_CASE("leadscore fmt: --check, --write and the exit codes") {
    auto run = [](const std::string& args, std::string& out) {
      auto result = run_command(std::string("\"") + LEADSCORE_CLI + "\" fmt " + args + " 2>&1");
      REQUIRE(result.exit_code >= 0);
      out = result.output;
      return result.exit_code;
    };
    TempDir dir;
    const std::string messy = "model  \"m\"\nfit g {  a: +1 when x=1 }\n";
    const std::string tidy = "model \"m\"\nfit g {\n  a: +1 when x = 1\n}\n";
    const fs::path a = dir.write("a.score", messy);
    const fs::path b = dir.write("b.score", tidy);
    const fs::path bad = dir.write("bad.score", "model \"m\"\nfit g {\n  a: +1 whn x = 1\n}\n");
    std::string out;

    CHECK(run("\"" + a.string() + "\"", out) == 0);
    CHECK(out == tidy);
    CHECK(read_text(a) == messy);  // printing leaves the file alone

    CHECK(run("--check \"" + a.string() + "\" \"" + b.string() + "\"", out) == 1);
    CHECK(out == a.string() + ": would be reformatted\n");
    CHECK(run("--check \"" + b.string() + "\"", out) == 0);
    CHECK(out.empty());

    CHECK(run("--write \"" + a.string() + "\" \"" + b.string() + "\"", out) == 0);
    CHECK(out.empty());
    CHECK(read_text(a) == tidy);
    CHECK(read_text(b) == tidy);
    CHECK(run("--check \"" + a.string() + "\"", out) == 0);
    std::size_t leftovers = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path)) ++leftovers;
    CHECK(leftovers == 3);  // no temporary file left behind

    CHECK(run("--write \"" + bad.string() + "\"", out) == 1);
    CHECK(out.find("bad.score:3:9: error:") != std::string::npos);
    CHECK(out.find("[LS100]") != std::string::npos);
    CHECK(read_text(bad).find("whn") != std::string::npos);

    CHECK(run("\"" + (dir.path / "missing.score").string() + "\"", out) == 2);
    CHECK(out.find("cannot read") != std::string::npos);
    CHECK(run("--check --write \"" + a.string() + "\"", out) == 2);
    CHECK(run("", out) == 2);
  }

  TEST_CASE("leadscore fmt --check passes on every example model") {
    std::string args = "--check";
    for (const auto& path : models_in(source_dir / "rules/examples")) {
      args += " \"" + path.string() + "\"";
    }
    auto result = run_command(std::string("\"") + LEADSCORE_CLI + "\" fmt " + args + " 2>&1");
    CHECK(result.exit_code == 0);
    CHECK(result.output.empty());
  }
#endif
}
