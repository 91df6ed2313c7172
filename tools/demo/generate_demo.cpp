// Writes the data of the demo project (rules/examples/demo/leadscore.yaml): leads.csv,
// events.csv and deals.csv, shaped like a HubSpot export of contacts, their activities and
// their closed deals, for a (fictional) maker of presses, CNC cells and packaging lines.
//
//   leadscore_demo_gen OUT_DIR [--leads 5000] [--seed 42] [--end 2026-11-30]
//
// The same arguments give byte-identical files on every platform: all randomness comes from
// std::mt19937_64, whose output the C++ standard fixes, through the integer-only helpers of
// `Rng` below. No std::*_distribution (their results differ between standard libraries) and no
// floating point (whose last bits can differ between compilers and CPUs) is used.
//
// How a lead comes about:
// - Firmographics are drawn first: company size, plants, industry, job title, country, e-mail
//   domain, existing customer. Some cells stay empty, as in any CRM.
// - A hidden "need" (noise the CRM cannot see) and the firmographics decide whether the lead is
//   in a buying cycle ("in market"). In-market leads more often have a known budget.
// - Activity: a daily chance of a web session (page views, downloads, videos), the e-mail and
//   webinar calendars shared by all leads, and social interactions. How active a lead is comes
//   from an activity tier (most leads are quiet, a few very busy), raised for in-market leads
//   and raised again during their buying phase, when pricing and contact pages appear.
// - Outcome: in-market leads often end in a closed deal, others rarely; the chance of winning
//   grows with the hidden propensity (fit, budget and need), so scores predict wins, but not
//   perfectly. A closed lead's activity stops before its close date.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr int kExitUsage = 2;
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kHour = 3600;
constexpr int kWindowDays = 273;  // about nine months of activity before --end

// ---- random numbers -------------------------------------------------------------------------

// All draws of the generator. Integer arithmetic only, so results do not depend on the
// platform's floating point.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, n), n > 0, without modulo bias: raw values in the incomplete last block are
  // drawn again.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t limit = max - (max % n + 1) % n;  // values above it are redrawn
    std::uint64_t x = engine_();
    while (x > limit) x = engine_();
    return x % n;
  }

  // Uniform in [lo, hi], lo <= hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // True with probability ppm / 1 000 000.
  bool chance_ppm(std::int64_t ppm) { return static_cast<std::int64_t>(below(1000000)) < ppm; }
  // True with probability permille / 1000.
  bool chance(std::int64_t permille) { return chance_ppm(permille * 1000); }

  // Roughly normal with mean 0 and standard deviation 1000 (the sum of twelve uniforms,
  // centred: Irwin-Hall).
  std::int64_t normal_milli() {
    std::int64_t sum = 0;
    for (int i = 0; i < 12; ++i) sum += static_cast<std::int64_t>(below(1000));
    return sum - 5994;
  }

  // Poisson-like count with mean mean_milli / 1000: the number of successes in 64 trials
  // (binomial, close to Poisson for means well below 64).
  int count(std::int64_t mean_milli) {
    const std::int64_t ppm = std::min<std::int64_t>(mean_milli * 1000 / 64, 1000000);
    int n = 0;
    for (int i = 0; i < 64; ++i) n += chance_ppm(ppm) ? 1 : 0;
    return n;
  }

  // An index drawn with the given integer weights.
  std::size_t weighted(std::initializer_list<int> weights) {
    return weighted(weights.begin(), weights.size());
  }
  std::size_t weighted(const int* weights, std::size_t size) {
    std::int64_t total = 0;
    for (std::size_t i = 0; i < size; ++i) total += weights[i];
    std::int64_t x = static_cast<std::int64_t>(below(static_cast<std::uint64_t>(total)));
    for (std::size_t i = 0; i < size; ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return size - 1;
  }

  template <class T, std::size_t N>
  const T& one_of(const std::array<T, N>& items) {
    return items[below(N)];
  }

 private:
  std::mt19937_64 engine_;
};

// Seeds one lead's generator from the run's seed and the lead's number, so a lead's data does
// not depend on how many leads come after it (splitmix64 finaliser).
std::uint64_t lead_seed(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::int64_t clamp64(std::int64_t v, std::int64_t lo, std::int64_t hi) {
  return std::max(lo, std::min(hi, v));
}

// ---- dates ----------------------------------------------------------------------------------

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month, day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}

// 0 = Monday ... 6 = Sunday.
int weekday(std::int64_t day) {
  return static_cast<int>(((day % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
}

std::string format_date(std::int64_t day) {
  const Civil c = civil_from_days(day);
  char text[32];
  std::snprintf(text, sizeof text, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month,
                c.day);
  return text;
}

// "2026-03-01 14:05:09", read as UTC by the importer.
std::string format_time(std::int64_t ts) {
  const std::int64_t day = floor_div(ts, kDay);
  const std::int64_t second = ts - day * kDay;
  char text[16];
  std::snprintf(text, sizeof text, " %02d:%02d:%02d", static_cast<int>(second / 3600),
                static_cast<int>(second / 60 % 60), static_cast<int>(second % 60));
  return format_date(day) + text;
}

std::optional<std::int64_t> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t length) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d || *y < 1980 || *y > 2200 || *m < 1 || *m > 12 || *d < 1) return std::nullopt;
  const std::int64_t day =
      days_from_civil(*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d));
  const Civil back = civil_from_days(day);  // rejects 2026-02-30 and the like
  if (back.month != static_cast<unsigned>(*m) || back.day != static_cast<unsigned>(*d)) {
    return std::nullopt;
  }
  return day;
}

