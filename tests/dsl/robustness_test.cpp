// Hostile input: oversized files, too many rules or list entries, absurd nesting, broken
// encodings and a deterministic mutation fuzz over the example models. The promise under test:
// compiling never crashes, hangs or throws, and a refused model always says why (an error).
// Inputs are built in memory; the few that must be files go to a private temporary folder.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "leadscore/leadscore.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using leadscore::CompileResult;
using leadscore::Diagnostic;
using leadscore::Model;

namespace {

CompileResult compile(const std::string& text, const std::string& name = "robust.score") {
  return Model::compile(text, name);
}

std::string codes(const CompileResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += (out.empty() ? "" : " ") + d.code;
  return out;
}

bool has_code(const CompileResult& r, const std::string& code) {
  return std::any_of(r.diagnostics.begin(), r.diagnostics.end(),
                     [&](const Diagnostic& d) { return d.code == code; });
}

// Refused, with the given error among the diagnostics.
void check_refused(const CompileResult& r, const std::string& code) {
  INFO("diagnostics: " << codes(r));
  CHECK(r.model == nullptr);
  CHECK(leadscore::has_errors(r.diagnostics));
  CHECK(has_code(r, code));
}

using leadscore::testing::TempDir;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// `model "t"` and one fit group around `rules`.
std::string in_group(const std::string& rules) {
  return "model \"t\"\nfit g {\n" + rules + "\n}\n";
}

std::string repeat(const std::string& piece, std::size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// `a = 1 or a = 1 or ...`, either on one line or one comparison per line.
std::string or_chain(std::size_t terms, bool one_line) {
  std::string out = "  r: +1 when a = 1";
  for (std::size_t i = 1; i < terms; ++i) out += one_line ? " or a = 1" : "\n    or a = 1";
  return in_group(out);
}

}  // namespace

TEST_SUITE("robustness") {
  TEST_CASE("a file over 4 MiB is refused before parsing (LS104)") {
    std::string big = "model \"big\"\n# " + std::string(5u << 20, 'x') + "\n";
    auto r = compile(big);
    check_refused(r, "LS104");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message.find("4 MiB") != std::string::npos);

    TempDir dir;
    fs::path file = dir.write("big.score", big);
    auto from_file = Model::compile_file(file);
    check_refused(from_file, "LS104");
    REQUIRE(from_file.diagnostics.size() == 1);
    CHECK(from_file.diagnostics[0].where.file == file.string());

    // Exactly at the limit is fine.
    std::string header = "model \"edge\"\n";
    std::string edge = header + "#" + std::string((4u << 20) - header.size() - 1, 'y');
    REQUIRE(edge.size() == 4u << 20);
    auto at_limit = compile(edge);
    CHECK_FALSE(has_code(at_limit, "LS104"));
    CHECK(at_limit.model != nullptr);
  }

