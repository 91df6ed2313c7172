// leadscore calibrate [MODEL] ... and leadscore diff OLD NEW ...: replay the stored history
// with a model (or two), compare the scores with what happened, and print the report as
// tables, JSON or an HTML page.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <vector>

#include "engine/calibration/backtest.hpp"
#include "engine/calibration/report_builder.hpp"
#include "engine/text.hpp"
#include "leadscore/escape.hpp"
#include "tools/cli/calibration_html.hpp"
#include "tools/cli/calibration_json.hpp"
#include "tools/cli/calibration_text.hpp"
#include "tools/cli/project_options.hpp"

namespace po = boost::program_options;

namespace leadscore::cli {
namespace {

namespace cal = calibration;

constexpr const char* mode_help =
    "Leads are scored in one of two ways:\n"
    "  --as-of T --horizon D  every lead created before T is scored with what was known at T\n"
    "                         (events up to T, the attribute version in force then) and\n"
    "                         counts as converted when it was won in (T, T+D]. Leads already\n"
    "                         won or lost at T are left out. D is hours, days or weeks: 2160h,\n"
    "                         90d, 12w. This is the honest estimate.\n"
    "  --before-outcome       (the default) each lead is scored 1 ms before its won or lost\n"
    "                         outcome, open leads at the end of history. This flatters the\n"
    "                         model: the activity right before a decision is in the score.\n"
    "\n"
    "Exits with 1 when there is nothing to calibrate (no leads in scope, or all of them in one\n"
    "class); what can be shown is still shown.";

struct Options {
  cal::BacktestMode mode;
  std::string by;
  bool json = false;
  std::string html;  // "" for none
};

void add_options(CommandLine& command_line) {
  add_project_option(command_line);
  auto option = command_line.options.add_options();
  option("as-of", po::value<std::string>()->value_name("TIME"),
         "score every lead as of TIME (RFC 3339 or a date); needs --horizon");
  option("horizon", po::value<std::string>()->value_name("D"),
         "converted = won within D after --as-of: 2160h, 90d, 12w");
  option("before-outcome", po::bool_switch(), "score each lead just before its outcome (default)");
  option("by", po::value<std::string>()->value_name("ATTR"),
         "also break the figures down by this lead attribute");
  option("format", po::value<std::string>()->value_name("text|json")->default_value("text"),
         "text tables or JSON");
  option("json", po::bool_switch(), "the same as --format json");
  option("html", po::value<std::string>()->value_name("FILE"), "also write an HTML report");
}

// Reads the mode and output options; an exit code when the command line is wrong.
std::optional<int> read_options(const CommandLine& command_line, Options& out) {
  const auto& values = command_line.values;
  const bool as_of = values.count("as-of") > 0;
  const bool horizon = values.count("horizon") > 0;
  if (values["before-outcome"].as<bool>() && (as_of || horizon))
    return command_line.usage_error("--before-outcome cannot be combined with --as-of/--horizon");
  if (as_of != horizon)
    return command_line.usage_error("--as-of and --horizon go together: give both or neither");
  if (as_of) {
    auto t = parse_time_option(command_line, "as-of", 0);
    if (!t) return exit_usage;
    const std::string text = values["horizon"].as<std::string>();
    auto d = cal::parse_horizon(text);
    if (!d)
      return command_line.usage_error("--horizon `" + text +
                                      "` is not a whole number of hours, days or weeks "
                                      "(2160h, 90d, 12w)");
    out.mode.kind = cal::BacktestMode::Kind::as_of;
    out.mode.as_of = *t;
    out.mode.horizon = *d;
  }
  if (values.count("by")) out.by = values["by"].as<std::string>();
  const std::string format = values["format"].as<std::string>();
  if (format != "text" && format != "json")
    return command_line.usage_error("--format must be text or json, not `" + format + "`");
  out.json = values["json"].as<bool>() || format == "json";
  if (values.count("html")) out.html = values["html"].as<std::string>();
  return std::nullopt;
}

// --by ATTR that no imported lead has: the breakdown would be one segment, (missing), which
// reads like a finding. Returns the warning, naming the closest attribute the schema declares
// or the leads have (a typo is the usual cause); "" when some lead has ATTR.
std::string unknown_attribute_warning(Store& store, const Project& project,
                                      const std::string& attribute) {
  if (attribute.empty()) return {};
  std::vector<std::string> names = store.attribute_names();
  if (std::find(names.begin(), names.end(), attribute) != names.end()) return {};
  std::vector<std::string> candidates;
  if (project.schema) {
    for (const auto& [name, type] : project.schema->attributes) candidates.push_back(name);
  }
  for (const auto& name : names) {
    if (std::find(candidates.begin(), candidates.end(), name) == candidates.end())
      candidates.push_back(name);
  }
  std::string warning = "no imported lead has the attribute `" + attribute +
                        "`; every lead falls in the segment " + cal::missing_segment;
  if (auto near = text::closest_name(attribute, candidates)) {
    warning += "; did you mean `" + *near + "`?";
  }
  return warning;
}

bool write_html(const std::string& file, const std::string& page) {
  std::ofstream out(file, std::ios::binary);
  out << page;
  out.close();
  if (!out) {
    std::cerr << "leadscore: error: cannot write " << file << '\n';
    return false;
  }
  std::cerr << "leadscore: wrote " << file << '\n';
  return true;
}

// What calibrate and diff share after parsing: the project, its store and the models.
struct Setup {
  std::unique_ptr<Project> project;
  std::unique_ptr<Store> store;
  std::vector<ProjectModelLoaded> models;
  std::string by_warning;  // see unknown_attribute_warning
};

std::optional<int> set_up(const CommandLine& command_line, const std::vector<std::string>& names,
                          const std::string& by, Setup& out) {
  out.project = load_project_option(command_line);
  if (!out.project) return exit_usage;
  for (const auto& name : names) {
    int exit_code = exit_ok;
    auto loaded = compile_project_model(*out.project, name, exit_code);
    if (!loaded) return exit_code;
    out.models.push_back(std::move(*loaded));
  }
  out.store = open_store(*out.project, Store::Mode::read_only);
  if (!out.store) return exit_usage;
  try {
    for (const auto& m : out.models) warn_unseen_names(*m.model, *out.store);
    out.by_warning = unknown_attribute_warning(*out.store, *out.project, by);
    if (!out.by_warning.empty())
      std::cerr << "leadscore: warning: " << escape_controls(out.by_warning) << '\n';
  } catch (const StoreError& e) {
    std::cerr << "leadscore: error: " << e.what() << '\n';
    return exit_usage;
  }
  return std::nullopt;
}

// Lead ids and attribute values come from CRM exports and need not be valid UTF-8; a bad
// byte becomes U+FFFD rather than an exception halfway through the output.
std::string dump(const nlohmann::ordered_json& json) {
  return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

int finish(const std::string& problem) {
  if (problem.empty()) return exit_ok;
  std::cerr << "leadscore: error: nothing to calibrate: " << problem << '\n';
  return exit_failed;
}

}  // namespace

int run_calibrate(int argc, char** argv) {
  CommandLine command_line(
      "leadscore calibrate [MODEL] [--as-of TIME --horizon D | --before-outcome] [--by ATTR] "
      "[--format text|json] [--html FILE] [--project FILE]",
      std::string("Replays the stored history with MODEL (a model of the project, by name or "
                  "file;\ndefault: the first) and compares its scores with the outcomes: how "
                  "well it ranks\nleads (AUC, KS, bands, deciles), what each rule is worth, and "
                  "the deals to review.\n\n") +
          mode_help);
  add_options(command_line);
  command_line.operands.add_options()("model", po::value<std::string>());
  command_line.positional.add("model", 1);
  if (auto stop = command_line.parse(argc, argv)) return *stop;
  Options options;
  if (auto stop = read_options(command_line, options)) return *stop;
  const std::string name =
      command_line.values.count("model") ? command_line.values["model"].as<std::string>() : "";

  Setup setup;
  if (auto stop = set_up(command_line, {name}, options.by, setup)) return *stop;
  const ProjectModelLoaded& loaded = setup.models.front();
  cal::CalibrationReport report;
  try {
    cal::BacktestStats stats;
    auto started = std::chrono::steady_clock::now();
    auto rows = cal::run_backtest(*setup.store, *loaded.model, *setup.project, options.mode,
                                  options.by, stats);
    auto replayed = std::chrono::steady_clock::now();
    report = cal::build_report(*loaded.model, loaded.name, rows, options.mode, options.by);
    report.stats = stats;
    report.segment_warning = setup.by_warning;
    if (std::getenv("LEADSCORE_TIMING")) {  // for the benchmark notes, not for users
      auto ms = [](auto a, auto b) {
        return std::chrono::duration<double, std::milli>(b - a).count();
      };
      std::fprintf(stderr, "timing: backtest %.0f ms, metrics and fit %.0f ms\n",
                   ms(started, replayed), ms(replayed, std::chrono::steady_clock::now()));
    }
  } catch (const StoreError& e) {
    std::cerr << "leadscore: error: " << e.what() << '\n';
    return exit_usage;
  }

  if (options.json) {
    std::cout << dump(calibration_json(report)) << '\n';
  } else {
    print_calibration_text(std::cout, report);
  }
  if (!options.html.empty() && !write_html(options.html, render_calibration_html(report)))
    return exit_usage;
  return finish(report.problem);
}

int run_diff(int argc, char** argv) {
  CommandLine command_line(
      "leadscore diff OLD NEW [--as-of TIME --horizon D | --before-outcome] [--by ATTR] "
      "[--format text|json] [--html FILE] [--project FILE]",
      std::string("Backtests two models (each a model of the project by name, or a file) on the "
                  "same\nleads in one pass and shows both AUCs, how leads move between their "
                  "bands and\nwhich leads change band.\n\n") +
          mode_help);
  add_options(command_line);
  command_line.operands.add_options()("old", po::value<std::string>())("new",
                                                                       po::value<std::string>());
  command_line.positional.add("old", 1).add("new", 1);
  if (auto stop = command_line.parse(argc, argv)) return *stop;
  const auto& values = command_line.values;
  if (!values.count("old") || !values.count("new"))
    return command_line.usage_error("give two models: the old one and the new one");
  Options options;
  if (auto stop = read_options(command_line, options)) return *stop;

  Setup setup;
  if (auto stop =
          set_up(command_line, {values["old"].as<std::string>(), values["new"].as<std::string>()},
                 options.by, setup))
    return *stop;
  const auto& old_model = setup.models[0];
  const auto& new_model = setup.models[1];
  cal::DiffReport report;
  try {
    cal::BacktestStats stats;
    const Model* models[] = {old_model.model.get(), new_model.model.get()};
    auto rows =
        cal::run_backtest(*setup.store, models, *setup.project, options.mode, options.by, stats);
    report = cal::build_diff(*old_model.model, old_model.name, rows[0], *new_model.model,
                             new_model.name, rows[1], options.mode, options.by);
    report.old_model.stats = stats;
    report.new_model.stats = stats;
    report.old_model.segment_warning = report.new_model.segment_warning = setup.by_warning;
  } catch (const StoreError& e) {
    std::cerr << "leadscore: error: " << e.what() << '\n';
    return exit_usage;
  }

  if (options.json) {
    std::cout << dump(diff_json(report)) << '\n';
  } else {
    print_diff_text(std::cout, report);
  }
  if (!options.html.empty() && !write_html(options.html, render_diff_html(report)))
    return exit_usage;
  return finish(report.old_model.problem);
}

}  // namespace leadscore::cli
