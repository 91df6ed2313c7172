// Checked syntax tree -> bytecode program.
#pragma once

#include <memory>

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"
#include "engine/program.hpp"

namespace leadscore::dsl {

// Flattens every condition, points expression, aggregate filter and limit condition into
// straight-line blocks of one chunk, and lays out the tables the evaluator needs. Reports
// what only compilation can find (a regular expression that does not compile).
std::unique_ptr<engine::Program> compile_program(const Model& model, DiagnosticSink& sink);

}  // namespace leadscore::dsl
