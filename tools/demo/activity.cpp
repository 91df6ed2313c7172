// The activity simulation of one lead (see activity.hpp). Every draw goes through the lead's own
// Rng, in a fixed order: the first visit, the daily loop, then the mailings, then the webinars.
#include "tools/demo/activity.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "tools/demo/catalogue.hpp"
#include "tools/demo/dates.hpp"

namespace leadscore::demo {
namespace {

// Minutes watched, from tenths of a minute: 45 -> "4.5", 60 -> "6".
std::string minutes_text(std::int64_t tenths) {
  std::string text = std::to_string(tenths / 10);
  if (tenths % 10 != 0) text += "." + std::to_string(tenths % 10);
  return text;
}

bool in_buying_phase(const Activity& a, std::int64_t day) {
  return day >= a.buy_from && day < a.buy_to;
}

void add(const Activity& a, EventRow event) {
  if (event.ts < a.created || event.ts >= a.end) return;
  a.out.push_back(std::move(event));
}

std::string page(const Activity& a, bool buying) {
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

void session(const Activity& a, std::int64_t start, bool buying) {
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
}  // namespace

void simulate_activity(const Calendar& calendar, Activity& a) {
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
  for (const Campaign& c : calendar.campaigns) {
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
  for (const Webinar& w : calendar.webinars) {
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

}  // namespace leadscore::demo
