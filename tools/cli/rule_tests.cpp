#include "tools/cli/rule_tests.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <utility>

#include "tools/cli/report.hpp"

namespace leadscore::cli {
namespace {

namespace fs = std::filesystem;

std::string located(const fs::path& file, const YAML::Mark& mark, const std::string& message) {
  std::string where = file.string();
  if (!mark.is_null()) {
    where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }
  return where + ": " + message;
}

// `file:line:col: message` pointing at a node of the test file.
std::string at(const fs::path& file, const YAML::Node& node, const std::string& message) {
  return located(file, node.Mark(), message);
}

std::optional<double> decimal_number(const std::string& text) {
  auto digits = [&](std::size_t& i) {
    std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i - start;
  };
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  std::size_t mantissa = digits(i);
  if (i < text.size() && text[i] == '.') mantissa += digits(++i);
  if (mantissa == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits(i) == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  // from_chars takes no leading '+'.
  const char* first = text.data() + (text[0] == '+' ? 1 : 0);
  const char* last = text.data() + text.size();
  double value = 0;
  auto [end, error] = std::from_chars(first, last, value);
  if (error != std::errc() || end != last) return std::nullopt;
  return value;
}

bool is_single_value(const YAML::Node& node) {
  return node.IsScalar() || node.IsNull();
}

// The text of a mapping key; keys that are not scalars read as empty.
std::string key_of(const YAML::Node& key) {
  return key.IsScalar() ? key.Scalar() : std::string();
}

// What one case asks of the result: a number (score, group total, rule points) or a name
// (band, grade).
struct Check {
  enum class What { score, band, group, grade, rule };
  What what;
  std::string name;  // the group or rule
  std::string key;   // as reports show it: `score`, `groups.profile`, ...
  std::optional<double> number;
  std::string text;
};

// Reads the file's cases against one model; collects every mistake it finds.
class CaseReader {
 public:
  CaseReader(const fs::path& file, std::optional<Timestamp> default_as_of, const Model* model,
             const std::set<std::string>* rules, const std::set<std::string>* groups)
      : file_(file), default_as_of_(default_as_of), model_(model), rules_(rules), groups_(groups) {}

  CaseResult run(const YAML::Node& node, std::size_t index) {
    result_ = CaseResult{};
    result_.name = "case " + std::to_string(index + 1);
    if (!node.IsMap()) {
      problem(node, "a case must be a mapping with `name`, `lead`, `events` and `expect`");
      return std::move(result_);
    }
    std::optional<Timestamp> as_of = default_as_of_;
    bool named = false, own_as_of = false;
    Lead lead;
    lead.id = result_.name;
    lead.versions.emplace_back();
    std::vector<Event> events;
    YAML::Node expect;
    for (const auto& entry : node) {
      const std::string key = key_of(entry.first);
      const YAML::Node& value = entry.second;
      if (key == "name" && value.IsScalar()) {
        result_.name = lead.id = value.Scalar();
        named = true;
      } else if (key == "as_of") {
        own_as_of = true;
        as_of = timestamp(value, "as_of");
      } else if (key == "lead") {
        read_attributes(value, lead.versions.front().values);
      } else if (key == "events") {
        read_events(value, events);
      } else if (key == "expect") {
        expect.reset(value);
      } else {
        problem(entry.first, key == "name" ? "`name` must be a single line of text"
                                           : "unknown key `" + key +
                                                 "` in a case (expected name, as_of, lead, "
                                                 "events, expect)");
      }
    }
    if (!named) problem(node, "the case has no `name`");
    if (!as_of && !own_as_of) {
      problem(node, "no as-of time: give `as_of` at the top of the file or in the case");
    }
    if (!model_) {
      problem(node, "not run: the model is not available (see above)");
      return std::move(result_);
    }
    const bool runnable = !has_problems();
    std::vector<Check> checks = read_expect(expect);
    if (runnable) {
      result_.actual = model_->evaluate(lead, events, *as_of);
      for (const auto& check : checks) compare(check, *result_.actual);
    }
    return std::move(result_);
  }

 private:
  bool has_problems() const { return !result_.problems.empty(); }
  void problem(const YAML::Node& node, const std::string& message) {
    result_.problems.push_back(at(file_, node, message));
  }

  std::optional<Timestamp> timestamp(const YAML::Node& node, const std::string& what) {
    std::optional<Timestamp> ts;
    if (node.IsScalar()) ts = parse_timestamp(node.Scalar());
    if (!ts) {
      problem(node, "`" + what + "` is not a date or RFC 3339 time" +
                        (node.IsScalar() ? ": \"" + node.Scalar() + "\"" : std::string()));
    }
    return ts;
  }

  void read_attributes(const YAML::Node& node, NamedValues& values) {
    if (node.IsNull()) return;
    if (!node.IsMap()) return problem(node, "`lead` must be a mapping of attributes");
    for (const auto& entry : node) {
      const std::string name = key_of(entry.first);
      if (!is_single_value(entry.second)) {
        problem(entry.second, "attribute `" + name + "` must be a single value");
      } else {
        values.emplace_back(name, scalar_value(entry.second));
      }
    }
  }

  void read_events(const YAML::Node& node, std::vector<Event>& events) {
    if (node.IsNull()) return;
    if (!node.IsSequence()) return problem(node, "`events` must be a list");
    for (const auto& item : node) {
      if (!item.IsMap()) {
        problem(item, "an event must be a mapping like {type: page_view, at: 2026-06-29}");
        continue;
      }
      Event event;
      bool typed = false, timed = false;  // `type` and `at` were given
      for (const auto& entry : item) {
        const std::string key = key_of(entry.first);
        const YAML::Node& value = entry.second;
        if (key == "type") {
          typed = true;
          if (value.IsScalar() && !value.Scalar().empty())
            event.type = value.Scalar();
          else
            problem(value, "`type` must name the event type");
        } else if (key == "at") {
          timed = true;
          if (auto ts = timestamp(value, "at")) event.ts = *ts;
        } else if (key == "ts") {
          problem(entry.first, "write the event time as `at`, not `ts`");
        } else if (!is_single_value(value)) {
          problem(value, "property `" + key + "` must be a single value");
        } else {
          event.properties.emplace_back(key, scalar_value(value));
        }
      }
      if (!typed) problem(item, "the event has no `type`");
      if (!timed) problem(item, "the event has no `at` time");
      events.push_back(std::move(event));
    }
  }

  std::vector<Check> read_expect(const YAML::Node& node) {
    std::vector<Check> checks;
    if (node.IsNull()) return checks;
    if (!node.IsMap()) {
      problem(node, "`expect` must be a mapping");
      return checks;
    }
    for (const auto& entry : node) {
      const std::string key = key_of(entry.first);
      const YAML::Node& value = entry.second;
      if (key == "score") {
        if (auto n = number(value, key)) checks.push_back({Check::What::score, {}, key, n, {}});
      } else if (key == "band") {
        if (value.IsScalar())
          checks.push_back({Check::What::band, {}, key, {}, value.Scalar()});
        else
          problem(value, "`band` must be a band name");
      } else if (key == "groups" || key == "grades") {
        read_named(value, key, groups_, "group",
                   key == "groups" ? Check::What::group : Check::What::grade, checks);
      } else if (key == "rules") {
        read_named(value, key, rules_, "rule", Check::What::rule, checks);
      } else {
        problem(entry.first, "unknown key `" + key +
                                 "` in expect (expected score, band, groups, grades, rules)");
      }
    }
    return checks;
  }

  // `groups: {profile: 5}`, `grades: {profile: A}` or `rules: {enterprise: 15}`.
  void read_named(const YAML::Node& node, const std::string& section,
                  const std::set<std::string>* known, const char* kind, Check::What what,
                  std::vector<Check>& checks) {
    if (!node.IsMap()) return problem(node, "`" + section + "` must be a mapping of names");
    for (const auto& entry : node) {
      const std::string name = key_of(entry.first);
      if (known && !known->count(name)) {
        problem(entry.first, "the model has no " + std::string(kind) + " `" + name + "`");
        continue;
      }
      const std::string key = section + "." + name;
      if (what == Check::What::grade) {
        if (entry.second.IsScalar())
          checks.push_back({what, name, key, {}, entry.second.Scalar()});
        else
          problem(entry.second, "a grade must be a grade name");
      } else if (auto n = number(entry.second, key)) {
        checks.push_back({what, name, key, n, {}});
      }
    }
  }

  std::optional<double> number(const YAML::Node& node, const std::string& key) {
    if (is_single_value(node)) {
      Value v = scalar_value(node);
      if (v.kind() == Value::Kind::number) return v.as_number();
    }
    problem(node, "`" + key + "` must be a number");
    return std::nullopt;
  }

  void compare(const Check& check, const Score& score) {
    auto group = std::find_if(score.groups.begin(), score.groups.end(),
                              [&](const GroupTotal& g) { return g.group == check.name; });
    auto rule = std::find_if(score.rules.begin(), score.rules.end(),
                             [&](const RuleContribution& r) { return r.rule == check.name; });
    std::optional<double> actual_number;
    std::string actual_text;
    switch (check.what) {
      case Check::What::score:
        actual_number = score.score;
        break;
      case Check::What::band:
        actual_text = score.band;
        break;
      case Check::What::group:
        if (group != score.groups.end()) actual_number = group->total;
        break;
      case Check::What::grade:
        if (group != score.groups.end()) actual_text = group->grade;
        break;
      case Check::What::rule:
        if (rule != score.rules.end()) actual_number = rule->points;
        break;
    }
    if (check.number) {
      if (actual_number && within_tolerance(*check.number, *actual_number)) return;
      result_.mismatches.push_back({check.key, format_number(*check.number, 4),
                                    actual_number ? format_number(*actual_number, 4) : "(none)"});
    } else if (actual_text != check.text) {
      result_.mismatches.push_back(
          {check.key, check.text, actual_text.empty() ? "(none)" : actual_text});
    }
  }

  const fs::path& file_;
  std::optional<Timestamp> default_as_of_;
  const Model* model_;
  const std::set<std::string>* rules_;
  const std::set<std::string>* groups_;
  CaseResult result_;
};

bool read_text(const fs::path& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return !in.bad();
}

}  // namespace

Value scalar_value(const YAML::Node& node) {
  if (node.IsNull() || !node.IsScalar()) return Value();
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return Value::string(text);  // quoted: always text
  if (text == "~" || text == "null" || text == "Null" || text == "NULL") return Value();
  if (text == "true" || text == "True" || text == "TRUE") return Value::boolean(true);
  if (text == "false" || text == "False" || text == "FALSE") return Value::boolean(false);
  if (auto n = decimal_number(text)) return Value::number(*n);
  return Value::string(text);
}

bool within_tolerance(double expected, double actual) {
  return std::fabs(expected - actual) <= 0.01 + 1e-9;
}

std::size_t TestFileResult::passed() const {
  return std::count_if(cases.begin(), cases.end(), [](const CaseResult& c) { return c.passed(); });
}

std::size_t TestFileResult::failed() const {
  std::size_t failing = cases.size() - passed();
  return problems.empty() ? failing : std::max<std::size_t>(failing, 1);
}

std::vector<fs::path> find_test_files(const fs::path& file_or_dir) {
  if (!fs::is_directory(file_or_dir)) return {file_or_dir};
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(file_or_dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.ends_with(".test.yaml")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

fs::path default_test_root(const fs::path& input) {
  std::error_code error;
  fs::path start = fs::is_directory(input, error) ? input : input.parent_path();
  if (start.empty()) start = ".";
  start = fs::weakly_canonical(fs::absolute(start), error);
  for (fs::path dir = start;; dir = dir.parent_path()) {
    if (fs::exists(dir / "leadscore.yaml", error) || fs::exists(dir / ".git", error)) return dir;
    if (dir == dir.parent_path()) break;
  }
  return start.parent_path();
}

namespace {

bool inside(const fs::path& real, const fs::path& root) {
  std::error_code error;
  const fs::path base = fs::weakly_canonical(fs::absolute(root), error);
  const fs::path rel = real.lexically_relative(base);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

bool RuleTestRunner::may_read(const fs::path& test_file, const fs::path& real) const {
  if (inside(real, root_ ? *root_ : default_test_root(test_file))) return true;
  return std::any_of(allowed_.begin(), allowed_.end(),
                     [&](const fs::path& dir) { return inside(real, dir); });
}

std::shared_ptr<const RuleTestRunner::CompiledModel> RuleTestRunner::model_for(
    const fs::path& test_file, const YAML::Node& model_node, TestFileResult& result) {
  if (!model_node.IsScalar() || model_node.Scalar().empty()) {
    result.problems.push_back(at(test_file, model_node, "`model` must be a file path"));
    return nullptr;
  }
  const fs::path path = (test_file.parent_path() / model_node.Scalar()).lexically_normal();
  std::error_code error;
  if (!fs::is_regular_file(path, error)) {
    result.problems.push_back(at(
        test_file, model_node,
        "model file `" + model_node.Scalar() + "` not found (looked for " + path.string() + ")"));
    return nullptr;
  }
  fs::path key = fs::canonical(path, error);
  if (error || !may_read(test_file, key)) {
    // Not compiled, and not quoted: the file may not be the test author's to show.
    result.problems.push_back(at(test_file, model_node,
                                 "model file `" + model_node.Scalar() +
                                     "` is outside the folder rule tests may read (" +
                                     (root_ ? *root_ : default_test_root(test_file)).string() +
                                     "); allow its folder with --allow-files DIR"));
    return nullptr;
  }
  auto& cached = models_[key];
  if (!cached) {
    auto compiled = std::make_shared<CompiledModel>();
    CompileOptions options;
    options.file_roots = allowed_;
    compiled->compiled = Model::compile_file(key, options);
    if (const auto& model = compiled->compiled.model) {
      for (auto& name : model->rule_names()) compiled->rules.insert(name);
      for (auto& name : model->group_names()) compiled->groups.insert(name);
    }
    result.model_diagnostics = compiled->compiled.diagnostics;
    cached = std::move(compiled);
  }
  if (!cached->compiled.model) {
    result.problems.push_back(at(test_file, model_node,
                                 "model `" + model_node.Scalar() + "` has errors; no case is run"));
  }
  return cached;
}

TestFileResult RuleTestRunner::run_file(const fs::path& file) {
  TestFileResult result;
  result.file = file;
  std::string text;
  if (!read_text(file, text)) {
    std::error_code error;
    result.problems.push_back(file.string() + (fs::exists(file, error)
                                                   ? ": cannot read the file"
                                                   : ": no such file or directory"));
    return result;
  }
  try {
    const YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) {
      result.problems.push_back(
          located(file, root.Mark(), "expected a mapping with `model`, `as_of` and `cases`"));
      return result;
    }
    std::optional<YAML::Node> model_node, as_of_node, cases;
    for (const auto& entry : root) {
      const std::string key = key_of(entry.first);
      if (key == "model")
        model_node = entry.second;
      else if (key == "as_of")
        as_of_node = entry.second;
      else if (key == "cases")
        cases = entry.second;
      else {
        result.problems.push_back(
            at(file, entry.first, "unknown key `" + key + "` (expected model, as_of, cases)"));
      }
    }
    if (!model_node) result.problems.push_back(file.string() + ": no `model` given");
    if (!cases) {
      result.problems.push_back(file.string() + ": no `cases` given");
    } else if (!cases->IsSequence()) {
      result.problems.push_back(at(file, *cases, "`cases` must be a list"));
    }
    std::optional<Timestamp> as_of;
    if (as_of_node) {
      if (as_of_node->IsScalar()) as_of = parse_timestamp(as_of_node->Scalar());
      if (!as_of) {
        result.problems.push_back(at(file, *as_of_node, "`as_of` is not a date or RFC 3339 time"));
      }
    }
    if (!result.problems.empty()) return result;

    auto compiled = model_for(file, *model_node, result);
    const Model* model = compiled ? compiled->compiled.model.get() : nullptr;
    CaseReader reader(file, as_of, model, model ? &compiled->rules : nullptr,
                      model ? &compiled->groups : nullptr);
    for (const auto& item : *cases) result.cases.push_back(reader.run(item, result.cases.size()));
  } catch (const YAML::ParserException& e) {
    result.problems.push_back(located(file, e.mark, "not valid YAML: " + e.msg));
  } catch (const YAML::Exception& e) {
    result.problems.push_back(located(file, e.mark, e.msg));
  }
  return result;
}

std::string summary_line(std::size_t passed, std::size_t failed) {
  return std::to_string(passed) + " passed, " + std::to_string(failed) + " failed";
}

}  // namespace leadscore::cli
