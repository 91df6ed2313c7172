// The canonical layout of a model's text (`leadscore fmt`).
#pragma once

#include <string>
#include <string_view>

#include "leadscore/leadscore.hpp"

namespace leadscore::dsl {

FormatResult format_source(std::string_view source, const std::string& file_name);

}  // namespace leadscore::dsl
