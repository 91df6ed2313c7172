// Source text -> syntax tree, reporting every syntax error it can find.
#pragma once

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"
#include "leadscore/leadscore.hpp"

namespace leadscore::dsl {

// Parses a whole model. After a syntax error the parser skips to the next rule or top-level
// item and goes on, so one run reports every independent mistake. The tree holds whatever
// parsed cleanly; it is only compiled when `sink` has no errors. List files are not read here.
Model parse_model(const SourceText& source, const Limits& limits, DiagnosticSink& sink);

// PEGTL's static grammar analysis of every entry point: the number of rules that could loop
// without consuming input (must be 0). For a unit test.
std::size_t grammar_problems();

}  // namespace leadscore::dsl
