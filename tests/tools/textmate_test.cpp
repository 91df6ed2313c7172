// The editor grammar (tools/editors/) and the CI recipe (tools/ci/) are data files that no
// build step reads, so these tests are what keeps them honest: the grammar must be well
// formed, cover every keyword the language reference lists, and match what its scopes claim;
// the VS Code extension must point at it; the workflow must be valid YAML that only calls
// leadscore sub-commands the command line really has.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using nlohmann::json;

namespace {

const std::string source_dir = LEADSCORE_SOURCE_DIR;
const std::string grammar_path = source_dir + "/tools/editors/leadscore.tmLanguage.json";
const std::string workflow_path = source_dir + "/tools/ci/leadscore-rules.yml";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json load_json(const std::string& path) {
  return json::parse(read_text(path));
}

const json& grammar() {
  static const json loaded = load_json(grammar_path);
  return loaded;
}

// One regular expression of the grammar and where it sits, for messages.
struct Regex {
  std::string where;  // e.g. grammar.repository.rule-head.match
  std::string text;
};

// Walks every object of the grammar: `visit(object, where)` for each.
void walk(const json& node, const std::string& where,
          const std::function<void(const json&, const std::string&)>& visit) {
  if (node.is_object()) {
    visit(node, where);
    for (const auto& [key, child] : node.items()) walk(child, where + "." + key, visit);
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      walk(node[i], where + "[" + std::to_string(i) + "]", visit);
    }
  }
}

std::vector<Regex> regexes_of(const json& node, const std::string& where) {
  std::vector<Regex> found;
  walk(node, where, [&](const json& object, const std::string& at) {
    for (const char* key : {"match", "begin", "end", "while"}) {
      if (object.contains(key) && object[key].is_string()) {
        found.push_back({at + "." + key, object[key].get<std::string>()});
      }
    }
  });
  return found;
}

std::vector<Regex> all_regexes() {
  return regexes_of(grammar(), "grammar");
}

// Constructs of Oniguruma (TextMate's engine) that ECMAScript std::regex does not have:
// look-behind, named groups and back-references, atomic groups, possessive quantifiers,
// inline options and comments, \h \A \z \Z \G, and Unicode properties.
bool oniguruma_only(const std::string& regex) {
  static const std::vector<std::string> markers = {
      "(?<=", "(?<!", "(?<", "(?>", "(?i", "(?x", "(?m", "(?#", "*+",  "++",  "?+",
      "}+",   "\\h",  "\\H", "\\A", "\\z", "\\Z", "\\G", "\\k", "\\p", "\\R", "\\X"};
  for (const auto& marker : markers) {
    if (regex.find(marker) != std::string::npos) return true;
  }
  return false;
}

std::regex ecmascript(const std::string& regex) {
  return std::regex(regex, std::regex::ECMAScript);
}

// The words a regular expression spells out: escapes (\b, \s, \.) become separators, and
// so does every character that cannot be part of a keyword (keywords may hold a `-`).
std::set<std::string> words_of(const std::string& regex) {
  std::set<std::string> words;
  std::string word;
  for (std::size_t i = 0; i < regex.size(); ++i) {
    const char c = regex[i];
    const bool part = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
    if (c == '\\') ++i;  // skip the escaped character too
    if (part && c != '\\') {
      word += c;
    } else if (!word.empty()) {
      words.insert(word);
      word.clear();
    }
  }
  if (!word.empty()) words.insert(word);
  return words;
}

// The keyword list of dsl/LANGUAGE.md: the back-quoted text after the "## Keywords" heading.
std::vector<std::string> language_keywords() {
  const std::string reference = read_text(source_dir + "/dsl/LANGUAGE.md");
  const auto heading = reference.find("\n## Keywords");
  REQUIRE_MESSAGE(heading != std::string::npos, "dsl/LANGUAGE.md has no \"## Keywords\" section");
  const auto open = reference.find('`', heading);
  REQUIRE(open != std::string::npos);
  const auto close = reference.find('`', open + 1);
  REQUIRE(close != std::string::npos);
  std::istringstream list(reference.substr(open + 1, close - open - 1));
  std::vector<std::string> keywords;
  for (std::string word; list >> word;) keywords.push_back(word);
  return keywords;
}

