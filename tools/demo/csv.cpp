// The CSV files of the demo project (see csv.hpp). Files are opened in binary mode so that the
// CRLF line ends are written as they are on every platform.
#include "tools/demo/csv.hpp"

#include <cstdio>
#include <iostream>

#include "tools/demo/dates.hpp"

namespace leadscore::demo {

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

bool DemoFiles::open_output(OutputFile& file, const std::filesystem::path& path) {
  file.path = path;
  file.stream.open(path, std::ios::binary | std::ios::trunc);
  if (!file.stream) {
    std::cerr << "leadscore_demo_gen: cannot write " << path.string() << '\n';
    return false;
  }
  return true;
}

bool DemoFiles::close_output(OutputFile& file) {
  file.stream.close();
  if (!file.stream) {
    std::cerr << "leadscore_demo_gen: cannot write " << file.path.string()
              << " (the disk may be full)\n";
    return false;
  }
  return true;
}

bool DemoFiles::open(const std::filesystem::path& dir) {
  if (!open_output(leads_, dir / "leads.csv") || !open_output(events_, dir / "events.csv") ||
      !open_output(deals_, dir / "deals.csv")) {
    return false;
  }
  write_row(leads_.stream, {"Record ID", "Create Date", "Email", "Company Name", "Job Title",
                            "Number of Employees", "Number of Plants", "Industry", "Country/Region",
                            "Budget Status", "Existing Customer"});
  write_row(events_.stream, {"Activity ID", "Contact ID", "Activity Date", "Activity Type",
                             "Page URL", "Asset Type", "Product", "Email Campaign", "Webinar",
                             "Video Title", "Minutes Watched", "Social Network", "Social Action"});
  write_row(deals_.stream, {"Contact ID", "Close Date", "Deal Stage"});
  return true;
}

void DemoFiles::write(const LeadData& data) {
  const LeadRow& l = data.lead;
  write_row(leads_.stream, {l.id, l.created, l.email, l.company, l.job_title, l.employees, l.plants,
                            l.industry, l.country, l.budget, l.existing_customer});
  for (const EventRow& e : data.events) {
    char id[24];
    std::snprintf(id, sizeof id, "E%07llu", static_cast<unsigned long long>(++event_count_));
    write_row(events_.stream, {id, l.id, format_time(e.ts), e.type, e.url, e.asset, e.product,
                               e.campaign, e.webinar, e.video, e.minutes, e.network, e.action});
  }
  if (data.deal) {
    write_row(deals_.stream,
              {l.id, data.deal->close_date, data.deal->won ? "Closed Won" : "Closed Lost"});
    ++(data.deal->won ? won_ : lost_);
  }
}

bool DemoFiles::close() {
  return close_output(leads_) && close_output(events_) && close_output(deals_);
}

}  // namespace leadscore::demo
