// A compiled model: the bytecode plus the tables the evaluator walks. Built by dsl/compiler,
// read by engine/evaluator; immutable once built.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dsl/ast.hpp"
#include "engine/bytecode.hpp"

namespace leadscore::engine {

constexpr std::uint32_t no_block = std::numeric_limits<std::uint32_t>::max();
constexpr std::int32_t any_event = -1;
constexpr double no_window = std::numeric_limits<double>::infinity();

struct DecaySpec {
  dsl::Decay::Kind kind = dsl::Decay::Kind::none;
  double period_days = 0;
  double keep_per_step = 1;  // 1 - P/100 for `P% every D`
};

struct RuleCode {
  std::string name;
  std::string label;
  std::uint32_t group = 0;
  std::uint32_t line = 0;
  bool on_event = false;
  std::int32_t event = any_event;
  std::uint32_t condition = no_block;  // `when` or `where` block
  std::uint32_t points = no_block;     // block giving the points before the sign
  bool points_constant = false;        // points are a literal: skip the VM
  double constant_points = 0;
  double sign = 1;
  std::optional<double> cap;
  bool once = false;
  std::uint32_t limit_count = 0;  // 0: no rate limit
  double limit_window_ms = 0;
  double within_ms = no_window;
  DecaySpec decay;
};

struct AggregateCode {
  dsl::AggregateKind kind = dsl::AggregateKind::count;
  std::int32_t event = any_event;
  std::uint32_t where = no_block;
  std::int32_t property = -1;  // property slot for sum
  double within_ms = no_window;
  std::string text;  // for the disassembler
};

struct BandCode {
  std::string name;
  std::optional<double> threshold;
  std::string description;
};

struct GroupCode {
  std::string name;
  bool fit = true;
  std::optional<double> cap;
  std::optional<double> floor;
  std::vector<std::uint32_t> rules;
  std::vector<BandCode> grades;
};

struct LimitCode {
  std::int32_t target = -1;  // group index, or -1 for the score
  double value = 0;
  bool unless = false;
  std::uint32_t condition = no_block;
  std::string text;
};

// Which rule or aggregate an event of some type feeds.
struct Consumer {
  bool aggregate = false;
  std::uint32_t index = 0;
};

struct Program {
  std::string name;
  std::string version;
  Chunk chunk;
  std::vector<std::string> attribute_names;
  std::vector<std::string> property_names;
  std::vector<std::string> event_types;
  std::unordered_map<std::string, std::uint32_t> attribute_slots;
  std::unordered_map<std::string, std::uint32_t> property_slots;
  std::unordered_map<std::string, std::uint32_t> event_ids;

  std::vector<RuleCode> rules;
  std::vector<AggregateCode> aggregates;
  std::vector<GroupCode> groups;
  std::vector<LimitCode> limits;
  std::vector<BandCode> bands;
  std::optional<std::pair<double, double>> scale;

  std::vector<std::vector<Consumer>> consumers_by_event;  // indexed by event id
  std::vector<Consumer> any_event_consumers;
  std::vector<std::uint32_t> state_rules;  // `when` rules, evaluated at the as-of time
  std::uint32_t max_rate_limit = 0;

  std::vector<std::string> group_names() const;
  std::vector<std::string> aggregate_texts() const;
  // Whether some rule or aggregate fed by an event reads its properties: per event id, and for
  // the types the model does not name (only `any` rules see those). A scoring pass need not
  // decode the properties of the other events.
  struct PropertyReaders {
    std::vector<bool> by_type;
    bool other_types = false;
  };
  PropertyReaders property_readers() const;
  std::string disassemble() const;
  std::string fingerprint() const;
};

}  // namespace leadscore::engine
