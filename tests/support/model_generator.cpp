// See model_generator.hpp. The model is built as a stream of tokens; the gaps between tokens
// are where layout noise (line breaks, comments, ignore directives) goes, so the noise never
// lands inside a token and the model stays as valid as its tokens are.
#include "tests/support/model_generator.hpp"

#include <array>
#include <string>
#include <vector>

namespace leadscore::testing {

unsigned SeededChoices::pick(unsigned n) {
  if (n <= 1) return 0;
  return static_cast<unsigned>(engine_() % n);
}

unsigned ByteChoices::pick(unsigned n) {
  if (n <= 1) return 0;
  unsigned value = 0;
  for (int i = 0; i < 2; ++i) {
    value = (value << 8) | (at_ < bytes_.size() ? bytes_[at_] : 0u);
    ++at_;
  }
  return value % n;
}

namespace {

template <typename T, std::size_t N>
const T& one_of(ChoiceSource& c, const std::array<T, N>& items) {
  return items[c.pick(N)];
}

// The vocabulary: a few attributes and event types, some names a letter apart so that the
// typo warnings (LS001-LS003) have something to find.
constexpr std::array<const char*, 8> number_attributes = {
    "employees", "budget", "plants", "revenue", "employes", "score_hint", "visits", "age"};
constexpr std::array<const char*, 6> text_attributes = {"industry", "job_title", "country",
                                                        "email",    "industy",   "source"};
constexpr std::array<const char*, 5> event_types = {"page_view", "download", "email_open",
                                                    "webinar", "page_veiw"};
constexpr std::array<const char*, 4> number_properties = {"seconds", "pages", "minutes", "secnds"};
constexpr std::array<const char*, 3> text_properties = {"url", "asset", "title"};
constexpr std::array<const char*, 8> words = {"energy", "manufacturing", "retail", "director",
                                              "vp",     "/pricing",      "demo",   "ENERGY "};
constexpr std::array<const char*, 9> lint_codes = {"LS010", "LS011", "LS012", "LS013", "LS014",
                                                   "LS015", "LS016", "LS017", "LS018"};
constexpr std::array<const char*, 5> durations = {"1 day", "7 days", "30 days", "2 weeks",
                                                  "12 hours"};

class Writer {
 public:
  Writer(ChoiceSource& c, const GeneratorOptions& o) : c_(c), o_(o) {}

  // A token, after a gap that may hold noise.
  void token(const std::string& text) {
    if (!at_line_start_) gap();
    out_ += text;
    at_line_start_ = false;
  }
  // A token that must stay on the line of the one before (e.g. a band's `>=` and its number
  // are fine apart, but we keep some pairs tight to look like real models).
  void glued(const std::string& text) {
    out_ += text;
    at_line_start_ = false;
  }
  void newline(const std::string& indent = "") {
    if (c_.chance(15)) comment_to_end_of_line();
    out_ += '\n';
    if (c_.chance(8)) out_ += '\n';
    out_ += indent;
    at_line_start_ = true;
  }
  std::string take() { return std::move(out_); }

 private:
  void gap() {
    if (!c_.chance(o_.layout_noise_percent)) {
      out_ += c_.chance(5) ? "  " : " ";
      return;
    }
    switch (c_.pick(3)) {
      case 0:  // a plain line break, continuation indented or not
        out_ += c_.chance(50) ? "\n    " : "\n  ";
        break;
      case 1:
        comment_to_end_of_line();
        out_ += c_.chance(50) ? "\n    " : "\n  ";
        break;
      default:
        out_ += ' ';
        break;
    }
  }
  void comment_to_end_of_line() {
    out_ += c_.chance(50) ? "  " : " ";
    if (c_.chance(60)) {
      out_ += "# leadscore: ignore ";
      out_ += one_of(c_, lint_codes);
      if (c_.chance(25)) {
        out_ += ' ';
        out_ += one_of(c_, lint_codes);
      }
    } else {
      out_ += c_.chance(50) ? "# note" : "#";
    }
  }

  ChoiceSource& c_;
  const GeneratorOptions& o_;
  std::string out_;
  bool at_line_start_ = true;
};

// The kinds of deliberate slips; `none` for the near-valid majority.
enum class Mistake { none, drop_colon, unknown_list, keyword_typo, duplicate_rule, bad_threshold };

class Generator {
 public:
  Generator(ChoiceSource& c, const GeneratorOptions& o) : c_(c), o_(o), w_(c, o) {
    if (c_.chance(o_.mistake_percent)) mistake_ = static_cast<Mistake>(1 + c_.pick(5));
  }

