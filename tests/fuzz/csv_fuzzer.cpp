// Fuzzes the streaming CSV reader. The first input byte picks the size of the chunks the
// reader pulls from the stream and the record size limit; the rest is the CSV text. Every
// input is read twice, in those chunks and in one large chunk: the records must not depend on
// where the chunk boundaries fall. CsvError is the documented way to refuse an input; any
// other exception, a crash or a hang fails the run.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "engine/csv_reader.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using leadscore::engine::CsvError;
using leadscore::engine::CsvReader;
using leadscore::engine::CsvRecord;

struct Reading {
  std::vector<CsvRecord> records;
  // The CsvError that ended the reading: its line and its reason, which must not depend on
  // the chunk size (tests/fuzz/regressions/csv/limit-hint-depends-on-chunk-size).
  std::optional<std::pair<std::size_t, std::string>> error;
  std::uint64_t bytes = 0;
};

Reading read_all(const std::string& text, std::size_t max_record, std::size_t chunk) {
  std::istringstream in(text);
  CsvReader reader(in, max_record, chunk);
  Reading reading;
  CsvRecord record;
  std::size_t last_line = 0;
  try {
    while (reader.next(record)) {
      FUZZ_CHECK(record.line >= 1 && record.line > last_line, "record lines go backwards");
      FUZZ_CHECK(record.raw.size() <= max_record, "a record above the size limit was returned");
      last_line = record.line;
      reading.records.push_back(record);
    }
    FUZZ_CHECK(reader.bytes_consumed() == text.size(), "the reader stopped before the end");
    // After the end, the reader stays at the end.
    FUZZ_CHECK(!reader.next(record), "a record after the end of input");
  } catch (const CsvError& e) {
    reading.error.emplace(e.line(), e.message());
    bool again = false;
    try {
      reader.next(record);
    } catch (const CsvError&) {
      again = true;
    }
    FUZZ_CHECK(again, "a fatal CSV error was not thrown again");
  }
  reading.bytes = reader.bytes_consumed();
  return reading;
}

bool same_records(const std::vector<CsvRecord>& a, const std::vector<CsvRecord>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].fields != b[i].fields || a[i].line != b[i].line || a[i].raw != b[i].raw ||
        a[i].problem != b[i].problem) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t knobs = data[0];
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t chunk = 1 + (knobs & 0x0f);  // 1 .. 16 bytes
  const std::size_t max_record = (knobs & 0x80) ? 16 + (knobs & 0x70) : 1 << 20;

  const Reading small = read_all(text, max_record, chunk);
  const Reading large = read_all(text, max_record, 1 << 16);
  FUZZ_CHECK(same_records(small.records, large.records), "records depend on the chunk size");
  FUZZ_CHECK(small.error == large.error, "errors depend on the chunk size");
  return 0;
}
