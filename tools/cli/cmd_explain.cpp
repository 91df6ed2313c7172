// leadscore explain --lead ID and leadscore replay --lead ID: one stored lead, read for a
// sales rep (why this score) and for a review meeting (how it got there).
#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "leadscore/escape.hpp"
#include "leadscore/timeline.hpp"
#include "tools/cli/project_options.hpp"
#include "tools/cli/report.hpp"

namespace po = boost::program_options;

namespace leadscore::cli {
namespace {

constexpr std::size_t events_shown_per_rule = 8;

std::string short_text(std::string s, std::size_t max = 40) {
  if (s.size() > max) s = s.substr(0, max - 3) + "...";
  return s;
}

// Event types and property values come from the imported data: escaped for the terminal.
std::string describe_event(const Event& e) {
  std::string out = escape_controls(e.type);
  for (const auto& [name, value] : e.properties) {
    out += " " + escape_controls(name) + "=" + short_text(escape_controls(value.to_string()));
  }
  return out;
}

std::string signed_number(double x) {
  return (x > 0 ? "+" : "") + format_number(x);
}

struct Loaded {
  std::unique_ptr<Project> project;
  std::optional<ProjectModelLoaded> model;
  LeadHistory history;
};

// Shared set-up of both commands; returns an exit code when the command must stop.
std::optional<int> load(CommandLine& command_line, int argc, char** argv, Loaded& out) {
  add_project_option(command_line);
  auto option = command_line.options.add_options();
  option("lead", po::value<std::string>()->value_name("ID"), "the lead (required)");
  option("model", po::value<std::string>()->value_name("NAME"),
         "a model of the project, or a file (default: the first)");
  option("format", po::value<std::string>()->value_name("FORMAT")->default_value("text"),
         "text or json");
  option("as-of", po::value<std::string>()->value_name("TIME"), "as of TIME (default: now)");
  if (auto stop = command_line.parse(argc, argv)) return *stop;
  const auto& values = command_line.values;
  if (!values.count("lead")) return command_line.usage_error("--lead ID is required");
  std::string format = values["format"].as<std::string>();
  if (format != "text" && format != "json")
    return command_line.usage_error("--format must be text or json");
  out.project = load_project_option(command_line);
  if (!out.project) return exit_usage;
  int exit_code = exit_ok;
  out.model = compile_project_model(
      *out.project, values.count("model") ? values["model"].as<std::string>() : "", exit_code);
  if (!out.model) return exit_code;
  auto store = open_store(*out.project, Store::Mode::read_only);
  if (!store) return exit_usage;
  const std::string id = values["lead"].as<std::string>();
  std::optional<LeadHistory> history;
  try {
    history = store->lead(id);
  } catch (const StoreError& e) {
    std::cerr << "leadscore: error: " << e.what() << '\n';
    return exit_usage;
  }
  if (!history) {
    std::cerr << "leadscore: error: no lead `" << escape_controls(id) << "` in "
              << out.project->database.string() << '\n';
    return exit_failed;
  }
  out.history = std::move(*history);
  return std::nullopt;
}

std::string outcome_text(const Project& project, const StoredOutcome& o) {
  const char* kind = "open";
  switch (project.classify(o.result)) {
    case OutcomeClass::won:
      kind = "won";
      break;
    case OutcomeClass::lost:
      kind = "lost";
      break;
    default:
      break;
  }
  return escape_controls(o.result) + " (" + kind + ")";
}

void explain_text(const Loaded& in, Timestamp as_of, const Explanation& ex) {
  const Score& score = ex.score;
  std::cout << "lead:   " << escape_controls(in.history.lead.id) << '\n'
            << "model:  " << escape_controls(in.model->name) << "  as of "
            << format_timestamp(as_of) << '\n'
            << "score:  " << format_number(score.score) << "   band: " << score.band;
  if (!score.band_description.empty()) std::cout << " - " << score.band_description;
  std::cout << "\n\ngroups:\n";
  print_group_totals(std::cout, score, "  ");
  if (!score.limits_applied.empty()) {
    std::cout << "\nlimits applied:\n";
    for (const auto& l : score.limits_applied) std::cout << "  " << l << '\n';
  }
  std::cout << "\nrules by impact:\n";
  print_contributions(std::cout, score, "  ", true);

  std::vector<std::size_t> order(score.rules.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::abs(score.rules[a].points) > std::abs(score.rules[b].points);
  });
  bool header = false;
  for (std::size_t r : order) {
    const RuleContribution& rule = score.rules[r];
    const auto& counted = ex.counted[r];
    if (counted.empty()) continue;
    if (!header) std::cout << "\nthe events behind each rule (points -> after decay):\n";
    header = true;
    double decay_took = rule.undecayed - rule.before_cap;
    std::cout << "  " << rule.rule << ": " << signed_number(rule.points);
    if (std::abs(decay_took) >= 0.005) std::cout << ", decay took " << format_number(decay_took);
    if (rule.points != rule.before_cap)
      std::cout << ", cap took " << format_number(rule.before_cap - rule.points);
    std::cout << '\n';
    std::size_t shown = 0;
    for (auto it = counted.rbegin(); it != counted.rend() && shown < events_shown_per_rule;
         ++it, ++shown) {
      const Event& e = in.history.events[it->event];
      std::cout << "    " << format_timestamp(e.ts) << "  " << describe_event(e) << "  "
                << signed_number(it->points) << " -> " << format_number(it->after_decay) << '\n';
    }
    if (counted.size() > shown)
      std::cout << "    ... and " << counted.size() - shown << " earlier events\n";
  }
  for (const auto& o : in.history.outcomes) {
    std::cout << "\noutcome: " << outcome_text(*in.project, o);
    if (o.has_time) std::cout << " at " << format_timestamp(o.ts);
    std::cout << '\n';
  }
}

void explain_json(const Loaded& in, Timestamp as_of, const Explanation& ex) {
  nlohmann::ordered_json out;
  out["lead"] = in.history.lead.id;
  out["model"] = in.model->name;
  out["as_of"] = format_timestamp(as_of);
  out["score"] = round_to(ex.score.score);
  out["band"] = ex.score.band;
  out["groups"] = nlohmann::ordered_json::array();
  for (const auto& g : ex.score.groups) {
    out["groups"].push_back(
        {{"group", g.group},
         {"total", round_to(g.total)},
         {"grade", g.grade.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(g.grade)}});
  }
  out["limits_applied"] = ex.score.limits_applied;
  out["rules"] = nlohmann::ordered_json::array();
  for (std::size_t r = 0; r < ex.score.rules.size(); ++r) {
    const auto& rule = ex.score.rules[r];
    nlohmann::ordered_json events = nlohmann::ordered_json::array();
    for (const auto& c : ex.counted[r]) {
      const Event& e = in.history.events[c.event];
      events.push_back({{"ts", format_timestamp(e.ts)},
                        {"type", e.type},
                        {"id", in.history.event_ids[c.event]},
                        {"points", round_to(c.points)},
                        {"after_decay", round_to(c.after_decay)}});
    }
    out["rules"].push_back({{"rule", rule.rule},
                            {"group", rule.group},
                            {"points", round_to(rule.points)},
                            {"before_cap", round_to(rule.before_cap)},
                            {"undecayed", round_to(rule.undecayed)},
                            {"decay_took", round_to(rule.undecayed - rule.before_cap)},
                            {"events", events}});
  }
  out["outcomes"] = nlohmann::ordered_json::array();
  for (const auto& o : in.history.outcomes) {
    out["outcomes"].push_back(
        {{"result", o.result},
         {"ts", o.has_time ? nlohmann::ordered_json(format_timestamp(o.ts)) : nullptr}});
  }
  std::cout << out.dump(2) << '\n';
}

}  // namespace