  std::string run() {
    header();
    bands();
    lists();
    const unsigned groups = 1 + c_.pick(o_.max_groups);
    for (unsigned g = 0; g < groups; ++g) group(g);
    grades();
    limits();
    return w_.take();
  }

 private:
  std::string number(unsigned below) { return std::to_string(c_.pick(below)); }
  std::string small_number() {
    std::string n = number(60);
    if (c_.chance(15)) n += "." + number(10);
    return n;
  }
  std::string duration() { return one_of(c_, durations); }
  std::string word() { return std::string("\"") + one_of(c_, words) + "\""; }

  void header() {
    w_.token("model");
    w_.token("\"generated " + number(1000) + "\"");
    w_.newline();
    if (c_.chance(40)) {
      w_.token("version");
      w_.token("\"" + number(100) + "\"");
      w_.newline();
    }
    if (c_.chance(40)) {
      w_.token("scale");
      w_.token(number(10));
      w_.token("to");
      w_.token(std::to_string(50 + c_.pick(100)));
      w_.newline();
    }
  }

  void bands() {
    const unsigned count = c_.pick(4);
    if (count == 0) return;
    int threshold = 40 + static_cast<int>(c_.pick(80));
    for (unsigned b = 0; b + 1 < count; ++b) {
      w_.token("band");
      w_.token("b" + std::to_string(b));
      w_.token(">=");
      const bool slip = mistake_ == Mistake::bad_threshold && b == 1;
      w_.token(std::to_string(slip ? threshold + 50 : threshold));
      if (c_.chance(50)) w_.token(word());
      w_.newline();
      threshold -= 5 + static_cast<int>(c_.pick(30));
    }
    w_.token("band");
    w_.token("rest");
    w_.newline();
  }

  void lists() {
    const unsigned count = c_.pick(3);
    for (unsigned l = 0; l < count; ++l) {
      list_names_.push_back("list" + std::to_string(l));
      w_.token("list");
      w_.token(list_names_.back());
      w_.token("=");
      w_.token("[");
      const unsigned entries = 1 + c_.pick(4);
      for (unsigned e = 0; e < entries; ++e) {
        if (e > 0) w_.glued(",");
        // Numbers too; a repeat now and then gives LS015.
        w_.token(c_.chance(20) ? number(100) : word());
      }
      w_.token("]");
      w_.newline();
    }
  }

  std::string list_reference() {
    if (mistake_ == Mistake::unknown_list && !used_unknown_list_) {
      used_unknown_list_ = true;
      return "no_such_list";
    }
    if (!list_names_.empty() && c_.chance(60)) return list_names_[c_.pick(list_names_.size())];
    return "";
  }

  // ---- expressions ---------------------------------------------------------------------
  // A numeric expression: in an `on` rule's points or `where`, bare names are properties.
  void numeric(unsigned depth, bool event_scope) {
    if (depth == 0 || c_.chance(40)) {
      switch (c_.pick(event_scope ? 4 : 3)) {
        case 0:
          w_.token(small_number());
          return;
        case 1:
          if (event_scope) {
            w_.token("lead." + std::string(one_of(c_, number_attributes)));
          } else {
            w_.token(one_of(c_, number_attributes));
          }
          return;
        case 2:
          if (event_scope) {
            w_.token(one_of(c_, number_properties));
          } else {
            aggregate(depth);
          }
          return;
        default:
          w_.token(one_of(c_, number_properties));
          return;
      }
    }
    switch (c_.pick(4)) {
      case 0:
        w_.token("(");
        numeric(depth - 1, event_scope);
        w_.token(")");
        return;
      case 1:
        w_.token("-");
        numeric(depth - 1, event_scope);
        return;
      case 2:
        w_.token("length(");
        w_.token(event_scope ? one_of(c_, text_properties) : one_of(c_, text_attributes));
        w_.token(")");
        return;
      default: {
        numeric(depth - 1, event_scope);
        static constexpr std::array<const char*, 4> ops = {"+", "-", "*", "/"};
        w_.token(one_of(c_, ops));
        numeric(depth - 1, event_scope);
        return;
      }
    }
  }

