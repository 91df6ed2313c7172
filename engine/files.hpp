// Reading a whole file, for the loaders of models, list files, schemas and project files:
// each turns a failure into its own diagnostic, so this only says whether it worked.
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace leadscore::files {

// The file's bytes, or nothing when it cannot be opened or read.
inline std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return out.str();
}

}  // namespace leadscore::files
