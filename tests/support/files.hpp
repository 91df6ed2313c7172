// Reading files and running the built command line from tests.
#pragma once

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace leadscore::testing {

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The `*.score` files directly in `dir`, sorted.
inline std::vector<std::filesystem::path> models_in(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".score") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct CommandResult {
  int exit_code = -1;  // -1 when the command could not run or did not exit normally
  std::string output;  // its standard output (redirect stderr in `command` to capture it)
};

// Runs a shell command and collects what it prints.
inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) {
    result.output.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

}  // namespace leadscore::testing
