// leadscore score [MODEL] ... and leadscore changes ...
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <queue>

#include <nlohmann/json.hpp>

#include "leadscore/escape.hpp"
#include "tools/cli/project_options.hpp"
#include "tools/cli/report.hpp"

namespace po = boost::program_options;

namespace leadscore::cli {
namespace {

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

struct TopLead {
  double score;
  std::string id, band, grades;
  bool operator<(const TopLead& other) const {  // min-heap on score: the weakest on top
    return score != other.score ? score > other.score : id < other.id;
  }
};

std::string joined_grades(const LeadScoreLine& line) {
  std::string out;
  for (auto g : *line.grades) {
    if (g.empty()) continue;
    out += out.empty() ? "" : "/";
    out += g;
  }
  return out;
}

void print_table(std::vector<TopLead> top) {
  std::sort(top.begin(), top.end(), [](const TopLead& a, const TopLead& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  // Ids come from the imported data: escaped (after sorting, which is on the real id) so that
  // no control sequence reaches the terminal, and measured as printed.
  for (auto& t : top) t.id = escape_controls(t.id);
  std::size_t id_width = 4, band_width = 4;
  for (const auto& t : top) {
    id_width = std::max(id_width, t.id.size());
    band_width = std::max(band_width, t.band.size());
  }
  auto pad = [](std::string s, std::size_t w) { return s + std::string(w - s.size(), ' '); };
  std::cout << pad("lead", id_width) << "  "
            << "  score  " << pad("band", band_width) << "  grades\n";
  for (const auto& t : top) {
    std::string score = format_number(t.score);
    std::cout << pad(t.id, id_width) << "  "
              << std::string(7 - std::min<std::size_t>(7, score.size()), ' ') << score << "  "
              << pad(t.band, band_width) << "  " << t.grades << '\n';
  }
}

}  // namespace

int run_score(int argc, char** argv) {
  CommandLine command_line(
      "leadscore score [MODEL] [--as-of TIME] [--lead ID] [--format table|csv|jsonl] [--top N]",
      "Scores every lead in the project's database (or one) with MODEL (a name from the\n"
      "project's `models`, or a file; default: the first), stores the scores with the model's\n"
      "name, fingerprint and the as-of time, and records every band change against the last\n"
      "stored score of the same model (see `leadscore changes`).\n"
      "\n"
      "table prints the top N leads by score (default 20; 0 = all); csv and jsonl print every\n"
      "lead in lead order.");
  add_project_option(command_line);
  auto option = command_line.options.add_options();
  option("as-of", po::value<std::string>()->value_name("TIME"), "score as of TIME (default: now)");
  option("lead", po::value<std::string>()->value_name("ID"), "score only this lead");
  option("format", po::value<std::string>()->value_name("FORMAT")->default_value("table"),
         "table, csv or jsonl");
  option("top", po::value<std::size_t>()->value_name("N")->default_value(20),
         "table: how many leads to show");
  command_line.operands.add_options()("model", po::value<std::string>());
  command_line.positional.add("model", 1);
  if (auto stop = command_line.parse(argc, argv)) return *stop;
  const auto& values = command_line.values;
  const std::string format = values["format"].as<std::string>();
  if (format != "table" && format != "csv" && format != "jsonl")
    return command_line.usage_error("--format must be table, csv or jsonl");
  auto as_of = parse_time_option(command_line, "as-of", now_ms());
  if (!as_of) return exit_usage;
  std::optional<std::string> lead;
  if (values.count("lead")) lead = values["lead"].as<std::string>();

  auto project = load_project_option(command_line);
  if (!project) return exit_usage;
  int exit_code = exit_ok;
  auto loaded = compile_project_model(
      *project, values.count("model") ? values["model"].as<std::string>() : "", exit_code);
  if (!loaded) return exit_code;
  auto store = open_store(*project, Store::Mode::read_write);
  if (!store) return exit_usage;
  if (lead) warn_unseen_names(*loaded->model, *store);

  const std::size_t top_n = values["top"].as<std::size_t>();
  std::priority_queue<TopLead> top;
  std::vector<TopLead> all;
  if (format == "csv") std::cout << "lead,score,band,grades,previous_band\n";
  ScoreRunReport report;
  try {
    report =
        store->score(*loaded->model, loaded->name, *as_of, lead, [&](const LeadScoreLine& line) {
          if (format == "csv") {
            std::cout << csv_field(line.lead_id) << ',' << format_number(line.score) << ','
                      << csv_field(line.band) << ',' << csv_field(joined_grades(line)) << ','
                      << csv_field(line.previous_band) << '\n';
          } else if (format == "jsonl") {
            nlohmann::ordered_json j;
            j["lead"] = line.lead_id;
            j["score"] = round_to(line.score);
            j["band"] = line.band;
            j["grades"] = *line.grades;
            j["previous_band"] = line.previous_band.empty()
                                     ? nlohmann::ordered_json()
                                     : nlohmann::ordered_json(line.previous_band);
            std::cout << j.dump() << '\n';
          } else if (top_n == 0) {
            all.push_back({line.score, std::string(line.lead_id), std::string(line.band),
                           joined_grades(line)});
          } else if (top.size() < top_n || line.score > top.top().score) {
            top.push({line.score, std::string(line.lead_id), std::string(line.band),
                      joined_grades(line)});
            if (top.size() > top_n) top.pop();
          }
        });
  } catch (const StoreError& e) {
    std::cerr << "leadscore: error: " << e.what() << '\n';
    return exit_usage;
  }
  if (lead && report.leads == 0) {
    std::cerr << "leadscore: error: no lead `" << escape_controls(*lead) << "` in "
              << project->database.string() << '\n';
    return exit_failed;
  }
  if (format == "table") {
    while (!top.empty()) {
      all.push_back(top.top());
      top.pop();
    }
    print_table(std::move(all));
  }
  if (std::getenv("LEADSCORE_TIMING")) {  // for the benchmark notes, not for users
    std::fprintf(stderr, "timing: scan %.0f ms, store %.0f ms\n", report.scan_seconds * 1000,
                 report.store_seconds * 1000);
  }
  std::cerr << "scored " << report.leads << " leads (" << report.events << " events) with "
            << loaded->name << " as of " << format_timestamp(*as_of) << "; " << report.band_changes
            << " band changes recorded (run " << report.run_id << ")\n";
  return exit_ok;
}

int run_changes(int argc, char** argv) {
  CommandLine command_line(
      "leadscore changes [--since TIME] [--band BAND] [--model NAME] [--format table|jsonl]",
      "Lists the band changes `leadscore score` recorded, newest first: what a CRM would\n"
      "alert sales on. A lead that appears after a model's first run shows as new.");
  add_project_option(command_line);
  auto option = command_line.options.add_options();
  option("since", po::value<std::string>()->value_name("TIME"), "only runs as of TIME or later");
  option("band", po::value<std::string>()->value_name("BAND"), "only changes into BAND");
  option("model", po::value<std::string>()->value_name("NAME"), "only this model's runs");
  option("format", po::value<std::string>()->value_name("FORMAT")->default_value("table"),
         "table or jsonl");
  if (auto stop = command_line.parse(argc, argv)) return *stop;
  const auto& values = command_line.values;
  const std::string format = values["format"].as<std::string>();
  if (format != "table" && format != "jsonl")
    return command_line.usage_error("--format must be table or jsonl");
  std::optional<Timestamp> since;
  if (values.count("since")) {
    since = parse_time_option(command_line, "since", 0);
    if (!since) return exit_usage;
  }
  auto text = [&](const char* key) {
    return values.count(key) ? std::optional<std::string>(values[key].as<std::string>())
                             : std::nullopt;
  };
  auto project = load_project_option(command_line);
  if (!project) return exit_usage;
  auto store = open_store(*project, Store::Mode::read_only);
  if (!store) return exit_usage;
  std::vector<BandChange> changes;
  try {
    changes = store->changes(since, text("band"), text("model"));
  } catch (const StoreError& e) {
    std::cerr << "leadscore: error: " << e.what() << '\n';
    return exit_usage;
  }
  if (format == "jsonl") {
    for (const auto& c : changes) {
      nlohmann::ordered_json j;
      j["lead"] = c.lead_id;
      j["model"] = c.model;
      j["as_of"] = format_timestamp(c.as_of);
      j["from"] =
          c.old_band.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(c.old_band);
      j["to"] = c.new_band;
      j["old_score"] = c.old_band.empty() ? nlohmann::ordered_json()
                                          : nlohmann::ordered_json(round_to(c.old_score));
      j["new_score"] = round_to(c.new_score);
      std::cout << j.dump() << '\n';
    }
    return exit_ok;
  }
  std::vector<std::vector<std::string>> rows = {{"as of", "model", "lead", "from", "to", "score"}};
  for (const auto& c : changes) {
    std::string from = c.old_band.empty() ? "(new)" : c.old_band;
    std::string score = c.old_band.empty()
                            ? format_number(c.new_score)
                            : format_number(c.old_score) + " -> " + format_number(c.new_score);
    rows.push_back({format_timestamp(c.as_of), escape_controls(c.model), escape_controls(c.lead_id),
                    from, c.new_band, score});
  }
  std::vector<std::size_t> width(6, 0);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i)
      line += r[i] + std::string(i + 1 < r.size() ? width[i] - r[i].size() + 2 : 0, ' ');
    std::cout << line << '\n';
  }
  if (changes.empty()) std::cout << "(no band changes recorded)\n";
  return exit_ok;
}

}  // namespace leadscore::cli
