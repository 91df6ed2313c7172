// Reading a schema from an already parsed YAML node: shared by schema files and the `schema:`
// key of a project file, so both report mistakes the same way (LS500 at the node's line).
#pragma once

#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>
#include <vector>

#include "leadscore/leadscore.hpp"

namespace leadscore {

// Null when there were errors; they are appended to `diagnostics`.
std::unique_ptr<Schema> schema_from_yaml(const YAML::Node& root, const std::string& file_name,
                                         std::vector<Diagnostic>& diagnostics);

}  // namespace leadscore
