// leadscore: compile a scoring model and score leads with it.
//
//   auto compiled = leadscore::Model::compile_file("b2b.score", {});
//   for (auto& d : compiled.diagnostics) std::cerr << leadscore::render(d);
//   if (!compiled.model) return 1;
//   leadscore::Score s = compiled.model->evaluate(lead, events, as_of);
//
// A compiled Model is immutable and may be shared between threads. A Scorer holds the per-lead
// working state of one thread and is reused from lead to lead, so scoring many leads allocates
// nothing per event. No function here throws for a mistake in a model or in the data: those
// come back as Diagnostic values. Only std::bad_alloc may escape.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/diagnostic.hpp"
#include "leadscore/value.hpp"

namespace leadscore {

// The limits of spec section 2; a model over any of them is rejected with a diagnostic.
struct Limits {
  std::size_t max_file_bytes = 4u << 20;
  std::size_t max_nesting_depth = 64;
  std::size_t max_rules = 10'000;
  std::size_t max_list_entries = 100'000;  // per list
  // All lists of one model together: entries (a file named by two lists counts twice) and the
  // bytes of the list files read (each file is read once per model).
  std::size_t max_list_total_entries = 1'000'000;
  std::size_t max_list_total_bytes = 64u << 20;
};

enum class ValueType : std::uint8_t { any, number, string, boolean, timestamp };

// Optional declaration of lead attributes and event properties (spec 8). With a schema,
// unknown names and type mismatches are errors; without one, the checker only warns.
struct Schema {
  std::map<std::string, ValueType> attributes;
  std::map<std::string, std::map<std::string, ValueType>> events;  // type -> property -> type
};

struct SchemaResult {
  std::unique_ptr<Schema> schema;  // null when there were errors
  std::vector<Diagnostic> diagnostics;
};

// Reads a schema from YAML: `attributes: {name: type}` and `events: {type: {prop: type}}`,
// with types number, string, boolean, timestamp or any. Also accepts a whole project file
// whose `schema:` key holds that mapping.
SchemaResult load_schema(const std::filesystem::path& path);
SchemaResult parse_schema(std::string_view yaml_text, const std::string& file_name);

struct CompileOptions {
  Limits limits;
  const Schema* schema = nullptr;  // not owned; only read during compilation
  // Also run the reviewer's checks (warnings LS010 and up, `leadscore lint`). Any warning
  // can be silenced on its line with `# leadscore: ignore LS012`.
  bool lint = false;
  // Folders list files may be read from besides the model's own (`--allow-files DIR`). A list
  // file must resolve, symlinks and `..` resolved, inside one of them or the model's folder.
  std::vector<std::filesystem::path> file_roots;
};

class Model;

struct CompileResult {
  std::shared_ptr<const Model> model;   // null when there were errors
  std::vector<Diagnostic> diagnostics;  // errors and warnings, in source order
};

struct RuleContribution {
  std::string rule;
  std::string label;  // the rule's display label, or empty
  std::string group;
  double points = 0;          // final contribution, after decay and the rule cap
  double before_cap = 0;      // the same before the rule cap
  double undecayed = 0;       // what the counted matches would give without decay
  std::uint32_t matches = 0;  // events that matched (on rules) or 1 when the condition held
  std::uint32_t counted = 0;  // matches left after within, limit and once
};

struct GroupTotal {
  std::string group;
  double total = 0;          // after cap, floor and limits: what the score sums
  double before_limits = 0;  // after cap and floor
  std::string grade;         // empty when the group has no grades
};

struct Score {
  double score = 0;  // rounded to 2 decimals (spec 4.4)
  std::string band;  // "none" when the model has no band
  std::string band_description;
  std::vector<GroupTotal> groups;           // in model order
  std::vector<RuleContribution> rules;      // in model order
  std::vector<std::string> limits_applied;  // source text of each limit that lowered a value
};

// One event a rule counted: its index in the events given to Model::explain, the points it
// was worth, and what is left of them after decay.
struct CountedEvent {
  std::size_t event = 0;
  double points = 0;
  double after_decay = 0;
};

struct Explanation {
  Score score;
  // Per rule, in Score::rules order: the events it counted (`once` rules: only the one kept).
  // The sum of after_decay is the rule's points before its cap.
  std::vector<std::vector<CountedEvent>> counted;
};

struct FormatResult {
  std::string text;                     // the canonical layout; empty when there are errors
  std::vector<Diagnostic> diagnostics;  // syntax errors that prevent formatting
};

// The one canonical layout of a model (`leadscore fmt`): aligned rule columns, normalised
// spacing, comments kept where they were. Formatting a formatted text changes nothing, and
// never changes what the model computes.
FormatResult format_model(std::string_view source, const std::string& file_name);

// The rule contributions sorted by impact: largest absolute points first, then model order.
std::vector<RuleContribution> by_impact(const std::vector<RuleContribution>& rules);

class Scorer;

class Model {
 public:
  static CompileResult compile(std::string_view source, const std::string& file_name,
                               const CompileOptions& options = {});
  // Reads the file (lists given as `file "..."` are read relative to it) and compiles it.
  static CompileResult compile_file(const std::filesystem::path& path,
                                    const CompileOptions& options = {});

  const std::string& name() const;
  const std::string& version() const;
  // A digest of the compiled form: equal models give equal fingerprints.
  std::string fingerprint() const;
  // The bytecode, one instruction a line, grouped by the rule each block belongs to.
  std::string disassemble() const;
  std::vector<std::string> rule_names() const;
  std::vector<std::string> group_names() const;
  struct Band {
    std::string name;
    std::optional<double> threshold;  // none for a catch-all band (`band cold`)
    std::string description;
  };
  std::vector<Band> bands() const;  // highest first, as written
  // The lead attributes and event types the model reads, sorted (for checking data against it).
  std::vector<std::string> attributes_read() const;
  std::vector<std::string> event_types_read() const;

  // Scores one lead as of `as_of`. Events may come in any order (they are sorted by time,
  // equal times keeping their given order); events after `as_of` are ignored.
  Score evaluate(const Lead& lead, std::span<const Event> events, Timestamp as_of) const;
  // The same score, with the events behind each rule (for `leadscore explain` and `replay`).
  Explanation explain(const Lead& lead, std::span<const Event> events, Timestamp as_of) const;

  ~Model();
  struct Impl;
  explicit Model(std::unique_ptr<Impl> impl);
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// Streaming evaluation: begin a lead, add its events in time order, finish.
class Scorer {
 public:
  explicit Scorer(std::shared_ptr<const Model> model);
  ~Scorer();
  Scorer(Scorer&&) noexcept;
  Scorer& operator=(Scorer&&) noexcept;

  void begin(const Lead& lead, Timestamp as_of);
  void begin(const AttributeVersion* attributes, Timestamp as_of);

  enum class Added : std::uint8_t { used, after_as_of, out_of_order };
  // Events must come in time order; one earlier than the previous is refused (out_of_order)
  // and one after the as-of time is skipped (after_as_of).
  Added add(const Event& event);
  Score finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace leadscore
