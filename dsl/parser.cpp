// Grammar -> syntax tree, one top-level item or group rule at a time, with panic-mode
// recovery. The only translation unit that parses with PEGTL (dsl/grammar_analysis.cpp only
// analyses the grammar): the generic parse tree is turned into the typed tree of dsl/ast.hpp
// (dsl/tree_to_ast.hpp) before anything leaves this file.
#include "dsl/parser.hpp"

#include <tao/pegtl/contrib/parse_tree.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "dsl/grammar.hpp"
#include "dsl/syntax_errors.hpp"
#include "dsl/tree_to_ast.hpp"
#include "engine/text.hpp"

namespace leadscore::dsl {
namespace {

using namespace tree;

// ---- the item-by-item driver ------------------------------------------------------------
class Driver {
 public:
  Driver(const SourceText& source, const Limits& limits, DiagnosticSink& sink)
      : text_(source.text()),
        base_(source.text().data()),
        file_(source.file_name()),
        limits_(limits),
        sink_(sink),
        convert_(base_, limits, sink) {}

  Model run() {
    // A byte-order mark some editors write is not part of the model.
    std::size_t pos = skip_blank(text_.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0);
    bool first = true;
    while (pos < text_.size()) {
      if (text_[pos] == '}') {
        sink_.report(Code::syntax, Span{std::uint32_t(pos), 1},
                     "unexpected `}`: no group is open here");
        pos = skip_blank(pos + 1);
        continue;
      }
      std::unique_ptr<Node> tree;
      std::size_t next = parse_at<top_item>(pos, tree);
      if (!tree) {
        if (next == pos) unexpected_top_level(pos);
        first = false;
        pos = broken_group_header(pos);
        continue;
      }
      const Node& item = *tree->children.at(0);
      if (first && !item.is_type<model_item>()) {
        std::string found(word_at(pos));
        sink_.report(Code::missing_model, convert_.span(item),
                     "a model file must start with `model \"NAME\"`" +
                         (found.empty() ? std::string() : ", not `" + found + "`"),
                     "add a first line such as `model \"B2B inbound\"`");
        model_seen_ = true;  // report it once
      }
      first = false;
      pos = next;
      if (item.is_type<group_header>()) {
        pos = group_body(item, pos);
      } else {
        top_level(item);
      }
    }
    if (!model_seen_) {
      sink_.report(Code::missing_model, Span{0, 0}, "a model file must start with `model \"NAME\"`",
                   "add a first line such as `model \"B2B inbound\"`");
    }
    return std::move(model_);
  }

 private:
  // Parses one `Rule` at `pos`. Returns the position after it; `tree` is null on a failure,
  // which has then been reported unless the rule simply did not match (returns `pos`).
  template <typename Rule>
  std::size_t parse_at(std::size_t pos, std::unique_ptr<Node>& tree) {
    pg::memory_input<pg::tracking_mode::lazy, pg::eol::lf_crlf> in(base_ + pos,
                                                                   base_ + text_.size(), file_);
    ParseState state{base_, 0, limits_.max_nesting_depth, 0};
    try {
      tree = pt::parse<Rule, selector, pg::nothing, ErrorControl>(in, state);
    } catch (const SyntaxError& e) {
      sink_.report(e.code, Span{e.offset, e.length}, e.message, e.hint);
      tree.reset();
      return e.offset + 1 > pos ? e.offset + 1 : pos + 1;
    }
    if (!tree) return pos;
    return std::size_t(in.current() - base_);
  }

  std::size_t group_body(const Node& header, std::size_t pos) {
    Group g;
    convert_.group_header_into(g, header);
    std::size_t open = std::size_t(header.children.back()->string_view().data() - base_);
    return group_rules(std::move(g), open, pos);
  }

  // After an error in a group's header, the rules in its body are still worth checking:
  // find its `{` and go on with the body. Otherwise skip to the next item as usual.
  std::size_t broken_group_header(std::size_t pos) {
    std::string_view kind = word_at(pos);
    std::size_t next_item = recover(pos, false);
    if (kind != "fit" && kind != "engagement") return next_item;
    std::size_t brace = text_.find('{', pos);
    if (brace == std::string::npos || brace > next_item) return next_item;
    Group g;
    g.is_fit = kind == "fit";
    std::size_t name_at = skip_blank(pos + kind.size());
    g.name = std::string(word_at(name_at));
    g.name_span = Span{std::uint32_t(name_at), std::uint32_t(g.name.size())};
    return group_rules(std::move(g), brace, brace + 1);
  }

