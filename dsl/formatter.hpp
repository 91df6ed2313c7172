// The canonical layout of a model's text (`leadscore fmt`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dsl/ast.hpp"

#include "leadscore/leadscore.hpp"

namespace leadscore::dsl {

FormatResult format_source(std::string_view source, const std::string& file_name);

// The byte spans of the pieces `fmt` prints starting on lines of their own -- top-level items,
// group headers, rules, closing braces, comment lines -- in source order, each with the
// comment that trails it on its last line. Formatting moves these pieces onto lines of their
// own but keeps the line breaks inside a piece that holds a comment, which is what lets
// `# leadscore: ignore` be layout-proof (engine/model.cpp). Empty when the text cannot be cut.
std::vector<Span> layout_units(std::string_view source);

}  // namespace leadscore::dsl
