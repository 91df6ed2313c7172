// Names, types and structure: everything about a model that can be wrong after it parsed.
#pragma once

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"
#include "leadscore/leadscore.hpp"

namespace leadscore::dsl {

// Checks the model and annotates it in place: what each bare name stands for, which string
// literals are timestamps, and the list of aggregates. Reports every problem to `sink`.
// List entries must already be loaded. After syntax errors (`partial`), items that failed to
// parse are absent, so names that may have been declared there are not reported as unknown.
void check_model(Model& model, const Schema* schema, DiagnosticSink& sink, bool partial);

}  // namespace leadscore::dsl