// A time of day in seconds, mostly in office hours.
std::int64_t office_time(Rng& rng) {
  static const int hour_weights[24] = {1,  1,  1,  1,  1,  2, 4, 8, 14, 16, 16, 14,
                                       10, 13, 15, 14, 11, 7, 5, 4, 3,  2,  2,  1};
  const auto hour = static_cast<std::int64_t>(rng.weighted(hour_weights, 24));
  return hour * kHour + rng.between(0, kHour - 1);
}

// ---- CSV ------------------------------------------------------------------------------------

// RFC 4180: CRLF line ends; a field with a comma, a quote or a line break is quoted, and its
// quotes doubled.
void write_row(std::ostream& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view field : fields) {
    if (!first) out << ',';
    first = false;
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
      out << field;
      continue;
    }
    out << '"';
    for (char c : field) {
      if (c == '"') out << '"';
      out << c;
    }
    out << '"';
  }
  out << "\r\n";
}

// ---- the world the leads live in ------------------------------------------------------------

const std::string kSite = "https://www.ferrodyn.example";

struct Product {
  const char* name;
  const char* slug;
};
const std::array<Product, 7> kProducts = {{{"PX-400 servo press", "px-400"},
                                           {"PX-800 servo press", "px-800"},
                                           {"HX-250 hydraulic press", "hx-250"},
                                           {"CNC-5X machining cell", "cnc-5x"},
                                           {"FlowPack 300 packaging line", "flowpack-300"},
                                           {"TrayLoader 12", "trayloader-12"},
                                           {"RoboCell welding cell", "robocell"}}};

// Pages people read while they look around, in no hurry.
const std::array<const char*, 14> kResearchPages = {"/",
                                                    "/machines/",
                                                    "/applications/automotive-stamping",
                                                    "/applications/food-packaging",
                                                    "/applications/pharma-blister-lines",
                                                    "/case-studies/brakes-supplier-cuts-changeover",
                                                    "/case-studies/dairy-line-oee",
                                                    "/blog/servo-vs-hydraulic-presses",
                                                    "/blog/planning-a-line-retrofit",
                                                    "/blog/predictive-maintenance-basics",
                                                    "/service/retrofit",
                                                    "/service/spare-parts",
                                                    "/about",
                                                    "/events"};

struct Campaign {
  std::int64_t sent;
  std::string name;
};

struct Webinar {
  std::int64_t starts;
  std::string title;
  int length_minutes;
};

struct Calendar {
  std::vector<Campaign> campaigns;
  std::vector<Webinar> webinars;
};

// The mailings and webinars of the nine months: the same for every lead.
Calendar make_calendar(std::int64_t first_day, std::int64_t end_day) {
  static const std::array<const char*, 6> topics = {
      "Presses, Lines & Retrofits",     "Changeover times, explained",
      "Service news: spare parts",      "Case study: \"zero-defect\" stamping",
      "Trade show invitations, spring", "Energy costs, compressed air & you"};
  static const std::array<const char*, 4> nurture = {
      "Nurture 1: Is your press line ready for servo?", "Nurture 2: Total cost of ownership",
      "Nurture 3: \"Lights-out\" machining", "Nurture 4: Financing, leasing, rental"};
  static const std::array<const char*, 8> webinar_titles = {
      "Servo vs. hydraulic presses: cost, speed, uptime",
      "\"Lights-out\" machining in practice",
      "Retrofit or replace? Planning a line upgrade",
      "Predictive maintenance with vibration sensors",
      "Packaging lines: changeover in under 10 minutes",
      "Live demo: the PX-400 configurator",
      "Q&A with our field service engineers",
      "Automation grants, tax credits & financing"};
  Calendar calendar;
  // A newsletter every second Tuesday at 09:00, a nurture mail every fourth Thursday at 10:00.
  int issue = 0, step = 0;
  for (std::int64_t day = first_day; day < end_day; ++day) {
    const int wd = weekday(day);
    const std::int64_t week = (day - first_day) / 7;
    if (wd == 1 && week % 2 == 0) {
      const Civil c = civil_from_days(day);
      char prefix[32];
      std::snprintf(prefix, sizeof prefix,
                    "Newsletter %04lld-%02u: ", static_cast<long long>(c.year), c.month);
      calendar.campaigns.push_back(
          {day * kDay + 9 * kHour, prefix + std::string(topics[issue++ % topics.size()])});
    }
    if (wd == 3 && week % 4 == 1) {
      calendar.campaigns.push_back({day * kDay + 10 * kHour, nurture[step++ % nurture.size()]});
    }
  }
  // A webinar every five weeks, on Wednesdays at 15:00.
  int held = 0;
  for (std::int64_t day = first_day + 9; day < end_day; day += 35) {
    const std::int64_t wednesday = day + ((2 - weekday(day)) + 7) % 7;
    if (wednesday >= end_day) break;
    calendar.webinars.push_back({wednesday * kDay + 15 * kHour,
                                 webinar_titles[held % webinar_titles.size()],
                                 held % 3 == 0 ? 60 : 45});
    ++held;
  }
  return calendar;
}

