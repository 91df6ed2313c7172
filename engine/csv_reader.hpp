// A streaming reader for RFC 4180 CSV, as exported by CRMs (HubSpot, Salesforce). `leadscore
// import` reads such exports, which may be larger than memory, so the reader holds one fixed-size
// chunk of input plus the record being assembled, never the whole file.
//
// Dialect: comma-separated; a field may be enclosed in double quotes, in which case it may contain
// commas, quotes written as "" and line breaks (CR, LF or CRLF). Records end with CRLF, LF or a
// lone CR, and the last one may end at the end of input instead. A UTF-8 byte-order mark at the
// very start is skipped; one at the start of a later record is that record's problem. Empty lines
// are skipped. Fields are returned exactly as written (after removing the enclosing quotes and
// undoing ""), never trimmed, and rows are not checked for a consistent number of fields: that is
// the importer's job, as it knows the header.
//
// Defects fall into two classes. A defect confined to one record (a stray quote, text after a
// closing quote, invalid UTF-8) is reported in CsvRecord::problem so the importer can reject that
// row and go on. A defect that leaves the record boundaries unknown (a quoted field still open at
// the end of input, a record above the size limit, a read error) throws CsvError; the reader
// cannot resynchronise after it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace leadscore::engine {

struct CsvRecord {
  std::vector<std::string> fields;
  // 1-based physical line on which the record starts. Line breaks inside quoted fields count, so
  // this is the line a text editor shows.
  std::size_t line = 0;
  // The record's bytes exactly as in the input, without its line terminator, so a rejected row can
  // be copied to the rejects file unchanged.
  std::string raw;
  // The first defect that makes the record unusable, naming the 1-based column, e.g.
  // "column 3: a quote inside an unquoted field". `fields` is still filled as well as it can be.
  std::optional<std::string> problem;
};

// A fatal input error. what() reads "line N: message"; line() and message() give the parts so a
// caller can prefix the file name instead.
class CsvError : public std::runtime_error {
 public:
  CsvError(std::size_t line, const std::string& message);
  std::size_t line() const noexcept { return line_; }
  const std::string& message() const noexcept { return message_; }

 private:
  std::size_t line_;
  std::string message_;
};

class CsvReader {
 public:
  static constexpr std::size_t kDefaultMaxRecordBytes = std::size_t(128) << 20;
  static constexpr std::size_t kDefaultBufferBytes = std::size_t(1) << 20;

  // `max_record_bytes` bounds a record's raw size: without it, one missing closing quote would
  // make the rest of the file a single field and exhaust memory. `buffer_bytes` is the size of the
  // chunks read from `in`; tests make it tiny so that every byte pattern straddles a chunk
  // boundary. A value of 0 is treated as 1.
  explicit CsvReader(std::istream& in, std::size_t max_record_bytes = kDefaultMaxRecordBytes,
                     std::size_t buffer_bytes = kDefaultBufferBytes);

  // Reads the next record into `record`, reusing its string and vector capacity. Returns false at
  // the end of input. Throws CsvError on a fatal error, and again on every later call.
  bool next(CsvRecord& record);

  // Input bytes used so far (byte-order mark and line terminators included), for progress output.
  // A CRLF split across two records' calls is counted once the LF has been skipped.
  std::uint64_t bytes_consumed() const { return chunk_offset_ + pos_; }

 private:
  bool read_record(CsvRecord& record);
  bool fill();
  [[noreturn]] void fail(std::size_t line, const std::string& message);

  std::istream& in_;
  std::size_t max_record_bytes_;
  std::size_t chunk_bytes_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;             // next unread byte in buffer_
  std::size_t end_ = 0;             // one past the last valid byte in buffer_
  std::uint64_t chunk_offset_ = 0;  // input offset of buffer_[0]
  bool started_ = false;            // the first chunk (where a byte-order mark may be) was read
  bool at_end_ = false;             // the stream has no more bytes
  std::size_t line_ = 1;            // physical line of buffer_[pos_]
  bool after_cr_ = false;           // the previous byte was a CR, so an LF now ends no new line
  std::optional<CsvError> error_;   // set once a fatal error was thrown
};

}  // namespace leadscore::engine
