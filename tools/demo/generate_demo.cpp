// Writes the data of the demo project (rules/examples/demo/leadscore.yaml): leads.csv,
// events.csv and deals.csv, shaped like a HubSpot export of contacts, their activities and
// their closed deals, for a (fictional) maker of presses, CNC cells and packaging lines.
//
//   leadscore_demo_gen OUT_DIR [--leads 5000] [--seed 42] [--end 2026-11-30]
//
// The same arguments give byte-identical files on every platform (see rng.hpp for how). This
// file only reads the command line and drives the run; the parts live next to it:
//   rng.hpp        integer-only random draws on std::mt19937_64
//   dates.*        day arithmetic and date/time text
//   catalogue.*    the word lists of the demo world (products, pages, countries, names, titles)
//   calendar.*     the mailings and webinars shared by all leads
//   lead.*         one lead: firmographics, in-market state, timeline, deal
//   activity.*     one lead's web, mail, webinar and social events
//   records.hpp    the rows a lead hands to the writer
//   csv.*          the three CSV files
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "tools/demo/calendar.hpp"
#include "tools/demo/csv.hpp"
#include "tools/demo/dates.hpp"
#include "tools/demo/lead.hpp"

namespace {

namespace fs = std::filesystem;
using leadscore::demo::Calendar;
using leadscore::demo::DemoFiles;
using leadscore::demo::LeadMaker;
using leadscore::demo::make_calendar;
using leadscore::demo::parse_date;

constexpr int kExitUsage = 2;
constexpr int kWindowDays = 273;  // about nine months of activity before --end

struct Options {
  fs::path out_dir;
  std::uint64_t leads = 5000;
  std::uint64_t seed = 42;
  std::int64_t end_day = 0;
};

const char* const kUsage =
    "usage: leadscore_demo_gen OUT_DIR [--leads N] [--seed N] [--end YYYY-MM-DD]\n"
    "  Writes OUT_DIR/leads.csv, events.csv and deals.csv: made-up CRM data for the demo\n"
    "  project (rules/examples/demo/leadscore.yaml). The same arguments give the same bytes.\n"
    "  --leads N          how many leads (1 to 1000000; default 5000)\n"
    "  --seed N           seed of the random numbers (default 42)\n"
    "  --end YYYY-MM-DD   export date: activity covers about nine months before it\n"
    "                     (default 2026-11-30)\n";

int usage_error(const std::string& message) {
  std::cerr << "leadscore_demo_gen: " << message << "\n"
            << "usage: leadscore_demo_gen OUT_DIR [--leads N] [--seed N] [--end YYYY-MM-DD]"
               " (--help explains)\n";
  return kExitUsage;
}

// A whole number from 0 to 2^64 - 1, digits only.
std::optional<std::uint64_t> parse_count(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

// Parses the arguments into `options`; returns an exit code when the program should stop.
std::optional<int> parse_args(int argc, char** argv, Options& options) {
  options.end_day = *parse_date("2026-11-30");
  bool have_dir = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return 0;
    }
    std::string value;
    const bool is_option = arg.starts_with("--");
    if (is_option) {
      const auto eq = arg.find('=');
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg.resize(eq);
      } else if (arg == "--leads" || arg == "--seed" || arg == "--end") {
        if (i + 1 >= argc) return usage_error("`" + arg + "` needs a value");
        value = argv[++i];
      }
    }
    if (arg == "--leads") {
      auto n = parse_count(value);
      if (!n || *n < 1 || *n > 1000000) {
        return usage_error("`--leads` must be a whole number from 1 to 1000000, not `" + value +
                           "`");
      }
      options.leads = *n;
    } else if (arg == "--seed") {
      auto n = parse_count(value);
      if (!n) return usage_error("`--seed` must be a whole number, not `" + value + "`");
      options.seed = *n;
    } else if (arg == "--end") {
      auto day = parse_date(value);
      if (!day) {
        return usage_error("`--end` must be a date YYYY-MM-DD (1980 to 2200), not `" + value + "`");
      }
      options.end_day = *day;
    } else if (is_option || (arg.starts_with("-") && arg != "-")) {
      return usage_error("unknown option `" + arg + "`");
    } else if (have_dir) {
      return usage_error("more than one output folder: `" + options.out_dir.string() + "` and `" +
                         arg + "`");
    } else {
      options.out_dir = arg;
      have_dir = true;
    }
  }
  if (!have_dir) return usage_error("no output folder given");
  return std::nullopt;
}

int run(const Options& options) {
  std::error_code error;
  fs::create_directories(options.out_dir, error);
  if (error || !fs::is_directory(options.out_dir)) {
    std::cerr << "leadscore_demo_gen: cannot create the output folder " << options.out_dir.string()
              << (error ? ": " + error.message() : std::string()) << '\n';
    return kExitUsage;
  }
  DemoFiles files;
  if (!files.open(options.out_dir)) return kExitUsage;

  const std::int64_t first_day = options.end_day - kWindowDays;
  const Calendar calendar = make_calendar(first_day, options.end_day);
  const LeadMaker maker(calendar, first_day, options.end_day);
  for (std::uint64_t i = 0; i < options.leads; ++i) files.write(maker.make(options.seed, i));
  if (!files.close()) return kExitUsage;
  std::cout << "leadscore_demo_gen: leads: " << options.leads << ", events: " << files.events()
            << ", deals: " << files.won() + files.lost() << " (" << files.won() << " won, "
            << files.lost() << " lost) written to " << options.out_dir.string() << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (auto stop = parse_args(argc, argv, options)) return *stop;
  return run(options);
}
