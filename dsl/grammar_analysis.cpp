// PEGTL's analysis of the grammar (rules that could loop without consuming input), run by a
// test. In its own translation unit: instantiating the analysis over the whole grammar costs
// as much build time as a third of the parser itself.
#include <tao/pegtl/contrib/analyze.hpp>

#include "dsl/grammar.hpp"
#include "dsl/parser.hpp"

namespace leadscore::dsl {

std::size_t grammar_problems() {
  namespace pg = tao::pegtl;
  return pg::analyze<grammar::top_item>(-1) + pg::analyze<grammar::rule_item>(-1);
}

}  // namespace leadscore::dsl