// The words of the plain keyword rules whose scope name starts with `prefix`.
std::set<std::string> keyword_words_scoped(const std::string& prefix) {
  std::set<std::string> words;
  for (const auto& pattern : grammar()["repository"]["keywords"]["patterns"]) {
    const std::string name = pattern.value("name", "");
    if (name.rfind(prefix, 0) != 0) continue;
    for (const auto& word : words_of(pattern.value("match", ""))) words.insert(word);
  }
  return words;
}

// The `match` (or `begin`) of a repository entry, or of its index-th pattern, as std::regex.
std::regex entry_regex(const std::string& entry, std::size_t index = 0) {
  const json& node = grammar()["repository"][entry];
  const json& pattern =
      node.contains("patterns") && !node.contains("begin") ? node["patterns"][index] : node;
  const std::string text = pattern.contains("match") ? pattern["match"].get<std::string>()
                                                     : pattern["begin"].get<std::string>();
  REQUIRE_FALSE(oniguruma_only(text));
  return ecmascript(text);
}

// `leadscore SUBCOMMAND` invocations in a shell script: the word after each `leadscore`.
std::vector<std::string> leadscore_subcommands(const std::string& script) {
  std::vector<std::string> found;
  std::istringstream lines(script);
  for (std::string line; std::getline(lines, line);) {
    std::string cleaned;
    for (char c : line)
      cleaned += (c == ';' || c == '|' || c == '&' || c == '(' || c == ')' || c == '"' || c == '\'')
                     ? ' '
                     : c;
    std::istringstream words(cleaned);
    std::vector<std::string> tokens;
    for (std::string word; words >> word;) {
      if (word[0] == '#') break;  // a shell comment
      tokens.push_back(word);
    }
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i] == "leadscore") found.push_back(i + 1 < tokens.size() ? tokens[i + 1] : "");
    }
  }
  return found;
}

std::string joined(const std::set<std::string>& words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
  return text;
}

// The sub-commands the command line dispatches, read from its table in tools/cli/main.cpp.
std::set<std::string> cli_subcommands() {
  const std::string main_cpp = read_text(source_dir + "/tools/cli/main.cpp");
  static const std::regex entry(R"re(\{"([a-z]+)",\s*run_[a-z_]+\})re");
  std::set<std::string> names;
  for (std::sregex_iterator it(main_cpp.begin(), main_cpp.end(), entry), end; it != end; ++it) {
    names.insert((*it)[1].str());
  }
  return names;
}

}  // namespace

