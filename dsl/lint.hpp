// Lint: the warnings a reviewer would raise about a model that compiles (codes LS010-LS029),
// each explained in dsl/LANGUAGE.md. Run by the pipeline when CompileOptions::lint is set.
#pragma once

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"
#include "engine/program.hpp"
#include "leadscore/leadscore.hpp"

namespace leadscore::dsl {

// `model` is the checked syntax tree and `program` what it compiled to.
void lint_model(const Model& model, const engine::Program& program, const Schema* schema,
                DiagnosticSink& sink);

}  // namespace leadscore::dsl