// ---- one lead -------------------------------------------------------------------------------

enum class Role { decision, specifier, procurement, other, student, competitor };

struct Country {
  const char* name;
  int weight;
  bool served;
  const char* legal;  // the usual company suffix there
};
const std::array<Country, 16> kCountries = {{{"Germany", 22, true, " GmbH"},
                                             {"United States", 20, true, ", Inc."},
                                             {"Italy", 7, true, " S.p.A."},
                                             {"United Kingdom", 7, true, " Ltd"},
                                             {"France", 6, true, " SAS"},
                                             {"Poland", 5, true, " Sp. z o.o."},
                                             {"Netherlands", 4, true, " B.V."},
                                             {"Austria", 3, true, " GmbH"},
                                             {"Switzerland", 3, true, " AG"},
                                             {"Canada", 4, true, " Ltd."},
                                             {"Mexico", 4, true, " S.A. de C.V."},
                                             {"Spain", 4, false, " S.L."},
                                             {"Turkey", 3, false, " A.S."},
                                             {"India", 4, false, " Pvt. Ltd."},
                                             {"Brazil", 2, false, " Ltda."},
                                             {"China", 2, false, " Co., Ltd."}}};

struct Industry {
  const char* name;
  int weight;
  int points;                        // hidden: how well the machines fit the industry
  std::array<const char*, 3> nouns;  // for company names
};
const std::array<Industry, 15> kIndustries = {{
    {"Automotive", 14, 10, {"Auto Parts", "Stamping", "Components"}},
    {"Food & Beverage", 12, 10, {"Foods", "Dairy", "Beverages"}},
    {"Packaging", 10, 10, {"Packaging", "Cartons", "Containers"}},
    {"Pharmaceuticals", 6, 9, {"Pharma", "Life Sciences", "Laboratories"}},
    {"Metal Fabrication", 12, 10, {"Metalworks", "Steel", "Precision Parts"}},
    {"Plastics", 8, 8, {"Plastics", "Polymers", "Moulding"}},
    {"Aerospace", 4, 5, {"Aerospace", "Aero Structures", "Avionics"}},
    {"Electronics", 7, 4, {"Electronics", "Circuits", "Controls"}},
    {"Chemicals", 5, 3, {"Chemicals", "Coatings", "Adhesives"}},
    {"Medical Devices", 4, 5, {"Medical", "Implants", "Devices"}},
    {"Logistics", 5, -2, {"Logistics", "Freight", "Distribution"}},
    {"Construction", 4, -2, {"Construction", "Building Systems", "Concrete"}},
    {"Consulting", 3, -10, {"Consulting", "Advisors", "Partners"}},
    {"Education", 2, -12, {"Academy", "Institute", "Training"}},
    {"Retail", 2, -10, {"Retail", "Stores", "Trading"}},
}};

struct SizeBand {
  int min, max, weight, points;
};
const std::array<SizeBand, 9> kSizes = {{{1, 9, 80, -15},
                                         {10, 19, 90, -8},
                                         {20, 49, 150, 0},
                                         {50, 99, 150, 4},
                                         {100, 249, 190, 8},
                                         {250, 499, 130, 12},
                                         {500, 999, 100, 14},
                                         {1000, 4999, 80, 16},
                                         {5000, 40000, 30, 16}}};

const std::array<const char*, 40> kFirstNames = {
    "anna",  "ben",  "carla", "david",  "elena",  "felix", "grace",   "hannah", "ivan",   "julia",
    "karim", "lena", "marco", "nina",   "oliver", "paula", "quentin", "rosa",   "stefan", "tara",
    "umar",  "vera", "wei",   "xavier", "yusuf",  "zoe",   "jan",     "maria",  "thomas", "sofia",
    "lukas", "emma", "piotr", "chloe",  "james",  "laura", "mehmet",  "priya",  "diego",  "ines"};
const std::array<const char*, 40> kLastNames = {
    "meyer",  "schmidt", "rossi",     "dubois",   "kowalski", "jansen",  "smith",  "johnson",
    "garcia", "martin",  "weber",     "bauer",    "ferrari",  "moreau",  "nowak",  "devries",
    "brown",  "miller",  "lopez",     "hoffmann", "conti",    "bernard", "wojcik", "bakker",
    "taylor", "wilson",  "hernandez", "fischer",  "ricci",    "laurent", "lewis",  "yilmaz",
    "sharma", "chen",    "silva",     "novak",    "keller",   "huber",   "walsh",  "murphy"};