  TEST_CASE("more than 10 000 rules (LS106)") {
    std::string rules;
    for (int i = 0; i < 10'001; ++i) rules += "  r" + std::to_string(i) + ": +1 when x = 1\n";
    auto r = compile(in_group(rules));
    check_refused(r, "LS106");
    // Reported once, at the first rule over the limit (line 3 is r0).
    std::size_t reported = 0;
    for (const auto& d : r.diagnostics) {
      if (d.code != "LS106") continue;
      ++reported;
      CHECK(d.where.line == 3 + 10'000);
    }
    CHECK(reported == 1);

    std::string fewer;
    for (int i = 0; i < 10'000; ++i) fewer += "  r" + std::to_string(i) + ": +1 when x = 1\n";
    auto ok = compile(in_group(fewer));
    INFO(codes(ok));
    CHECK(ok.model != nullptr);
  }

  TEST_CASE("a list literal with more than 100 000 entries (LS107)") {
    auto literal = [](int n) {
      std::string out = "model \"t\"\nlist big = [";
      for (int i = 0; i < n; ++i) out += (i ? ", \"e" : "\"e") + std::to_string(i) + "\"";
      return out + "]\nfit g { r: +1 when x in big }\n";
    };
    auto r = compile(literal(100'001));
    check_refused(r, "LS107");
    auto ok = compile(literal(100'000));
    INFO(codes(ok));
    CHECK(ok.model != nullptr);
  }

  TEST_CASE("a list file with more than 100 000 entries (LS107)") {
    TempDir dir;
    std::string lines = "# one entry per line\n\n";
    for (int i = 0; i < 100'000; ++i) lines += "  entry" + std::to_string(i) + "  \n";
    dir.write("ok.txt", lines);
    dir.write("over.txt", lines + "one_more\n");
    fs::path ok_model = dir.write(
        "ok.score", "model \"t\"\nlist big = file \"ok.txt\"\nfit g { r: +1 when x in big }\n");
    fs::path over_model = dir.write(
        "over.score", "model \"t\"\nlist big = file \"over.txt\"\nfit g { r: +1 when x in big }\n");
    auto ok = Model::compile_file(ok_model);
    INFO(codes(ok));
    CHECK(ok.model != nullptr);
    auto over = Model::compile_file(over_model);
    check_refused(over, "LS107");
    REQUIRE_FALSE(over.diagnostics.empty());
    CHECK(over.diagnostics[0].where.line == 2);
  }

  // A line that is a number is stored twice (as text and as a number); the limit counts
  // lines, so 60 000 zip codes are well within it.
  TEST_CASE("a list file of 60 000 numbers is within the limit") {
    TempDir dir;
    std::string lines;
    for (int i = 0; i < 60'000; ++i) lines += std::to_string(10'000 + i) + "\n";
    dir.write("zips.txt", lines);
    fs::path model =
        dir.write("zips.score",
                  "model \"t\"\nlist zips = file \"zips.txt\"\nfit g { r: +1 when zip in zips }\n");
    auto r = Model::compile_file(model);
    INFO(codes(r));
    CHECK(r.model != nullptr);
    CHECK_FALSE(has_code(r, "LS107"));
  }

  TEST_CASE("deep parentheses (LS105) without overflowing the stack") {
    for (std::size_t depth : {std::size_t(1'000), std::size_t(100'000)}) {
      CAPTURE(depth);
      auto condition = compile(
          in_group("  r: +1 when " + std::string(depth, '(') + "x = 1" + std::string(depth, ')')));
      check_refused(condition, "LS105");
      auto points = compile(
          in_group("  r: +" + std::string(depth, '(') + "x" + std::string(depth, ')') + " when y"));
      check_refused(points, "LS105");
      // Unclosed: still the depth error, not a crash.
      auto open = compile(in_group("  r: +1 when " + std::string(depth, '(')));
      CHECK(open.model == nullptr);
      CHECK(leadscore::has_errors(open.diagnostics));
    }
    // Reasonable nesting is fine.
    auto fine =
        compile(in_group("  r: +1 when " + std::string(50, '(') + "x = 1" + std::string(50, ')')));
    INFO(codes(fine));
    CHECK(fine.model != nullptr);
  }

  TEST_CASE("long chains of unary operators (LS105)") {
    check_refused(compile(in_group("  r: +1 when " + repeat("not ", 100'000) + "x")), "LS105");
    check_refused(compile(in_group("  r: +(" + repeat("- ", 100'000) + "x) when y")), "LS105");
    check_refused(compile(in_group("  r: +(" + repeat("-", 100'000) + "x) when y")), "LS105");
    check_refused(compile(in_group("  r: +1 when x = " + repeat("-", 100'000) + "1")), "LS105");
    // A few are fine.
    auto fine = compile(in_group("  r: +(- - -x) when not not not y = 1"));
    INFO(codes(fine));
    CHECK(fine.model != nullptr);
  }

  TEST_CASE("100 000 terms of `a + a + ...` give a diagnostic, not a crash") {
    std::string sum = "a";
    for (int i = 1; i < 100'000; ++i) sum += " + a";
    auto r = compile(in_group("  r: +(" + sum + ") when y = 1"));
    CHECK(r.model == nullptr);
    CHECK(leadscore::has_errors(r.diagnostics));
    CHECK(r.diagnostics.size() == 1);
    CHECK(has_code(r, "LS105"));
    // The same in a condition, with `*`.
    std::string product = "a";
    for (int i = 1; i < 100'000; ++i) product += " * a";
    auto c = compile(in_group("  r: +1 when " + product + " > 1"));
    CHECK(c.model == nullptr);
    CHECK(leadscore::has_errors(c.diagnostics));
  }

  TEST_CASE("25 000-term `or` and `and` chains compile: they are flat, not nested") {
    auto ors = compile(or_chain(25'000, false));
    INFO(codes(ors));
    CHECK(ors.model != nullptr);
    std::string ands = "  r: +1 when a = 1";
    for (int i = 1; i < 25'000; ++i) ands += "\n    and b != 2";
    auto both = compile(in_group(ands));
    INFO(codes(both));
    CHECK(both.model != nullptr);
  }

  TEST_CASE("invalid UTF-8 is reported at its line and column (LS103)") {
    // Line 4: `  b "Größe": +1 when x = "ab` is 28 characters, then the bad byte.
    std::string text = in_group(
        "  a: +1 when x = 1\n"
        "  b \"Gr\xC3\xB6\xC3\x9F"
        "e\": +1 when x = \"ab\xFF"
        "c\"");
    auto r = compile(text);
    check_refused(r, "LS103");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].where.line == 4);
    CHECK(r.diagnostics[0].where.column == 29);

    // In a comment, and a truncated sequence at the very end of the file.
    auto comment = compile("model \"t\"\n# caf\xC3\n");
    check_refused(comment, "LS103");
    REQUIRE_FALSE(comment.diagnostics.empty());
    CHECK(comment.diagnostics[0].where.line == 2);
    CHECK(comment.diagnostics[0].where.column == 6);
    check_refused(compile("model \"t\xE2\x82"), "LS103");
    // Overlong encodings and surrogates are not UTF-8 either.
    check_refused(compile("model \"\xC0\xAF\"\n"), "LS103");
    check_refused(compile("model \"\xED\xA0\x80\"\n"), "LS103");
  }

  TEST_CASE("NUL bytes") {
    auto in_rule = compile(in_group(std::string("  a: +1 when x = 1\0", 19)));
    CHECK(in_rule.model == nullptr);
    CHECK(leadscore::has_errors(in_rule.diagnostics));
    auto first = compile(std::string("\0model \"t\"\n", 11));
    CHECK(first.model == nullptr);
    CHECK(leadscore::has_errors(first.diagnostics));
    auto only = compile(std::string(100, '\0'));
    CHECK(only.model == nullptr);
    CHECK(leadscore::has_errors(only.diagnostics));
  }

  // The message quotes the offending character as is ("unexpected `<NUL>` after rule `a`"),
  // so a raw NUL ends up in the text shown to the user and cuts the message short in C-string
  // based tools. It should name it instead (as it does for "a non-ASCII character").
  TEST_CASE("a message never contains a raw NUL byte") {
    auto r = compile(in_group(std::string("  a: +1 when x = 1\0", 19)));
    REQUIRE_FALSE(r.diagnostics.empty());
    for (const auto& d : r.diagnostics) {
      CHECK(d.message.find('\0') == std::string::npos);
      CHECK(d.hint.find('\0') == std::string::npos);
    }
  }

  TEST_CASE("empty files and files of comments only") {
    for (const std::string& text :
         {std::string(), std::string("\n\n\n"), std::string("   \t  "),
          std::string("# nothing here\n# still nothing\n"), std::string("# no newline at the end"),
          std::string("#\r\n#\r\n")}) {
      CAPTURE(text);
      auto r = compile(text);
      check_refused(r, "LS400");
    }
  }

  TEST_CASE("1 MB on a single line") {
    const std::size_t mb = 1u << 20;
    // A valid model whose one line holds a 1 MB string.
    auto text = "model \"t\" fit g { a: +1 when x = \"" + std::string(mb, 'a') + "\" }";
    auto r = compile(text);
    INFO(codes(r));
    CHECK(r.model != nullptr);
    CHECK(r.diagnostics.empty());

    // A whole model of 9 000 rules on one 1 MB line.
    std::string rules = "model \"t\" fit g {";
    for (int i = 0; i < 9'000; ++i) {
      rules += " r" + std::to_string(i) + " \"" + std::string(30, 'L') + "\": +1 when x = \"" +
               std::string(50, 'v') + "\"";
    }
    rules += " }";
    REQUIRE(rules.size() > 900'000);
    auto many = compile(rules);
    INFO(codes(many));
    CHECK(many.model != nullptr);

    // A 1 MB comment.
    auto comment =
        compile("model \"t\" # " + std::string(mb, '#') + "\nfit g { a: +1 when x = 1 }\n");
    CHECK(comment.model != nullptr);

    // 1 MB of nonsense on one line: an error whose quoted source line stays short.
    std::string junk = "model \"t\" fit g { a: +1 when x = 1 ";
    while (junk.size() < mb) junk += "@#$ ";
    auto bad = compile(junk);
    CHECK(bad.model == nullptr);
    REQUIRE(leadscore::has_errors(bad.diagnostics));
    for (const auto& d : bad.diagnostics) CHECK(d.source_line.size() < 1'000);

    // A 1 MB list on one line.
    std::string list = "model \"t\" list l = [";
    for (int i = 0; list.size() < mb; ++i) list += "\"item" + std::to_string(i) + "\", ";
    list += "] fit g { a: +1 when x in l }";
    auto listed = compile(list);
    INFO(codes(listed));
    CHECK(listed.model != nullptr);
  }

  TEST_CASE("mutation fuzz over the example models") {
    fs::path examples = fs::path(LEADSCORE_SOURCE_DIR) / "rules/examples";
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(examples)) {
      if (entry.path().extension() == ".score") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    REQUIRE(paths.size() >= 2);
    std::vector<std::string> bases;
    for (const auto& p : paths) {
      bases.push_back(read_text(p));
      // The examples themselves compile.
      auto clean = Model::compile(bases.back(), p.string());
      INFO(p.string() << ": " << codes(clean));
      CHECK(clean.model != nullptr);
    }

    static const char* const tokens[] = {"(",
                                         ")",
                                         "[",
                                         "]",
                                         "{",
                                         "}",
                                         "\"",
                                         ":",
                                         ",",
                                         ".",
                                         "+",
                                         "-",
                                         "*",
                                         "/",
                                         "%",
                                         "=",
                                         "!=",
                                         "<",
                                         ">=",
                                         "#",
                                         "\n",
                                         "\r\n",
                                         "\t",
                                         " ",
                                         "\\",
                                         "\\q",
                                         "0",
                                         "-1",
                                         "25%",
                                         "1.5",
                                         "99999999999999999999999999999999999999",
                                         "1e999",
                                         "x",
                                         "lead.",
                                         "lead.x",
                                         "ts",
                                         "any",
                                         "model",
                                         "version",
                                         "scale",
                                         "to",
                                         "band",
                                         "grade",
                                         "list",
                                         "file",
                                         "fit",
                                         "engagement",
                                         "cap",
                                         "floor",
                                         "decay",
                                         "half-life",
                                         "linear",
                                         "every",
                                         "none",
                                         "no",
                                         "within",
                                         "limit",
                                         "unless",
                                         "when",
                                         "on",
                                         "where",
                                         "once",
                                         "per",
                                         "and",
                                         "or",
                                         "not",
                                         "in",
                                         "not in",
                                         "between",
                                         "contains",
                                         "starts with",
                                         "ends with",
                                         "matches",
                                         "matches \"(\"",
                                         "matches \"a**\"",
                                         "is missing",
                                         "is present",
                                         "true",
                                         "false",
                                         "hours",
                                         "days",
                                         "weeks",
                                         "count(",
                                         "sum(",
                                         "days_since_last(",
                                         "domain(",
                                         "lower(",
                                         "length(",
                                         "days_since(",
                                         "count(any)",
                                         "r: +1 when x = 1",
                                         "limit score to 0 when x",
                                         "band z",
                                         "\"2026-13-45\"",
                                         "ts >= \"2026-06-01\"",
                                         "\xC3\xA9",
                                         "\xF0\x9F\x98\x80",
                                         "\xFF",
                                         "" /* a NUL byte */,
                                         "grade g A >= 1",
                                         "list q = file \"missing.txt\"",
                                         "list q = []",
                                         "(((((((((("};
    const std::string nul(1, '\0');

    // LEADSCORE_FUZZ_ITERATIONS and LEADSCORE_FUZZ_SEED widen the search by hand; the
    // defaults keep the suite fast and deterministic.
    int iterations = 3'000;
    unsigned seed = 20261123u;
    if (const char* n = std::getenv("LEADSCORE_FUZZ_ITERATIONS")) iterations = std::atoi(n);
    if (const char* n = std::getenv("LEADSCORE_FUZZ_SEED")) seed = unsigned(std::atol(n));
    std::mt19937 rng(seed);
    auto pick = [&](std::size_t n) {
      return n == 0 ? std::size_t(0) : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
    };

    // A lead and some events to run whatever still compiles.
    leadscore::Lead lead;
    lead.versions.push_back({std::nullopt,
                             {{"employees", leadscore::Value::number(500)},
                              {"industry", leadscore::Value::string("Energy")},
                              {"email", leadscore::Value::string("jane@gmail.com")},
                              {"job_title", leadscore::Value::string("VP Operations")},
                              {"country", leadscore::Value::string("DE")}}});
    const leadscore::Timestamp as_of = 1782777600000;  // 2026-06-30
    std::vector<leadscore::Event> events;
    for (const char* type : {"page_view", "form_submit", "email_open", "email_click",
                             "webinar_registered", "webinar_attended", "rfq_submitted"}) {
      for (int day = 1; day <= 3; ++day) {
        events.push_back({type,
                          as_of - day * 86'400'000LL,
                          {{"url", leadscore::Value::string("/pricing")},
                           {"form", leadscore::Value::string("demo")},
                           {"minutes", leadscore::Value::number(30)}}});
      }
    }

    int compiled = 0, refused = 0;
    std::vector<std::string> problems;
    int i = 0;
    for (; i < iterations; ++i) {
      std::size_t which = pick(bases.size());
      std::string text = bases[which];
      int edits = 1 + int(pick(3));
      for (int e = 0; e < edits; ++e) {
        std::size_t at = pick(text.size() + 1);
        std::size_t len = 1 + pick(24);
        switch (pick(5)) {
          case 0:  // delete a range
            text.erase(at, len);
            break;
          case 1: {  // insert random bytes
            std::string bytes;
            for (std::size_t k = 0; k < len % 6 + 1; ++k) bytes += char(pick(256));
            text.insert(at, bytes);
            break;
          }
          case 2: {  // duplicate a range somewhere else
            std::string piece = text.substr(pick(text.size() + 1), len * 4);
            text.insert(pick(text.size() + 1), piece);
            break;
          }
          case 3: {  // insert a token
            std::string token = tokens[pick(std::size(tokens))];
            if (token.empty()) token = nul;
            text.insert(at, token);
            break;
          }
          default:  // overwrite one byte
            if (!text.empty()) text[pick(text.size())] = char(pick(128));
            break;
        }
      }

      CompileResult r;
      try {
        r = Model::compile(text, paths[which].string());
      } catch (const std::exception& ex) {
        problems.push_back("iteration " + std::to_string(i) + ": threw " + ex.what());
        continue;
      } catch (...) {
        problems.push_back("iteration " + std::to_string(i) + ": threw a non-exception");
        continue;
      }
      const std::size_t lines = std::size_t(std::count(text.begin(), text.end(), '\n')) + 1;
      for (const auto& d : r.diagnostics) {
        if (d.code == "LS999") {
          problems.push_back("iteration " + std::to_string(i) + ": internal error: " + d.message);
        }
        if (d.where.line > lines || (d.where.line > 0 && d.where.column == 0)) {
          problems.push_back("iteration " + std::to_string(i) + ": bad position " +
                             std::to_string(d.where.line) + ":" + std::to_string(d.where.column));
        }
        if (d.code.empty() || d.message.empty()) {
          problems.push_back("iteration " + std::to_string(i) + ": empty code or message");
        }
      }
      if (r.model) {
        ++compiled;
        if (leadscore::has_errors(r.diagnostics)) {
          problems.push_back("iteration " + std::to_string(i) + ": a model despite errors");
        }
        leadscore::Score s = r.model->evaluate(lead, events, as_of);
        if (s.rules.size() != r.model->rule_names().size()) {
          problems.push_back("iteration " + std::to_string(i) + ": rules missing from the score");
        }
      } else {
        ++refused;
        if (!leadscore::has_errors(r.diagnostics)) {
          problems.push_back("iteration " + std::to_string(i) + ": refused without an error");
        }
      }
      if (problems.size() > 20) break;
    }
    MESSAGE("mutation fuzz: " << compiled << " compiled, " << refused << " refused");
    INFO("first problems:\n"
         << [&] {
              std::string out;
              for (std::size_t k = 0; k < problems.size() && k < 10; ++k) out += problems[k] + "\n";
              return out;
            }());
    CHECK(problems.empty());
    CHECK(compiled + refused == i);
    CHECK(refused > 0);
  }
}