  void aggregate(unsigned depth) {
    text_of_last_aggregate_.clear();
    switch (c_.pick(3)) {
      case 0:
        w_.token("count(");
        w_.token(one_of(c_, event_types));
        break;
      case 1:
        w_.token("sum(");
        w_.token(std::string(one_of(c_, event_types)) + "." + one_of(c_, number_properties));
        break;
      default:
        text_of_last_aggregate_ = "days_since_last(";
        w_.token("days_since_last(");
        w_.token(one_of(c_, event_types));
        break;
    }
    const bool days = text_of_last_aggregate_ == "days_since_last(";
    if (depth > 1 && c_.chance(30)) {
      w_.token("where");
      condition(depth - 1, true);
    }
    if (!days && c_.chance(40)) {
      w_.token("within");
      w_.token(duration());
    }
    w_.token(")");
  }

  void comparison(unsigned depth, bool event_scope) {
    // In event scope a text is the event's property or, through `lead.`, an attribute.
    const std::string text_ref = !event_scope ? std::string(one_of(c_, text_attributes))
                                 : c_.chance(60)
                                     ? std::string(one_of(c_, text_properties))
                                     : "lead." + std::string(one_of(c_, text_attributes));
    switch (c_.pick(9)) {
      case 0:
      case 1: {
        numeric(depth, event_scope);
        static constexpr std::array<const char*, 6> ops = {"=", "!=", "<", "<=", ">", ">="};
        w_.token(one_of(c_, ops));
        w_.token(small_number());
        return;
      }
      case 2:
        numeric(depth, event_scope);
        w_.token("between");
        w_.token(number(50));
        w_.token("and");
        w_.token(number(200));
        return;
      case 3: {
        w_.token(text_ref);
        const std::string list = list_reference();
        if (c_.chance(30)) w_.token("not");
        w_.token("in");
        if (list.empty()) {
          w_.token("[");
          w_.token(word());
          w_.glued(",");
          w_.token(word());
          w_.token("]");
        } else {
          w_.token(list);
        }
        return;
      }
      case 4:
        w_.token(text_ref);
        w_.token("contains");
        w_.token(word());
        return;
      case 5:
        w_.token(c_.chance(50) ? "lower(" + text_ref + ")" : text_ref);
        w_.token("starts");
        w_.token("with");
        w_.token(word());
        return;
      case 6:
        w_.token(text_ref);
        w_.token("matches");
        w_.token(c_.chance(50) ? "\"director|vp\"" : "\"^head of\"");
        return;
      case 7:
        w_.token(text_ref);
        w_.token("is");
        w_.token(c_.chance(50) ? "missing" : "present");
        return;
      default:
        w_.token(text_ref);
        w_.token(c_.chance(70) ? "=" : "!=");
        w_.token(word());
        return;
    }
  }

  void condition(unsigned depth, bool event_scope) {
    if (depth == 0 || c_.chance(45)) {
      comparison(depth == 0 ? 0 : depth - 1, event_scope);
      return;
    }
    switch (c_.pick(4)) {
      case 0:
        w_.token("not");
        condition(depth - 1, event_scope);
        return;
      case 1:
        w_.token("(");
        condition(depth - 1, event_scope);
        w_.token(")");
        return;
      default: {
        const unsigned terms = 2 + c_.pick(2);
        const char* op = c_.chance(50) ? "and" : "or";
        for (unsigned t = 0; t < terms; ++t) {
          if (t > 0) w_.token(op);
          // Parenthesise a nested chain so `a and b or c` is not produced by accident.
          const bool paren = c_.chance(30);
          if (paren) w_.token("(");
          condition(depth - 1, event_scope);
          if (paren) w_.token(")");
        }
        return;
      }
    }
  }

  // ---- groups and rules ------------------------------------------------------------------
  void decay_spec() {
    switch (c_.pick(4)) {
      case 0:
        w_.token("half-life");
        w_.token(duration());
        return;
      case 1:
        w_.token("linear");
        w_.token(duration());
        return;
      case 2:
        w_.token(number(90) + "%");
        w_.token("every");
        w_.token(duration());
        return;
      default:
        w_.token("none");
        return;
    }
  }

  void group(unsigned index) {
    const bool fit = c_.chance(50);
    group_names_.push_back("g" + std::to_string(index));
    w_.token(fit ? "fit" : "engagement");
    w_.token(group_names_.back());
    if (c_.chance(50)) {
      w_.token("cap");
      w_.token(std::to_string(5 + c_.pick(60)));
    }
    if (c_.chance(20)) {
      w_.token("floor");
      w_.token("-" + number(30));
    }
    if (!fit && c_.chance(50)) {
      w_.token(mistake_ == Mistake::keyword_typo ? "decya" : "decay");
      decay_spec();
    }
    if (!fit && c_.chance(25)) {
      w_.token("within");
      w_.token(duration());
    }
    w_.token("{");
    w_.newline("  ");
    const unsigned rules = 1 + c_.pick(o_.max_rules_per_group);
    for (unsigned r = 0; r < rules; ++r) rule(fit);
    w_.token("}");
    w_.newline();
  }

