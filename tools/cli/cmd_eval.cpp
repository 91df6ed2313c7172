// leadscore eval MODEL --lead FILE [--events FILE] [--as-of T] [--format text|json]:
// scores one lead and explains the score.
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/cli/commands.hpp"
#include "tools/cli/json_input.hpp"
#include "tools/cli/report.hpp"

namespace po = boost::program_options;

namespace leadscore::cli {
namespace {

Timestamp now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// null instead of "" where a value does not exist (no grade, no label).
nlohmann::ordered_json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(text);
}

void print_json(const Model& model, Timestamp as_of, const Score& score) {
  nlohmann::ordered_json out;
  out["model"] = model.name();
  out["as_of"] = format_timestamp(as_of);
  out["score"] = round_to(score.score);
  out["band"] = score.band;
  out["band_description"] = score.band_description;
  out["groups"] = nlohmann::ordered_json::array();
  for (const auto& g : score.groups) {
    out["groups"].push_back({{"group", g.group},
                             {"total", round_to(g.total)},
                             {"before_limits", round_to(g.before_limits)},
                             {"grade", text_or_null(g.grade)}});
  }
  out["limits_applied"] = score.limits_applied;
  out["rules"] = nlohmann::ordered_json::array();
  for (const auto& r : by_impact(score.rules)) {
    out["rules"].push_back({{"rule", r.rule},
                            {"label", text_or_null(r.label)},
                            {"group", r.group},
                            {"points", round_to(r.points)},
                            {"before_cap", round_to(r.before_cap)},
                            {"undecayed", round_to(r.undecayed)},
                            {"matches", r.matches},
                            {"counted", r.counted}});
  }
  std::cout << out.dump(2) << '\n';
}

void print_text(const Model& model, const Lead& lead, Timestamp as_of, const Score& score) {
  std::cout << "model:  " << model.name();
  if (!model.version().empty()) std::cout << " (version " << model.version() << ")";
  std::cout << '\n';
  if (!lead.id.empty()) std::cout << "lead:   " << lead.id << '\n';
  std::cout << "as of:  " << format_timestamp(as_of) << '\n'
            << "score:  " << format_number(score.score) << '\n'
            << "band:   " << score.band;
  if (!score.band_description.empty()) std::cout << " - " << score.band_description;
  std::cout << "\n\ngroups:\n";
  print_group_totals(std::cout, score, "  ");
  std::cout << "\nlimits applied:" << (score.limits_applied.empty() ? " none\n" : "\n");
  for (const auto& limit : score.limits_applied) std::cout << "  " << limit << '\n';
  std::cout << "\nrules by impact:\n";
  print_contributions(std::cout, score, "  ");
}

}  // namespace

int run_eval(int argc, char** argv) {
  CommandLine command_line(
      "leadscore eval MODEL --lead FILE [--events FILE] [--as-of TIME] [--format text|json] "
      "[--schema FILE]",
      "Scores one lead with MODEL and explains the score: the band, the group totals and\n"
      "every rule's contribution, largest first.\n"
      "\n"
      "The lead file is JSON: a flat object of attributes, {\"id\": ..., \"attrs\": {...}}, or\n"
      "{\"id\": ..., \"versions\": [{\"at\": TIME, \"attrs\": {...}}, ...]}. The events file is\n"
      "JSON Lines, one {\"type\": ..., \"ts\": TIME, ...properties} a line (`at` for `ts` is\n"
      "fine; `id` and `lead_id` are ignored). TIME is RFC 3339 or a date (midnight UTC).");
  add_schema_option(command_line);
  auto option = command_line.options.add_options();
  option("lead", po::value<std::string>()->value_name("FILE"), "the lead (JSON), required");
  option("events", po::value<std::string>()->value_name("FILE"), "its events (JSON Lines)");
  option("as-of", po::value<std::string>()->value_name("TIME"), "score as of TIME (default: now)");
  option("format", po::value<std::string>()->value_name("text|json")->default_value("text"),
         "output format");
  command_line.operands.add_options()("model", po::value<std::string>());
  command_line.positional.add("model", 1);
  if (auto stop = command_line.parse(argc, argv)) return *stop;

  const auto& values = command_line.values;
  if (!values.count("model")) return command_line.usage_error("no model file given");
  if (!values.count("lead")) return command_line.usage_error("--lead FILE is required");
  const std::string format = values["format"].as<std::string>();
  if (format != "text" && format != "json") {
    return command_line.usage_error("--format must be text or json, not `" + format + "`");
  }
  Timestamp as_of = now();
  if (values.count("as-of")) {
    const std::string text = values["as-of"].as<std::string>();
    auto parsed = parse_timestamp(text);
    if (!parsed)
      return command_line.usage_error("--as-of `" + text + "` is not a date or RFC 3339 time");
    as_of = *parsed;
  }

  Lead lead;
  std::vector<Event> events;
  try {
    lead = load_lead_json(values["lead"].as<std::string>());
    if (values.count("events")) events = load_events_jsonl(values["events"].as<std::string>());
  } catch (const InputError& e) {
    std::cerr << "leadscore: error: " << e.what() << '\n';
    return exit_usage;
  }

  int exit_code = exit_ok;
  auto model = compile_model(command_line, values["model"].as<std::string>(), exit_code);
  if (!model) return exit_code;

  if (!version_at(lead, as_of)) {
    std::cerr << "leadscore: note: no attribute version of the lead is valid at "
              << format_timestamp(as_of) << "; every attribute is missing\n";
  }
  const Score score = model->evaluate(lead, events, as_of);
  if (format == "json") {
    print_json(*model, as_of, score);
  } else {
    print_text(*model, lead, as_of, score);
  }
  return exit_ok;
}

}  // namespace leadscore::cli
