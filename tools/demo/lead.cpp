// Draws one lead (see lead.hpp): who it is, whether it is in market, its timeline and its deal.
// Its online behaviour is left to activity.cpp. The order of the draws below is part of the
// output: moving one changes every later draw of the same lead.
#include "tools/demo/lead.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include "tools/demo/activity.hpp"
#include "tools/demo/catalogue.hpp"
#include "tools/demo/dates.hpp"
#include "tools/demo/rng.hpp"

namespace leadscore::demo {
namespace {

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

std::size_t pick_size(Rng& rng) {
  int weights[kSizes.size()];
  for (std::size_t i = 0; i < kSizes.size(); ++i) weights[i] = kSizes[i].weight;
  return rng.weighted(weights, kSizes.size());
}
std::size_t pick_industry(Rng& rng) {
  int weights[kIndustries.size()];
  for (std::size_t i = 0; i < kIndustries.size(); ++i) weights[i] = kIndustries[i].weight;
  return rng.weighted(weights, kIndustries.size());
}
std::size_t pick_country(Rng& rng) {
  int weights[kCountries.size()];
  for (std::size_t i = 0; i < kCountries.size(); ++i) weights[i] = kCountries[i].weight;
  return rng.weighted(weights, kCountries.size());
}

// CRM head counts are estimates: round the larger ones.
std::int64_t round_headcount(std::int64_t n) {
  if (n >= 1000) return (n + 50) / 100 * 100;
  if (n >= 100) return (n + 5) / 10 * 10;
  return n;
}

// A company's name as the CRM holds it, and the part of it its web domain comes from.
struct CompanyName {
  std::string full, base;
};

CompanyName company_name(Rng& rng, const Industry& industry, const Country& country) {
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

}  // namespace

LeadData LeadMaker::make(std::uint64_t seed, std::size_t index) const {
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
  const bool in_market = !studentish && rng.chance(clamp64(90 + outlook * 6, 20, 650));  // permille

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
  simulate_activity(calendar_, activity);

  std::stable_sort(data.events.begin(), data.events.end(),
                   [](const EventRow& a, const EventRow& b) { return a.ts < b.ts; });
  return data;
}

}  // namespace leadscore::demo