  void rule(bool fit) {
    std::string name = "r" + std::to_string(rule_count_++);
    if (mistake_ == Mistake::duplicate_rule && rule_count_ == 2) name = "r0";
    w_.token(name);
    // The head `name "label":` stays on one line: the parser finds rules by their heads.
    if (c_.chance(25)) w_.glued(" " + word());
    if (mistake_ == Mistake::drop_colon && !dropped_colon_) {
      dropped_colon_ = true;
    } else {
      w_.glued(":");
    }
    const bool on_rule = !fit && c_.chance(70);
    const bool sign_negative = c_.chance(20);
    if (c_.chance(70)) {
      w_.token((sign_negative ? "-" : "+") + number(40));
    } else {
      w_.token(sign_negative ? "-(" : "+(");
      numeric(o_.max_expression_depth, on_rule);
      w_.token(")");
    }
    if (on_rule) {
      w_.token("on");
      w_.token(c_.chance(10) ? "any" : one_of(c_, event_types));
      if (c_.chance(50)) {
        w_.token("where");
        condition(o_.max_expression_depth, true);
      }
    } else {
      w_.token("when");
      condition(o_.max_expression_depth, false);
    }
    // Modifiers, each at most once, in a random order; `decay` and `no decay` exclude each
    // other (4 is either).
    std::array<int, 5> order = {0, 1, 2, 3, 4};
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[c_.pick(i)]);
    for (int m : order) {
      if (!c_.chance(on_rule ? 25 : (m == 0 ? 30 : 0))) continue;
      switch (m) {
        case 0:
          w_.token("cap");
          w_.token(std::to_string(1 + c_.pick(80)));
          break;
        case 1:
          w_.token("once");
          break;
        case 2:
          w_.token("limit");
          w_.token(std::to_string(1 + c_.pick(5)));
          w_.token("per");
          w_.token(duration());
          break;
        case 3:
          w_.token("within");
          w_.token(duration());
          break;
        default:
          if (c_.chance(70)) {
            w_.token("decay");
            decay_spec();
          } else {
            w_.token("no");
            w_.token("decay");
          }
          break;
      }
    }
    w_.newline("  ");
  }

  void grades() {
    if (group_names_.empty() || !c_.chance(30)) return;
    const std::string group = group_names_[c_.pick(group_names_.size())];
    int threshold = 10 + static_cast<int>(c_.pick(40));
    const unsigned count = 1 + c_.pick(3);
    for (unsigned g = 0; g + 1 < count; ++g) {
      w_.token("grade");
      w_.token(group);
      w_.token(std::string(1, static_cast<char>('A' + g)));
      w_.token(">=");
      w_.token(std::to_string(threshold));
      w_.newline();
      threshold -= 1 + static_cast<int>(c_.pick(9));
    }
    w_.token("grade");
    w_.token(group);
    w_.token(std::string(1, static_cast<char>('A' + count - 1)));
    w_.newline();
  }

  void limits() {
    const unsigned count = c_.pick(3);
    for (unsigned l = 0; l < count; ++l) {
      w_.token("limit");
      const bool on_score = group_names_.empty() || c_.chance(50);
      w_.token(on_score ? "score" : group_names_[c_.pick(group_names_.size())]);
      w_.token("to");
      w_.token(number(100));
      w_.token(c_.chance(50) ? "unless" : "when");
      if (!group_names_.empty() && c_.chance(60)) {
        w_.token(group_names_[c_.pick(group_names_.size())]);
        w_.token(">=");
        w_.token(number(40));
      } else {
        condition(2, false);
      }
      w_.newline();
    }
  }

  ChoiceSource& c_;
  const GeneratorOptions& o_;
  Writer w_;
  Mistake mistake_ = Mistake::none;
  bool used_unknown_list_ = false;
  bool dropped_colon_ = false;
  std::string text_of_last_aggregate_;
  std::vector<std::string> list_names_;
  std::vector<std::string> group_names_;
  unsigned rule_count_ = 0;
};

}  // namespace

std::string generate_model(ChoiceSource& choices, const GeneratorOptions& options) {
  return Generator(choices, options).run();
}

}  // namespace leadscore::testing
