// What a public leadscore::Model holds.
#pragma once

#include <memory>

#include "engine/program.hpp"
#include "leadscore/leadscore.hpp"

namespace leadscore {

struct Model::Impl {
  std::unique_ptr<engine::Program> program;
};

}  // namespace leadscore