  std::size_t group_rules(Group g, std::size_t open, std::size_t pos) {
    for (;;) {
      pos = skip_blank(pos);
      if (pos >= text_.size()) {
        sink_.report(Code::syntax, Span{std::uint32_t(open), 1},
                     "group `" + g.name + "` is not closed: `}` is missing");
        break;
      }
      if (text_[pos] == '}') {
        pos = skip_blank(pos + 1);
        break;
      }
      if (starts_top_level_item(pos)) {
        sink_.report(Code::syntax, Span{std::uint32_t(pos), word_length(pos)},
                     "expected `}` to close group `" + g.name + "` before this",
                     "add `}` after the group's last rule");
        break;
      }
      std::unique_ptr<Node> tree;
      std::size_t next = parse_at<rule_item>(pos, tree);
      if (!tree) {
        if (next == pos) {
          auto [found, len] = describe(pos);
          sink_.report(Code::syntax, Span{std::uint32_t(pos), len},
                       "expected a rule (`name: +points when ...` or `... on EVENT`) or `}`, "
                       "found " +
                           found);
        }
        pos = recover(pos, true);
        continue;
      }
      if (++rule_count_ == limits_.max_rules + 1) {
        sink_.report(Code::too_many_rules, convert_.span(*tree->children.at(0)),
                     "the model has more than " + std::to_string(limits_.max_rules) + " rules",
                     "split it into several models");
      }
      g.rules.push_back(convert_.rule(*tree->children.at(0)));
      pos = skip_blank(next);
      if (pos < text_.size() && text_[pos] != '}' && !starts_rule(pos) &&
          !starts_top_level_item(pos)) {
        after_rule(g.rules.back(), pos);
        pos = recover(pos, true);
      }
    }
    model_.groups.push_back(std::move(g));
    return pos;
  }

  // Something that is neither a modifier nor the next rule follows a rule: say what the
  // author most likely meant.
  void after_rule(const Rule& rule, std::size_t pos) {
    auto [found, len] = describe(pos);
    std::string_view word = word_at(pos);
    std::size_t after = skip_blank(pos + word.size());
    bool line_start = line_begins_at(pos);
    if (word == "when" && rule.is_event_rule) {
      sink_.report(Code::syntax, Span{std::uint32_t(pos), len},
                   "unexpected `when` after `on " + rule.event_type + "`",
                   "an `on` rule filters its events with `where`: did you mean `where`?");
    } else if (line_start && !word.empty() && after < text_.size() && text_[after] == '-' &&
               !word_at(after + 1).empty()) {
      std::string name(text_.substr(pos, after + 1 + word_at(after + 1).size() - pos));
      std::string fixed = name;
      std::replace(fixed.begin(), fixed.end(), '-', '_');
      sink_.report(Code::syntax, Span{std::uint32_t(pos), std::uint32_t(name.size())},
                   "`" + name + "` is not a name: names are letters, digits and `_`",
                   "write `" + fixed + "`");
    } else if (line_start && !word.empty() && !std::isdigit(static_cast<unsigned char>(word[0]))) {
      sink_.report(Code::syntax, Span{std::uint32_t(pos), len},
                   "expected `:` after the rule name `" + std::string(word) + "`",
                   "a rule is `name: +points when ...` or `name: +points on EVENT ...`");
    } else {
      std::string hint = keyword_hint(
          pos, {"cap", "once", "limit", "within", "decay", "no", "where", "and", "or", "not"});
      if (hint.empty()) hint = habit_hint(HabitContext::other, text_, pos, pos + word.size());
      if (hint.empty()) {
        hint =
            "a rule ends with its modifiers (cap, once, limit, within, decay); the next "
            "rule starts with `name:`";
      }
      sink_.report(Code::syntax, Span{std::uint32_t(pos), len},
                   "unexpected " + found + " after rule `" + rule.name + "`", hint);
    }
  }

  bool line_begins_at(std::size_t pos) const {
    while (pos > 0 && (text_[pos - 1] == ' ' || text_[pos - 1] == '\t')) --pos;
    return pos == 0 || text_[pos - 1] == '\n';
  }

  void top_level(const Node& item) {
    if (item.is_type<model_item>()) {
      if (model_seen_ && !model_.name.empty()) {
        sink_.report(Code::misplaced_item, convert_.span(item), "`model` is given twice");
      }
      model_seen_ = true;
      model_.name = convert_.string_value(*item.children.at(0));
    } else if (item.is_type<version_item>()) {
      if (version_seen_) {
        sink_.report(Code::misplaced_item, convert_.span(item), "`version` is given twice");
      }
      version_seen_ = true;
      model_.version = convert_.string_value(*item.children.at(0));
    } else if (item.is_type<scale_item>()) {
      if (model_.scale) {
        sink_.report(Code::misplaced_item, convert_.span(item), "`scale` is given twice");
      }
      model_.scale = convert_.scale(item);
    } else if (item.is_type<band_item>()) {
      model_.bands.push_back(convert_.band(item, false));
    } else if (item.is_type<grade_item>()) {
      model_.grades.push_back(convert_.band(item, true));
    } else if (item.is_type<list_item_decl>()) {
      model_.lists.push_back(convert_.list(item));
    } else if (item.is_type<limit_item>()) {
      model_.limits.push_back(convert_.limit(item));
    }
  }

