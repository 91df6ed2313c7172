// Written in the next commit.
#include "tools/cli/commands.hpp"
namespace leadscore::cli {
int run_calibrate(int, char**) { return exit_usage; }
int run_diff(int, char**) { return exit_usage; }
}  // namespace leadscore::cli
