// Writing the demo project's three CSV files: leads.csv, events.csv and deals.csv, laid out like
// a HubSpot export. This is the only place that knows the column names and the file format, so
// the simulation can hand over plain records (records.hpp) and stay free of I/O.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <ostream>
#include <string_view>

#include "tools/demo/records.hpp"

namespace leadscore::demo {

// One CSV row, RFC 4180: CRLF line ends; a field with a comma, a quote or a line break is
// quoted, and its quotes doubled.
void write_row(std::ostream& out, std::initializer_list<std::string_view> fields);

// The three output files of a run. Event IDs run on across leads, so one object writes them all.
class DemoFiles {
 public:
  // Creates (or truncates) the files in dir and writes their header rows. False, after a message
  // on stderr, when a file cannot be created.
  bool open(const std::filesystem::path& dir);
  // Writes the lead's rows: one lead, its events (numbered on from the previous lead's), and its
  // deal if it has one.
  void write(const LeadData& data);
  // Flushes and closes the files. False, after a message on stderr, when writing failed.
  bool close();

  std::uint64_t events() const { return event_count_; }
  std::uint64_t won() const { return won_; }
  std::uint64_t lost() const { return lost_; }

 private:
  struct OutputFile {
    std::filesystem::path path;
    std::ofstream stream;
  };
  static bool open_output(OutputFile& file, const std::filesystem::path& path);
  static bool close_output(OutputFile& file);

  OutputFile leads_, events_, deals_;
  std::uint64_t event_count_ = 0, won_ = 0, lost_ = 0;
};

}  // namespace leadscore::demo