TEST_SUITE("textmate") {
  TEST_CASE("the grammar is a TextMate grammar for .score files") {
    const json& g = grammar();
    REQUIRE(g.is_object());
    CHECK(g.value("scopeName", "") == "source.leadscore");
    REQUIRE(g.contains("fileTypes"));
    CHECK(g["fileTypes"] == json::array({"score"}));
    REQUIRE(g.contains("patterns"));
    CHECK(g["patterns"].is_array());
    CHECK_FALSE(g["patterns"].empty());
    REQUIRE(g.contains("repository"));
    CHECK(g["repository"].is_object());
  }

  TEST_CASE("every pattern is well formed and every include resolves") {
    const json& repository = grammar()["repository"];
    std::size_t includes = 0;
    walk(grammar(), "grammar", [&](const json& object, const std::string& at) {
      for (const char* key : {"match", "begin", "end", "while"}) {
        if (!object.contains(key)) continue;
        INFO(at << "." << key);
        REQUIRE(object[key].is_string());
        CHECK_FALSE(object[key].get<std::string>().empty());
      }
      // A begin needs its end (or while), and an end its begin.
      if (object.contains("begin")) {
        INFO(at);
        CHECK((object.contains("end") || object.contains("while")));
      }
      if (object.contains("end") && !object.contains("begin"))
        FAIL_CHECK(at << ": end without begin");
      if (object.contains("include")) {
        ++includes;
        const std::string target = object["include"].get<std::string>();
        INFO(at << ".include = " << target);
        if (target == "$self" || target == "$base") return;
        REQUIRE(target.size() > 1);
        REQUIRE(target[0] == '#');
        CHECK(repository.contains(target.substr(1)));
      }
    });
    CHECK(includes > 0);
  }

  TEST_CASE("every regular expression compiles as ECMAScript where the syntax is shared") {
    // TextMate editors use Oniguruma. std::regex (ECMAScript) shares most of its syntax but not
    // all of it, so a pattern with an Oniguruma-only construct (see oniguruma_only) is skipped
    // here rather than reported (today that is the look-behind that starts the regular
    // expression after `matches`): this is a sanity check, not a second implementation.
    std::size_t compiled = 0;
    std::string skipped;
    for (const auto& regex : all_regexes()) {
      if (oniguruma_only(regex.text)) {
        skipped += " " + regex.where;
        continue;
      }
      INFO(regex.where << ": " << regex.text);
      CHECK_NOTHROW(ecmascript(regex.text));
      ++compiled;
    }
    INFO("not checked (Oniguruma syntax):" << skipped);
    CHECK(compiled > 20);
    CHECK(skipped.size() < 200);  // only a few patterns need Oniguruma-only syntax
  }

  TEST_CASE("every keyword of the language reference is highlighted") {
    const auto keywords = language_keywords();
    REQUIRE(keywords.size() >= 40);  // 49 when this was written
    std::set<std::string> anywhere;
    for (const auto& regex : all_regexes()) {
      for (const auto& word : words_of(regex.text)) anywhere.insert(word);
    }
    // Context rules (rule heads, declarations...) may fail to match half-typed code, so every
    // keyword must also be in the plain keyword rules that colour it on its own.
    std::set<std::string> plain;
    for (const auto& pattern : grammar()["repository"]["keywords"]["patterns"]) {
      for (const auto& word : words_of(pattern.value("match", ""))) plain.insert(word);
    }
    for (const auto& keyword : keywords) {
      INFO("keyword `" << keyword << "` (dsl/LANGUAGE.md)");
      CHECK(anywhere.count(keyword) == 1);
      CHECK(plain.count(keyword) == 1);
    }
  }

  TEST_CASE("keywords get the scopes of their kind") {
    const auto structure = keyword_words_scoped("storage.type");
    const auto other = keyword_words_scoped("keyword.other");
    for (const char* word : {"model", "version", "scale", "band", "grade", "list", "file", "fit",
                             "engagement", "limit"}) {
      INFO(word);
      CHECK((structure.count(word) + other.count(word)) == 1);
    }
    const auto control = keyword_words_scoped("keyword.control");
    for (const char* word : {"when", "on", "where", "once", "cap", "floor", "within", "decay",
                             "half-life", "linear", "every", "none", "no", "per", "unless"}) {
      INFO(word);
      CHECK(control.count(word) == 1);
    }
    const auto operators = keyword_words_scoped("keyword.operator");
    for (const char* word : {"and", "or", "not", "in", "between", "contains", "starts", "ends",
                             "with", "matches", "is", "missing", "present"}) {
      INFO(word);
      CHECK(operators.count(word) == 1);
    }
    CHECK(joined(keyword_words_scoped("constant.language")) == "false true");
    CHECK(joined(keyword_words_scoped("variable.language")) == "any lead");
  }

  TEST_CASE("the main patterns match what their scopes say") {
    // std::regex stands in for Oniguruma here; these patterns use only the shared syntax.
    std::smatch m;

    const auto rule_head = entry_regex("rule-head");
    const std::string labelled = R"(  enterprise "1000+ employees: big":   +20 when x >= 1)";
    REQUIRE(std::regex_search(labelled, m, rule_head));
    CHECK(m[1].str() == "enterprise");
    CHECK(m[2].str() == R"("1000+ employees: big")");
    CHECK(m[4].str() == "+");
    CHECK(m[5].str() == "20");
    const std::string expression_points = "minutes: -(minutes / 10) on webinar_attend";
    REQUIRE(std::regex_search(expression_points, m, rule_head));
    CHECK(m[1].str() == "minutes");
    CHECK(m[4].str() == "-");
    CHECK_FALSE(m[5].matched);

    const auto duration = entry_regex("duration");
    for (const char* text : {"3 hours", "1 hour", "21 days", "1 day", "2 weeks", "1.5 week"}) {
      INFO(text);
      CHECK(std::regex_match(std::string(text), duration));
    }
    CHECK_FALSE(std::regex_match(std::string("21 dayz"), duration));
    CHECK(std::regex_match(std::string("15%"), entry_regex("percentage")));
    CHECK(std::regex_match(std::string("12.5"), entry_regex("number")));

    const auto band = entry_regex("declarations", 0);
    const std::string band_line = "band lead >= 10";
    REQUIRE(std::regex_search(band_line, m, band));
    CHECK(m[2].str() == "lead");  // band names may be keywords
    const auto grade = entry_regex("declarations", 1);
    const std::string grade_line = "grade activity 1 >= 3";
    REQUIRE(std::regex_search(grade_line, m, grade));
    CHECK(m[2].str() == "activity");
    CHECK(m[3].str() == "1");
    const auto group = entry_regex("declarations", 3);
    const std::string group_line = "engagement intent cap 60 {";
    REQUIRE(std::regex_search(group_line, m, group));
    CHECK(m[2].str() == "intent");

    const auto directive = entry_regex("ignore-directive");
    CHECK(std::regex_search(std::string(" leadscore: ignore LS012"), directive));
    // The compiler looks for exactly "leadscore: ignore"; so does the grammar.
    CHECK_FALSE(std::regex_search(std::string(" leadscore:ignore LS012"), directive));

    const auto escapes = entry_regex("string-escape", 0);
    for (const char* text : {R"(\")", R"(\\)", R"(\n)", R"(\t)"}) {
      INFO(text);
      CHECK(std::regex_match(std::string(text), escapes));
    }
    CHECK_FALSE(std::regex_match(std::string(R"(\q)"), escapes));
    CHECK(std::regex_match(std::string(R"(\q)"), entry_regex("string-escape", 1)));
    CHECK(grammar()["repository"]["string-escape"]["patterns"][1]["name"].get<std::string>().rfind(
              "invalid.illegal", 0) == 0);
    CHECK(grammar()["repository"]["comment"]["name"].get<std::string>().rfind(
              "comment.line.number-sign", 0) == 0);
  }

  TEST_CASE("the VS Code extension contributes this grammar") {
    const json package = load_json(source_dir + "/tools/editors/vscode/package.json");
    const json& contributes = package["contributes"];
    REQUIRE(contributes["languages"].is_array());
    REQUIRE(contributes["grammars"].is_array());
    const json& language = contributes["languages"][0];
    CHECK(language["extensions"] == json::array({".score"}));
    const json& contributed = contributes["grammars"][0];
    CHECK(contributed["language"] == language["id"]);
    CHECK(contributed["scopeName"] == grammar()["scopeName"]);
    const std::string path = contributed["path"].get<std::string>();
    CHECK(path.size() > std::string("leadscore.tmLanguage.json").size());
    CHECK(path.substr(path.rfind('/') + 1) == "leadscore.tmLanguage.json");

    const json configuration = load_json(source_dir + "/tools/editors/vscode/" +
                                         language["configuration"].get<std::string>());
    CHECK(configuration["comments"]["lineComment"] == "#");
    for (const char* pair : {"{}", "[]", "()"}) {
      INFO(pair);
      CHECK(std::find(configuration["brackets"].begin(), configuration["brackets"].end(),
                      json::array({std::string(1, pair[0]), std::string(1, pair[1])})) !=
            configuration["brackets"].end());
    }
  }

  TEST_CASE("the CI workflow is a well-formed GitHub Actions workflow") {
    YAML::Node workflow;
    REQUIRE_NOTHROW(workflow = YAML::LoadFile(workflow_path));
    REQUIRE(workflow.IsMap());
    REQUIRE(workflow["on"].IsMap());
    CHECK(workflow["on"]["push"].IsDefined());
    CHECK(workflow["on"]["pull_request"].IsDefined());
    CHECK(workflow["permissions"]["security-events"].as<std::string>() == "write");
    CHECK_FALSE(workflow["env"]["LEADSCORE_REPO"].as<std::string>().empty());
    CHECK_FALSE(workflow["env"]["LEADSCORE_REF"].as<std::string>().empty());

    REQUIRE(workflow["jobs"].IsMap());
    REQUIRE(workflow["jobs"].size() == 1);
    const YAML::Node job = workflow["jobs"].begin()->second;
    CHECK(job["runs-on"].as<std::string>() == "ubuntu-latest");
    CHECK(job["container"].as<std::string>() == "debian:12");
    REQUIRE(job["steps"].IsSequence());

    std::map<std::string, YAML::Node> uses;  // action (without @version) -> step
    std::size_t runs = 0;
    for (const auto& step : job["steps"]) {
      REQUIRE(step.IsMap());
      const std::string name = step["name"] ? step["name"].as<std::string>() : "";
      INFO("step: " << name);
      CHECK_FALSE(name.empty());
      CHECK(step["run"].IsDefined() != step["uses"].IsDefined());  // one or the other
      if (step["uses"]) {
        const std::string action = step["uses"].as<std::string>();
        CHECK(action.find('@') != std::string::npos);  // pinned to a version
        uses.emplace(action.substr(0, action.find('@')), step);
      }
      if (step["run"]) {
        ++runs;
        CHECK_FALSE(step["run"].as<std::string>().empty());
      }
    }
    CHECK(runs >= 5);
    CHECK(uses.count("actions/checkout") == 1);
    CHECK(uses.count("actions/cache") == 1);
    REQUIRE(uses.count("github/codeql-action/upload-sarif") == 1);
    CHECK(uses["github/codeql-action/upload-sarif"]["with"]["sarif_file"].as<std::string>() ==
          "leadscore.sarif");
  }

  TEST_CASE("the CI workflow runs only leadscore sub-commands that exist") {
    const auto known = cli_subcommands();
    REQUIRE(known.size() >= 6);
    for (const char* name : {"check", "test", "disasm", "eval", "lint", "fmt"}) {
      CHECK(known.count(name) == 1);
    }

    const YAML::Node workflow = YAML::LoadFile(workflow_path);
    const YAML::Node job = workflow["jobs"].begin()->second;
    std::set<std::string> used;
    bool sarif = false, annotations = false, format_check = false;
    for (const auto& step : job["steps"]) {
      if (!step["run"]) continue;
      const std::string script = step["run"].as<std::string>();
      for (const auto& subcommand : leadscore_subcommands(script)) {
        INFO("step `" << step["name"].as<std::string>() << "` runs `leadscore " << subcommand
                      << "`");
        CHECK(known.count(subcommand) == 1);
        used.insert(subcommand);
      }
      if (script.find("leadscore lint") != std::string::npos &&
          script.find("--format sarif") != std::string::npos) {
        sarif = true;
        CHECK(script.find("> leadscore.sarif") != std::string::npos);
        // Findings must not stop the job before the SARIF upload.
        CHECK(step["continue-on-error"].as<bool>());
      }
      if (script.find("leadscore lint") != std::string::npos &&
          script.find("--format github") != std::string::npos) {
        annotations = true;
        CHECK(script.find("--werror") != std::string::npos);
      }
      if (script.find("leadscore fmt --check") != std::string::npos) format_check = true;
    }
    CHECK(sarif);
    CHECK(annotations);
    CHECK(format_check);
    CHECK(joined(used) == "fmt lint test");
  }
}