// Family names and places that become company names; two carry non-ASCII letters (UTF-8).
const std::array<const char*, 24> kCompanyStems = {"Hartmann",
                                                   "Brandt",
                                                   "Lakeside",
                                                   "Northfield",
                                                   "Vogel",
                                                   "Carter",
                                                   "Meridian",
                                                   "Rheintal",
                                                   "Baltic",
                                                   "Summit",
                                                   "Keystone",
                                                   "Alpine",
                                                   "M\u00fcller",
                                                   "Delta",
                                                   "Riverside",
                                                   "Granite",
                                                   "\u0141\u00f3d\u017a",
                                                   "Pioneer",
                                                   "Atlas",
                                                   "Sierra",
                                                   "Westbrook",
                                                   "Orion",
                                                   "Kessler",
                                                   "Bayview"};
const std::array<const char*, 8> kNicknames = {"Blue Line",  "Zum Anker", "Golden Crust",
                                               "Iron Horse", "Red Star",  "Tip-Top",
                                               "Evergreen",  "Old Mill"};

const std::array<const char*, 8> kDecisionTitles = {"Plant Manager",
                                                    "Plant Director",
                                                    "Head of Production",
                                                    "Managing Director",
                                                    "VP Operations",
                                                    "Chief Operating Officer",
                                                    "Owner",
                                                    "Director of Manufacturing"};
const std::array<const char*, 9> kSpecifierTitles = {
    "Maintenance Manager", "Production Engineer",  "Manufacturing Engineer",
    "Process Engineer",    "Maintenance Engineer", "Production Manager",
    "Operations Manager",  "Automation Engineer",  "Reliability Engineer"};
const std::array<const char*, 4> kProcurementTitles = {
    "Purchasing Manager", "Procurement Specialist", "Strategic Buyer", "Head of Procurement"};
const std::array<const char*, 7> kOtherTitles = {
    "Quality Manager", "Marketing Manager", "Sales Representative", "Office Manager",
    "Consultant",      "Business Analyst",  "HSE Coordinator"};
const std::array<const char*, 5> kStudentTitles = {"Student", "Engineering Student", "Intern",
                                                   "Working Student", "Trainee"};
const std::array<const char*, 4> kCompetitorTitles = {"Product Manager", "Application Engineer",
                                                      "Sales Engineer", "Market Analyst"};
// Other machine builders: they watch our web site and download our drawings.
struct Competitor {
  const char* name;
  const char* domain;
  const char* country;
};
const std::array<Competitor, 3> kCompetitors = {
    {{"Kesselwerk Maschinenbau GmbH", "kesselwerk.example", "Germany"},
     {"Tornado Machines, Inc.", "tornado-machines.example", "United States"},
     {"Ferrum Presses S.p.A.", "ferrum-presses.example", "Italy"}}};
const std::array<const char*, 4> kUniversities = {"state-tech.edu", "polytechnic.edu",
                                                  "tu-rheintal.edu", "lakeside-college.edu"};
const std::array<const char*, 6> kFreeMail = {"gmail.com",   "yahoo.com", "hotmail.com",
                                              "outlook.com", "gmx.de",    "web.de"};

struct LeadRow {
  std::string id, created, email, company, job_title, employees, plants, industry, country, budget,
      existing_customer;
};

struct EventRow {
  EventRow(std::int64_t time, std::string activity) : ts(time), type(std::move(activity)) {}

  std::int64_t ts;
  std::string type;  // the CRM's activity type
  std::string url, asset, product, campaign, webinar, video, minutes, network, action;
};

struct DealRow {
  std::string close_date;
  bool won;
};

struct LeadData {
  LeadRow lead;
  std::vector<EventRow> events;
  std::optional<DealRow> deal;
};

