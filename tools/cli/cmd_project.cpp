// leadscore init [DIR] and leadscore import leads|events|outcomes FILE...
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "leadscore/escape.hpp"
#include "tools/cli/project_options.hpp"

namespace po = boost::program_options;

namespace leadscore::cli {
namespace {

// A model that fits the starter schema, so `init` leaves a project that checks, lints and
// formats cleanly (tests/tools/init_test.cpp holds it to that).
constexpr const char* starter_model =
    R"(# A first model: edit the points, then run `leadscore score`.
model "starter"
version "1"

band hot  >= 50 "Call within a day"
band warm >= 25 "Nurture"
band cold       "Not yet"

fit profile cap 40 {
  big_company:     +15 when employees >= 200
  target_industry: +10 when industry in ["software", "manufacturing"]
  decision_maker:  +10 when job_title matches "director|head of|vp|chief"
}

engagement activity cap 45 decay half-life 30 days {
  pricing_page: +5  on page_view where url contains "pricing" cap 20
  download:     +8  on download
  email_click:  +2  on email_click cap 10
  webinar:      +10 on webinar where attended
  unsubscribed: -30 on unsubscribe once
}
)";

bool write_new(const std::filesystem::path& file, const std::string& text, bool force) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec) && !force) {
    std::cerr << "leadscore: error: " << file.string()
              << " already exists; use --force to overwrite it\n";
    return false;
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "leadscore: error: cannot write " << file.string() << '\n';
    return false;
  }
  std::cout << "wrote " << file.string() << '\n';
  return true;
}

// `\r`-rewritten progress on a terminal; nothing when stderr is a file or a pipe.
ImportProgress progress_line(const std::string& file) {
  if (!isatty(STDERR_FILENO)) return {};
  return [file](std::uint64_t done, std::uint64_t total) {
    int percent = total ? int(100.0 * double(done) / double(total)) : 100;
    std::cerr << "\r" << file << ": " << percent << "% (" << done / (1 << 20) << " of "
              << total / (1 << 20) << " MiB)" << std::flush;
    if (done >= total) std::cerr << "\r\033[K" << std::flush;
  };
}

}  // namespace

int run_init(int argc, char** argv) {
  CommandLine command_line("leadscore init [DIR] [--force]",
                           "Writes a commented starter leadscore.yaml and model.score in DIR\n"
                           "(default: the current directory).");
  command_line.options.add_options()("force", "overwrite existing files");
  command_line.operands.add_options()("dir", po::value<std::string>());
  command_line.positional.add("dir", 1);
  if (auto stop = command_line.parse(argc, argv)) return *stop;
  std::filesystem::path dir =
      command_line.values.count("dir") ? command_line.values["dir"].as<std::string>() : ".";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  bool force = command_line.values.count("force") > 0;
  if (!write_new(dir / "leadscore.yaml", starter_project_text(), force)) return exit_usage;
  if (!std::filesystem::exists(dir / "model.score", ec) || force) {
    if (!write_new(dir / "model.score", starter_model, force)) return exit_usage;
  }
  std::cout << "next: edit the schema and the column names under `import:`, then\n"
               "  leadscore import leads leads.csv\n"
               "  leadscore import events events.csv\n"
               "  leadscore score\n";
  return exit_ok;
}

int run_import(int argc, char** argv) {
  CommandLine command_line(
      "leadscore import leads|events|outcomes FILE... [--project FILE] [--rejects DIR]",
      "Imports CSV (RFC 4180) or JSON Lines files into the project's database, one\n"
      "transaction per file: a file either imports completely or not at all. Rows already\n"
      "there are left alone, so importing a file twice changes nothing. Bad rows are reported\n"
      "as FILE:LINE: reason and the rest is imported; the bad rows are copied to new files in\n"
      "the folder `rejects` beside the database (or DIR): NAME.KIND.TIME.rejected.csv (or\n"
      ".jsonl), to fix and import again, and the reasons to NAME.KIND.TIME.reasons.log.\n"
      "\n"
      "Exit status: 0 all rows imported, 1 some rows rejected, 2 a file could not be imported\n"
      "(the files before it stay imported).");
  add_project_option(command_line);
  command_line.options.add_options()(
      "rejects", po::value<std::string>(),
      "the folder for the rejects files (default: `rejects` beside the database)");
  command_line.operands.add_options()("kind", po::value<std::string>())(
      "files", po::value<std::vector<std::string>>());
  command_line.positional.add("kind", 1).add("files", -1);
  if (auto stop = command_line.parse(argc, argv)) return *stop;
  const auto& values = command_line.values;
  if (!values.count("kind")) return command_line.usage_error("say what to import");
  std::string kind_text = values["kind"].as<std::string>();
  ImportKind kind;
  if (kind_text == "leads") {
    kind = ImportKind::leads;
  } else if (kind_text == "events") {
    kind = ImportKind::events;
  } else if (kind_text == "outcomes") {
    kind = ImportKind::outcomes;
  } else {
    return command_line.usage_error("import leads, events or outcomes, not `" + kind_text + "`");
  }
  if (!values.count("files")) return command_line.usage_error("no file to import");
  auto project = load_project_option(command_line);
  if (!project) return exit_usage;
  auto store = open_store(*project, Store::Mode::read_write);
  if (!store) return exit_usage;

  ImportOptions options;
  if (values.count("rejects")) options.rejects_dir = values["rejects"].as<std::string>();

  bool any_rejects = false;
  for (const auto& file : values["files"].as<std::vector<std::string>>()) {
    ImportReport report;
    try {
      report = store->import_file(kind, file, *project, progress_line(file), options);
    } catch (const StoreError& e) {
      std::cerr << "leadscore: error: " << escape_controls(e.what()) << '\n';
      std::cerr << "leadscore: nothing from " << file
                << " was imported; the database is as it was before it\n";
      return exit_usage;
    }
    for (const auto& r : report.first_rejects) {
      // The reason may quote the row (an unknown event type, a bad value): escaped.
      std::cerr << file << ':' << r.line << ": rejected: " << escape_controls(r.reason) << '\n';
    }
    if (report.rejected > report.first_rejects.size()) {
      std::cerr << file << ": ... and " << report.rejected - report.first_rejects.size()
                << " more rejected rows\n";
    }
    std::cout << file << ": " << report.rows << " rows: " << report.added << " added, "
              << report.unchanged << " already there, " << report.rejected << " rejected";
    if (!report.rejects_file.empty()) {
      std::cout << " (rows in " << report.rejects_file.string() << ", reasons in "
                << report.reasons_file.string() << ")";
    }
    std::cout << '\n';
    any_rejects = any_rejects || report.rejected > 0;
  }
  return any_rejects ? exit_failed : exit_ok;
}

}  // namespace leadscore::cli
