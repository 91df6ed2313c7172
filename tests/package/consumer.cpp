#include <leadscore/leadscore.hpp>

#include <iostream>

int main() {
  auto compiled = leadscore::Model::compile(
      "model \"m\"\nband hot >= 10\nband cold\n"
      "fit profile { big: +12 when employees >= 100 }\n",
      "consumer.score");
  if (!compiled.model) return 1;
  leadscore::Lead lead;
  lead.versions.push_back({std::nullopt, {{"employees", leadscore::Value::number(250)}}});
  leadscore::Score s = compiled.model->evaluate(lead, {}, 0);
  std::cout << s.score << " " << s.band << "\n";
  return s.band == "hot" && s.score == 12 ? 0 : 1;
}