  void unexpected_top_level(std::size_t pos) {
    auto [found, len] = describe(pos);
    std::string hint = keyword_hint(
        pos, {"model", "version", "scale", "band", "grade", "list", "fit", "engagement", "limit"});
    if (hint.empty() && starts_rule(pos))
      hint = "rules belong inside a `fit` or `engagement` group";
    sink_.report(Code::syntax, Span{std::uint32_t(pos), len},
                 "expected `model`, `version`, `scale`, `band`, `grade`, `list`, `fit`, "
                 "`engagement` or `limit`, found " +
                     found,
                 hint);
  }

  // Panic mode: skip to the next line that starts something we can parse again.
  std::size_t recover(std::size_t pos, bool in_group) {
    // Inside a group a `}` later on the broken line still closes the group.
    if (in_group) {
      if (std::size_t close = closing_brace_on_line(pos); close != std::string::npos) return close;
    }
    for (;;) {
      std::size_t nl = text_.find('\n', pos);
      if (nl == std::string::npos) return text_.size();
      pos = nl + 1;
      std::size_t p = pos;
      while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t' || text_[p] == '\r')) ++p;
      if (p >= text_.size()) return text_.size();
      if (text_[p] == '}' || starts_top_level_item(p) || (in_group && starts_rule(p))) {
        return p;
      }
    }
  }

  std::size_t closing_brace_on_line(std::size_t pos) const {
    bool in_string = false;
    for (; pos < text_.size() && text_[pos] != '\n'; ++pos) {
      char c = text_[pos];
      if (in_string) {
        if (c == '\\')
          ++pos;
        else if (c == '"')
          in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '#') {
        return std::string::npos;
      } else if (c == '}') {
        return pos;
      }
    }
    return std::string::npos;
  }

  std::size_t skip_blank(std::size_t pos) const {
    while (pos < text_.size()) {
      char c = text_[pos];
      if (c == '#') {
        while (pos < text_.size() && text_[pos] != '\n') ++pos;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        ++pos;
      } else {
        break;
      }
    }
    return pos;
  }

  std::string_view word_at(std::size_t pos) const {
    std::size_t end = pos;
    while (end < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_')) {
      ++end;
    }
    return std::string_view(text_).substr(pos, end - pos);
  }
  std::uint32_t word_length(std::size_t pos) const {
    return std::max<std::uint32_t>(1, std::uint32_t(word_at(pos).size()));
  }

  bool starts_top_level_item(std::size_t pos) const {
    static const char* const words[] = {"model", "version", "scale", "band",
                                        "grade", "list",    "fit",   "engagement"};
    std::string_view w = word_at(pos);
    for (const char* k : words) {
      if (w == k) return true;
    }
    // `limit` starts a top-level gate only as `limit NAME to`; otherwise it is a modifier.
    if (w == "limit") {
      std::size_t p = skip_blank(pos + w.size());
      std::string_view target = word_at(p);
      return !target.empty() && word_at(skip_blank(p + target.size())) == "to";
    }
    return false;
  }

  // name ["label"] ':'
  bool starts_rule(std::size_t pos) const {
    std::string_view w = word_at(pos);
    if (w.empty() || std::isdigit(static_cast<unsigned char>(w[0]))) return false;
    std::size_t p = pos + w.size();
    while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    if (p < text_.size() && text_[p] == '"') {
      ++p;
      while (p < text_.size() && text_[p] != '"' && text_[p] != '\n') p += text_[p] == '\\' ? 2 : 1;
      if (p >= text_.size() || text_[p] != '"') return false;
      ++p;
      while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    }
    return p < text_.size() && text_[p] == ':';
  }

  std::pair<std::string, std::uint32_t> describe(std::size_t pos) const {
    return describe_token(text_, pos);
  }

  std::string keyword_hint(std::size_t pos, std::vector<std::string> words) const {
    std::string_view w = word_at(pos);
    if (w.empty()) return {};
    return did_you_mean(w, words);
  }

  const std::string& text_;
  const char* base_;
  const std::string& file_;
  const Limits& limits_;
  DiagnosticSink& sink_;
  Converter convert_;
  Model model_;
  bool model_seen_ = false;
  bool version_seen_ = false;
  std::size_t rule_count_ = 0;
};

}  // namespace

Model parse_model(const SourceText& source, const Limits& limits, DiagnosticSink& sink) {
  return Driver(source, limits, sink).run();
}

}  // namespace leadscore::dsl
