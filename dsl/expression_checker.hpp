// Expressions: what each name stands for, the type of every operand, and the schema.
// Used by dsl/checker.cpp for each condition, points expression and limit.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"
#include "leadscore/leadscore.hpp"

namespace leadscore::dsl {

// Where an expression sits decides what its bare names mean (spec 4.2, 3.4).
enum class Place : std::uint8_t {
  when_condition,   // bare names are attributes; aggregates allowed
  when_points,      // same
  event_condition,  // `where`: bare names are the event's properties
  event_points,     // points of an `on` rule: same
  limit_condition,  // a group's name stands for its total
  aggregate_where,  // inside count(... where ...): the aggregated event's properties
};

struct Scope {
  Place place;
  std::string event_type;  // for event places; "any" for every type
  bool reads_events = false;
};

// Reports a duration that is not above zero; shared by rules, groups and aggregates.
void check_duration(const Duration& d, const char* what, DiagnosticSink& sink);

class ExpressionChecker {
 public:
  ExpressionChecker(Model& model, const Schema* schema, DiagnosticSink& sink, bool partial);

  // A condition must be true/false; points must be a number. Both annotate the tree.
  void expect_condition(Expr& e, Scope& scope);
  void expect_points(Expr& e, Scope& scope);
  void check_event_type(const std::string& type, Span span);
  // Without a schema: a name used once that is close to another is most likely a typo.
  void warn_lonely_names();

 private:
  ValueType type_of(Expr& e, Scope& scope);
  ValueType name_type(Expr& e, Scope& scope);
  void warn_attribute_meant_otherwise(const Expr& e, const Scope& scope);
  ValueType attribute_type(const std::string& name, Span span);
  ValueType property_type(const std::string& event_type, const std::string& name, Span span);
  ValueType call_type(Expr& e, Scope& scope);
  ValueType aggregate_type(Expr& e, Scope& scope);
  ValueType unary_type(Expr& e, Scope& scope);
  ValueType binary_type(Expr& e, Scope& scope);
  void compare_types(Expr& e, std::vector<ValueType>& t);
  void mismatch(Expr& e, ValueType left, ValueType right);
  bool read_as_timestamp(Expr& literal);
  bool is_group(const std::string& name) const;

  Model& model_;
  const Schema* schema_;
  DiagnosticSink& sink_;
  bool partial_;
  std::vector<std::string> list_names_;
  std::map<std::string, std::vector<Span>> attribute_uses_;
  std::map<std::string, std::vector<Span>> event_uses_;
  std::map<std::string, std::vector<Span>> property_uses_;
};

}  // namespace leadscore::dsl