int run_explain(int argc, char** argv) {
  CommandLine command_line(
      "leadscore explain --lead ID [--as-of TIME] [--model NAME] [--format text|json]",
      "The breakdown a sales rep reads: the lead's score and band, its group totals, and each\n"
      "rule's points with the events behind them and how much decay took away.");
  Loaded in;
  if (auto stop = load(command_line, argc, argv, in)) return *stop;
  auto as_of = parse_time_option(command_line, "as-of", now_ms());
  if (!as_of) return exit_usage;
  Explanation ex = in.model->model->explain(in.history.lead, in.history.events, *as_of);
  if (command_line.values["format"].as<std::string>() == "json") {
    explain_json(in, *as_of, ex);
  } else {
    explain_text(in, *as_of, ex);
  }
  return exit_ok;
}

int run_replay(int argc, char** argv) {
  CommandLine command_line(
      "leadscore replay --lead ID [--model NAME] [--format text|json] [--as-of TIME]",
      "The review-meeting view of one lead: its timeline event by event, the rules each event\n"
      "fired, the score right after it and every band change, ending with the outcome.");
  Loaded in;
  if (auto stop = load(command_line, argc, argv, in)) return *stop;
  auto end = parse_time_option(command_line, "as-of", now_ms());
  if (!end) return exit_usage;
  const Model& model = *in.model->model;
  const auto& events = in.history.events;
  const bool json = command_line.values["format"].as<std::string>() == "json";
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  std::vector<std::vector<std::string>> rows = {{"time", "event", "fired", "score", "band"}};
  std::size_t next_outcome = 0;
  auto outcomes_until = [&](std::optional<Timestamp> t) {
    for (; next_outcome < in.history.outcomes.size(); ++next_outcome) {
      const auto& o = in.history.outcomes[next_outcome];
      if (t && o.has_time && o.ts > *t) break;
      if (t && !o.has_time) break;
      std::string when = o.has_time ? format_timestamp(o.ts) : "(no date)";
      rows.push_back({when, "outcome: " + outcome_text(*in.project, o), "", "", ""});
      steps.push_back(
          {{"ts", o.has_time ? nlohmann::ordered_json(when) : nullptr}, {"outcome", o.result}});
    }
  };
  auto fired_text = [](const TimelineStep& step) {
    std::string fired;
    for (const auto& f : step.fired) {
      fired += (fired.empty() ? "" : ", ") + f.rule + " " + signed_number(f.points);
    }
    return fired.empty() ? std::string("-") : fired;
  };
  // The timeline is computed in one pass by the library; this only lays it out. Outcomes are
  // placed before the first event after them, as they always were.
  Timeline timeline(model, in.history.lead, events, *end);
  std::size_t events_shown = 0;
  while (std::optional<TimelineStep> step = timeline.next()) {
    if (step->kind == TimelineStep::Kind::event) {
      outcomes_until(step->at - 1);
      ++events_shown;
    } else if (step->profile != TimelineStep::Profile::always && events_shown < events.size() &&
               events[events_shown].ts <= *end) {
      outcomes_until(events[events_shown].ts - 1);
    }
    std::string band_text = step->band;
    if (step->band_changed && !step->previous_band.empty())
      band_text += "  (was " + step->previous_band + ")";
    const std::string when = format_timestamp(step->at);
    if (step->kind == TimelineStep::Kind::profile) {
      const char* what = step->profile == TimelineStep::Profile::first
                             ? "profile (first attributes)"
                         : step->profile == TimelineStep::Profile::updated ? "profile updated"
                                                                           : "profile";
      rows.push_back({when, what, fired_text(*step), format_number(step->score), band_text});
      steps.push_back({{"ts", when},
                       {"attributes", what},
                       {"score", round_to(step->score)},
                       {"band", step->band},
                       {"band_changed", step->band_changed}});
      continue;
    }
    const Event& e = events[step->event];
    nlohmann::ordered_json fired_json = nlohmann::ordered_json::array();
    for (const auto& f : step->fired) {
      fired_json.push_back({{"rule", f.rule}, {"points", round_to(f.points)}});
    }
    rows.push_back({when, short_text(describe_event(e), 50), fired_text(*step),
                    format_number(step->score), band_text});
    steps.push_back({{"ts", when},
                     {"event", e.type},
                     {"id", in.history.event_ids[step->event]},
                     {"fired", fired_json},
                     {"score", round_to(step->score)},
                     {"band", step->band},
                     {"band_changed", step->band_changed}});
  }
  Score final_score = model.evaluate(in.history.lead, events, *end);
  outcomes_until(std::nullopt);
  if (json) {
    nlohmann::ordered_json out;
    out["lead"] = in.history.lead.id;
    out["model"] = in.model->name;
    out["steps"] = steps;
    out["final"] = {{"as_of", format_timestamp(*end)},
                    {"score", round_to(final_score.score)},
                    {"band", final_score.band}};
    std::cout << out.dump(2) << '\n';
    return exit_ok;
  }
  std::cout << "lead " << escape_controls(in.history.lead.id) << " with model "
            << escape_controls(in.model->name) << ": " << events.size() << " events\n\n";
  std::vector<std::size_t> width(5, 0);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < 5; ++c) width[c] = std::max(width[c], r[c].size());
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < 5; ++c) {
      std::string pad(width[c] - r[c].size(), ' ');
      line += c == 3 ? pad + r[c] : r[c] + (c + 1 < 5 ? pad : "");
      if (c + 1 < 5) line += "  ";
    }
    line.erase(line.find_last_not_of(' ') + 1);
    std::cout << line << '\n';
  }
  std::cout << "\nas of " << format_timestamp(*end) << ": score "
            << format_number(final_score.score) << ", band " << final_score.band << '\n';
  return exit_ok;
}

}  // namespace leadscore::cli