// A name as a domain label: ASCII letters and digits, lower case, words joined by hyphens;
// the few accented letters of the name lists are spelt out first ("Müller" -> "mueller").
std::string slug(std::string_view name) {
  static const std::array<std::pair<std::string_view, std::string_view>, 7> spelt = {
      {{"\u00fc", "ue"},
       {"\u00f6", "oe"},
       {"\u00e4", "ae"},
       {"\u00df", "ss"},
       {"\u0141", "L"},
       {"\u00f3", "o"},
       {"\u017a", "z"}}};
  std::string out;
  bool gap = false;
  for (std::size_t i = 0; i < name.size();) {
    bool replaced = false;
    for (const auto& [from, to] : spelt) {
      if (name.substr(i).starts_with(from)) {
        if (gap && !out.empty()) out += '-';
        gap = false;
        for (char c : to) out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        i += from.size();
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    const unsigned char c = static_cast<unsigned char>(name[i++]);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
      if (gap && !out.empty()) out += '-';
      gap = false;
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else {
      gap = true;
    }
  }
  return out;
}

std::string minutes_text(std::int64_t tenths) {
  std::string text = std::to_string(tenths / 10);
  if (tenths % 10 != 0) text += "." + std::to_string(tenths % 10);
  return text;
}

class LeadMaker {
 public:
  LeadMaker(const Calendar& calendar, std::int64_t first_day, std::int64_t end_day)
      : calendar_(calendar), first_day_(first_day), end_day_(end_day) {}

  LeadData make(std::uint64_t seed, std::size_t index) {
    Rng rng(lead_seed(seed, index));
    LeadData data;
    LeadRow& row = data.lead;
    char id[24];
    std::snprintf(id, sizeof id, "L%05zu", index + 1);
    row.id = id;

    // Firmographics.
    const SizeBand& size = kSizes[pick_size(rng)];
    const std::int64_t employees = round_headcount(rng.between(size.min, size.max));
    const Industry& industry = kIndustries[pick_industry(rng)];
    const Country& country = kCountries[pick_country(rng)];
    std::int64_t plants = 1;
    if (employees >= 5000) {
      plants = rng.between(3, 25);
    } else if (employees >= 1000) {
      plants = rng.between(2, 12);
    } else if (employees >= 250) {
      plants = rng.between(1, 4);
    } else if (employees >= 50) {
      plants = rng.between(1, 2);
    }
    const Role role = static_cast<Role>(rng.weighted({17, 38, 11, 24, 7, 2}));  // Role's order

    std::int64_t base = size.points + std::min<std::int64_t>(plants, 10) * 2 + industry.points;
    base += country.served ? 5 : -5;
    switch (role) {
      case Role::decision:
        base += 12;
        break;
      case Role::specifier:
        base += 8;
        break;
      case Role::procurement:
        base += 6;
        break;
      case Role::other:
        break;
      case Role::student:
        base -= 40;
        break;
      case Role::competitor:
        base -= 60;
        break;
    }
    const bool customer = employees >= 100 && rng.chance(employees >= 1000 ? 250 : 90);
    if (customer) base += 8;
    // What the CRM cannot see: a line at the end of its life, a new order book, a new boss.
    const std::int64_t need = rng.normal_milli() * 12 / 1000;
    const std::int64_t outlook = base + need;

    const bool studentish = role == Role::student || role == Role::competitor;
    const bool in_market =
        !studentish && rng.chance(clamp64(90 + outlook * 6, 20, 650));  // permille

    // Budget as sales recorded it; blank when nobody asked.
    std::size_t budget_kind =
        in_market ? rng.weighted({42, 33, 5, 20}) : rng.weighted({4, 16, 25, 55});
    if (studentish) budget_kind = 3;
    static const std::array<int, 4> budget_points = {20, 8, -5, 0};
    const std::int64_t propensity = outlook + budget_points[budget_kind] + (in_market ? 20 : 0);

    // Identity and the CRM record.
    const std::string first = rng.one_of(kFirstNames), last = rng.one_of(kLastNames);
    std::string company;
    std::string domain;
    if (role == Role::competitor) {
      const std::size_t which = rng.below(kCompetitors.size());
      company = kCompetitors[which].name;
      domain = kCompetitors[which].domain;
    } else {
      const CompanyName name = company_name(rng, industry, country);
      company = name.full;
      domain = slug(name.base);
      domain += ".example";
      if (role == Role::student) {
        domain = rng.chance(600) ? rng.one_of(kUniversities) : rng.one_of(kFreeMail);
        if (rng.chance(500)) company = "";  // students often leave the company blank
      } else if (rng.chance(employees < 50 ? 150 : 30)) {
        domain = rng.one_of(kFreeMail);
      }
    }
    const std::size_t local_style = rng.below(3);
    std::string local = local_style == 0   ? first + "." + last
                        : local_style == 1 ? first.substr(0, 1) + "." + last
                                           : first;
    if (local_style == 2 && rng.chance(500)) local = "info";
    row.email = local + "@" + domain;
    row.company = company;

    switch (role) {
      case Role::decision:
        row.job_title = rng.one_of(kDecisionTitles);
        break;
      case Role::specifier:
        row.job_title = rng.one_of(kSpecifierTitles);
        break;
      case Role::procurement:
        row.job_title = rng.one_of(kProcurementTitles);
        break;
      case Role::other:
        row.job_title = rng.one_of(kOtherTitles);
        break;
      case Role::student:
        row.job_title = rng.one_of(kStudentTitles);
        break;
      case Role::competitor:
        row.job_title = rng.one_of(kCompetitorTitles);
        break;
    }
    if (role != Role::student && role != Role::competitor && rng.chance(50)) row.job_title = "";

    // Gaps, as in every CRM: who fills in "number of plants" on a web form?
    if (!rng.chance(60)) row.employees = std::to_string(employees);
    if (rng.chance(employees >= 250 ? 750 : 550)) row.plants = std::to_string(plants);
    if (!rng.chance(50)) row.industry = industry.name;
    if (!rng.chance(30)) row.country = country.name;
    static const std::array<const char*, 4> budget_text = {"Approved", "Planned", "No budget", ""};
    row.budget = budget_text[budget_kind];
    if (rng.chance(800)) row.existing_customer = customer ? "true" : "false";
    if (role == Role::student) {
      row.employees = row.plants = row.budget = row.existing_customer = "";
    }
    if (role == Role::competitor) {
      row.industry = "Industrial Machinery";
      for (const Competitor& c : kCompetitors) {
        if (company == c.name) row.country = c.country;
      }
    }

    // Timeline: created on some day of the window. An in-market lead has a buying phase, and
    // one that closes a deal does so after it; its activity stops before the close date.
    const std::int64_t created_day = rng.between(first_day_, end_day_ - 5);
    const std::int64_t created = created_day * kDay + office_time(rng);
    row.created = format_time(created);

    std::int64_t buy_from = end_day_ + 1, buy_to = end_day_ + 1;
    if (in_market) {
      buy_from = rng.between(created_day, std::max(created_day, end_day_ - 20));
      buy_to = buy_from + rng.between(20, 120);
    }
    std::int64_t activity_end = end_day_ * kDay;  // exclusive
    const std::int64_t close_permille = studentish ? 0 : in_market ? 880 : 70;
    // A deal needs time: three weeks to half a year from the first touch when in market, a few
    // days to three months otherwise. Deals that would close after --end are still open.
    const std::int64_t close_day =
        created_day + (in_market ? rng.between(21, 180) : rng.between(3, 90));
    if (rng.chance(close_permille) && close_day <= end_day_ - 1) {
      // The last activity comes one day to six weeks before the close date; for an in-market
      // lead it ends the buying phase.
      const std::int64_t stop_day =
          close_day - rng.between(1, std::min<std::int64_t>(40, close_day - created_day - 1));
      if (in_market) {
        buy_to = stop_day;
        buy_from = std::max(created_day, stop_day - rng.between(20, 120));
      }
      activity_end = stop_day * kDay;
      std::int64_t win = clamp64(150 + (propensity - 30) * 12, 30, 850);  // permille
      if (!in_market) win /= 3;
      data.deal = DealRow{format_date(close_day), rng.chance(win)};
    }

    // Activity tier: how busy the lead is online, whatever it buys.
    std::size_t tier;
    if (role == Role::student || role == Role::competitor) {
      tier = rng.weighted({15, 35, 35, 15});
    } else if (in_market) {
      tier = rng.weighted({16, 32, 34, 18});
    } else {
      tier = rng.weighted({50, 32, 14, 4});
    }
    Activity activity{rng, data.events, role, tier, created, activity_end, buy_from, buy_to};
    simulate(activity);

    std::stable_sort(data.events.begin(), data.events.end(),
                     [](const EventRow& a, const EventRow& b) { return a.ts < b.ts; });
    return data;
  }

 private:
  struct Activity {
    Rng& rng;
    std::vector<EventRow>& out;
    Role role;
    std::size_t tier;               // 0 quiet, 1 light, 2 active, 3 very active
    std::int64_t created;           // first moment of activity
    std::int64_t end;               // exclusive
    std::int64_t buy_from, buy_to;  // days of the buying phase
  };

  static std::size_t pick_size(Rng& rng) {
    int weights[kSizes.size()];
    for (std::size_t i = 0; i < kSizes.size(); ++i) weights[i] = kSizes[i].weight;
    return rng.weighted(weights, kSizes.size());
  }
  static std::size_t pick_industry(Rng& rng) {
    int weights[kIndustries.size()];
    for (std::size_t i = 0; i < kIndustries.size(); ++i) weights[i] = kIndustries[i].weight;
    return rng.weighted(weights, kIndustries.size());
  }
  static std::size_t pick_country(Rng& rng) {
    int weights[kCountries.size()];
    for (std::size_t i = 0; i < kCountries.size(); ++i) weights[i] = kCountries[i].weight;
    return rng.weighted(weights, kCountries.size());
  }

  // CRM head counts are estimates: round the larger ones.
  static std::int64_t round_headcount(std::int64_t n) {
    if (n >= 1000) return (n + 50) / 100 * 100;
    if (n >= 100) return (n + 5) / 10 * 10;
    return n;
  }

  // A company's name as the CRM holds it, and the part of it its web domain comes from.
  struct CompanyName {
    std::string full, base;
  };

  static CompanyName company_name(Rng& rng, const Industry& industry, const Country& country) {
    std::string stem = rng.one_of(kCompanyStems);
    const std::string noun = industry.nouns[rng.below(3)];
    std::string name;
    switch (rng.below(4)) {
      case 0:
        name = stem + " " + noun;
        break;
      case 1:
        name = stem + " & " + rng.one_of(kCompanyStems) + " " + noun;
        break;
      case 2:
        name = stem + " " + noun + " Group";
        break;
      default:
        name = stem + " " + noun + " Works";
        break;
    }
    const std::string base = name;
    // A few carry a nickname in quotes, as some CRMs store them.
    if (rng.chance(60)) name += " \"" + std::string(rng.one_of(kNicknames)) + "\"";
    name += country.legal;
    return {name, base};
  }

  bool in_buying_phase(const Activity& a, std::int64_t day) const {
    return day >= a.buy_from && day < a.buy_to;
  }

  void add(const Activity& a, EventRow event) const {
    if (event.ts < a.created || event.ts >= a.end) return;
    a.out.push_back(std::move(event));
  }

  std::string page(const Activity& a, bool buying) const {
    Rng& rng = a.rng;
    const Product& product = rng.one_of(kProducts);
    std::size_t kind;
    if (a.role == Role::competitor) {
      kind = rng.weighted({20, 40, 20, 3, 1});
    } else if (a.role == Role::student) {
      kind = rng.weighted({45, 35, 2, 1, 17});
    } else if (buying) {
      kind = rng.weighted({25, 40, 22, 11, 2});
    } else {
      kind = rng.weighted({55, 35, 5, 2, 3});
    }
    std::string path;
    switch (kind) {
      case 0:
        path = rng.one_of(kResearchPages);
        break;
      case 1:
        path = std::string("/machines/") + product.slug;
        if (rng.chance(300)) path += rng.chance(500) ? "/specs" : "/configurator";
        break;
      case 2:
        path = rng.chance(700) ? "/pricing" : "/pricing/financing";
        break;
      case 3:
        path = rng.chance(600) ? "/contact" : "/contact/request-a-quote";
        break;
      default:
        path = rng.chance(500) ? "/careers" : "/careers/field-service-engineer";
        break;
    }
    std::string url = kSite + path;
    // Campaign tags, a comma among them, as marketing tools write them.
    if (rng.chance(80)) url += "?utm_source=newsletter&utm_content=presses,lines";
    return url;
  }

  void session(const Activity& a, std::int64_t start, bool buying) const {
    Rng& rng = a.rng;
    // One page or a handful, more while the lead compares machines and prices.
    const int views = 1 + rng.count(buying ? 2400 : 1400);
    std::int64_t ts = start;
    for (int i = 0; i < views; ++i) {
      EventRow e{ts, "Page View"};
      e.url = page(a, buying);
      add(a, std::move(e));
      ts += rng.between(20, 300);
    }
    // Downloads: engineers, students and competitors take CAD files; buyers read manuals.
    std::int64_t download = a.role == Role::student || a.role == Role::competitor ? 350
                            : a.role == Role::specifier                           ? 180
                                                                                  : 90;
    if (buying) download += 120;
    if (rng.chance(download)) {
      EventRow e{ts, "File Download"};
      const bool technical =
          a.role == Role::specifier || a.role == Role::student || a.role == Role::competitor;
      const std::size_t kind = technical ? rng.weighted({55, 30, 15}) : rng.weighted({25, 30, 45});
      static const std::array<const char*, 3> assets = {"CAD", "Manual", "Brochure"};
      e.asset = assets[kind];
      e.product = rng.one_of(kProducts).name;
      add(a, std::move(e));
      ts += rng.between(30, 200);
    }
    if (rng.chance(buying ? 140 : 70)) {
      EventRow e{ts, "Video View"};
      const Product& product = rng.one_of(kProducts);
      e.video = std::string(product.name) + (rng.chance(500) ? ": walkthrough" : ", in 90 seconds");
      e.minutes = minutes_text(rng.between(3, rng.chance(300) ? 250 : 60));  // tenths
      add(a, std::move(e));
    }
  }

  void simulate(Activity& a) const {
    Rng& rng = a.rng;
    static const std::array<std::int64_t, 4> session_ppm = {4000, 12000, 30000, 75000};
    static const std::array<std::int64_t, 4> social_ppm = {600, 2000, 6000, 15000};
    static const std::array<std::int64_t, 4> open_permille = {60, 160, 330, 520};
    static const std::array<std::int64_t, 4> register_permille = {8, 30, 110, 240};

    // The visit that created the contact.
    session(a, a.created, in_buying_phase(a, floor_div(a.created, kDay)));

    const std::int64_t first_day = floor_div(a.created, kDay) + 1;
    const std::int64_t last_day = floor_div(a.end - 1, kDay);
    for (std::int64_t day = first_day; day <= last_day; ++day) {
      const bool buying = in_buying_phase(a, day);
      const bool weekend = weekday(day) >= 5;
      std::int64_t p = session_ppm[a.tier];
      if (buying) p *= 4;
      if (weekend) p = p * 3 / 10;
      if (rng.chance_ppm(p)) session(a, day * kDay + office_time(rng), buying);
      if (rng.chance_ppm(social_ppm[a.tier] * (weekend ? 6 : 10) / 10)) {
        EventRow e{day * kDay + office_time(rng), "Social Interaction"};
        static const std::array<const char*, 4> networks = {"LinkedIn", "YouTube", "X", "Facebook"};
        static const std::array<const char*, 4> actions = {"Like", "Share", "Comment", "Follow"};
        e.network = networks[rng.weighted({60, 20, 10, 10})];
        e.action = actions[rng.weighted({55, 20, 15, 10})];
        add(a, std::move(e));
      }
    }

    // Mailings: opens within three days of the send, clicks minutes after the open.
    // Unsubscribing ends the mail stream; quiet, misfit contacts leave more often.
    const std::int64_t leave_permille = a.role == Role::student || a.role == Role::competitor ? 25
                                        : a.tier == 0                                         ? 12
                                                                                              : 5;
    for (const Campaign& c : calendar_.campaigns) {
      if (c.sent < a.created || c.sent >= a.end) continue;
      const bool buying = in_buying_phase(a, floor_div(c.sent, kDay));
      const std::int64_t open = open_permille[a.tier] + (buying ? 120 : 0);
      if (rng.chance(open)) {
        const std::int64_t opened = c.sent + rng.between(60, 3 * kDay);
        EventRow e{opened, "Email Open"};
        e.campaign = c.name;
        add(a, e);
        if (rng.chance(buying ? 300 : 140)) {
          EventRow click{opened + rng.between(5, 900), "Email Click"};
          click.campaign = c.name;
          add(a, std::move(click));
        }
        // Some contacts open one mail twice (another device, a forward to themselves).
        if (rng.chance(120)) {
          e.ts = opened + rng.between(kHour, 2 * kDay);
          add(a, std::move(e));
        }
        if (rng.chance(leave_permille)) {
          EventRow u{opened + rng.between(10, 600), "Unsubscribe"};
          u.campaign = c.name;
          add(a, std::move(u));
          break;
        }
      }
    }

    // Webinars: registration up to two weeks before, attendance at the start.
    for (const Webinar& w : calendar_.webinars) {
      if (w.starts - kDay < a.created || w.starts >= a.end) continue;
      const bool buying = in_buying_phase(a, floor_div(w.starts, kDay));
      const std::int64_t reg = register_permille[a.tier] * (buying ? 2 : 1);
      if (!rng.chance(reg)) continue;
      EventRow r{std::max(a.created, w.starts - rng.between(kHour, 14 * kDay)),
                 "Webinar Registration"};
      r.webinar = w.title;
      add(a, std::move(r));
      if (rng.chance(buying ? 700 : 520)) {
        EventRow e{w.starts + rng.between(0, 10 * 60), "Webinar Attendance"};
        e.webinar = w.title;
        const std::int64_t minutes = rng.chance(650)
                                         ? rng.between(w.length_minutes * 2 / 3, w.length_minutes)
                                         : rng.between(5, w.length_minutes * 2 / 3);
        e.minutes = std::to_string(minutes);
        add(a, std::move(e));
      }
    }
  }

  const Calendar& calendar_;
  std::int64_t first_day_, end_day_;
};

// ---- command line ---------------------------------------------------------------------------

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

struct OutputFile {
  fs::path path;
  std::ofstream stream;
};

bool open_output(OutputFile& file, const fs::path& path) {
  file.path = path;
  file.stream.open(path, std::ios::binary | std::ios::trunc);
  if (!file.stream) {
    std::cerr << "leadscore_demo_gen: cannot write " << path.string() << '\n';
    return false;
  }
  return true;
}

bool close_output(OutputFile& file) {
  file.stream.close();
  if (!file.stream) {
    std::cerr << "leadscore_demo_gen: cannot write " << file.path.string()
              << " (the disk may be full)\n";
    return false;
  }
  return true;
}

int run(const Options& options) {
  std::error_code error;
  fs::create_directories(options.out_dir, error);
  if (error || !fs::is_directory(options.out_dir)) {
    std::cerr << "leadscore_demo_gen: cannot create the output folder " << options.out_dir.string()
              << (error ? ": " + error.message() : std::string()) << '\n';
    return kExitUsage;
  }
  OutputFile leads, events, deals;
  if (!open_output(leads, options.out_dir / "leads.csv") ||
      !open_output(events, options.out_dir / "events.csv") ||
      !open_output(deals, options.out_dir / "deals.csv")) {
    return kExitUsage;
  }
  write_row(leads.stream, {"Record ID", "Create Date", "Email", "Company Name", "Job Title",
                           "Number of Employees", "Number of Plants", "Industry", "Country/Region",
                           "Budget Status", "Existing Customer"});
  write_row(events.stream, {"Activity ID", "Contact ID", "Activity Date", "Activity Type",
                            "Page URL", "Asset Type", "Product", "Email Campaign", "Webinar",
                            "Video Title", "Minutes Watched", "Social Network", "Social Action"});
  write_row(deals.stream, {"Contact ID", "Close Date", "Deal Stage"});

  const std::int64_t first_day = options.end_day - kWindowDays;
  const Calendar calendar = make_calendar(first_day, options.end_day);
  LeadMaker maker(calendar, first_day, options.end_day);
  std::uint64_t event_count = 0, won = 0, lost = 0;
  for (std::uint64_t i = 0; i < options.leads; ++i) {
    const LeadData data = maker.make(options.seed, i);
    const LeadRow& l = data.lead;
    write_row(leads.stream, {l.id, l.created, l.email, l.company, l.job_title, l.employees,
                             l.plants, l.industry, l.country, l.budget, l.existing_customer});
    for (const EventRow& e : data.events) {
      char id[24];
      std::snprintf(id, sizeof id, "E%07llu", static_cast<unsigned long long>(++event_count));
      write_row(events.stream, {id, l.id, format_time(e.ts), e.type, e.url, e.asset, e.product,
                                e.campaign, e.webinar, e.video, e.minutes, e.network, e.action});
    }
    if (data.deal) {
      write_row(deals.stream,
                {l.id, data.deal->close_date, data.deal->won ? "Closed Won" : "Closed Lost"});
      ++(data.deal->won ? won : lost);
    }
  }
  if (!close_output(leads) || !close_output(events) || !close_output(deals)) return kExitUsage;
  std::cout << "leadscore_demo_gen: leads: " << options.leads << ", events: " << event_count
            << ", deals: " << won + lost << " (" << won << " won, " << lost << " lost) written to "
            << options.out_dir.string() << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (auto stop = parse_args(argc, argv, options)) return *stop;
  return run(options);
}
