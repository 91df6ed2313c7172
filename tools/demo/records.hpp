// What one generated lead amounts to: its row of leads.csv, its rows of events.csv and, if it
// closed, its row of deals.csv, all as the text the CSV files will hold. These records are the
// hand-over between the simulation (lead.cpp, activity.cpp) and the file writer (output.cpp),
// so neither side needs to know how the other works.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace leadscore::demo {

// What the contact does at its company; decides job title, fit and online behaviour. The order
// matters: the lead generator draws a role by position.
enum class Role { decision, specifier, procurement, other, student, competitor };

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

}  // namespace leadscore::demo
