// Decides whether a condition can ever be true (lint warning LS011).
#pragma once

#include <optional>

#include "dsl/ast.hpp"

namespace leadscore::dsl {

struct ConditionConflict {
  Span first;
  Span second;  // length 0: `first` alone can never hold
};

// The comparisons that contradict each other, or nothing when the condition may hold (also
// when it is too complex to decide: the check errs on the quiet side).
std::optional<ConditionConflict> find_contradiction(const Model& model, const Expr& condition);

}  // namespace leadscore::dsl
