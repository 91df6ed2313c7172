#include "engine/csv_reader.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "engine/text.hpp"

namespace leadscore::engine {
namespace {

// Which bytes stop a run of plain field content, per parser state. Most bytes of a CSV file need
// no decision, so the parser looks for the next stop with one table load per byte and copies the
// run in between with a single append.
constexpr std::uint8_t kStopsUnquoted = 1;  // , " CR LF
constexpr std::uint8_t kStopsQuoted = 2;    // " CR LF

constexpr std::array<std::uint8_t, 256> make_stop_table() {
  std::array<std::uint8_t, 256> table{};
  table[static_cast<unsigned char>(',')] = kStopsUnquoted;
  table[static_cast<unsigned char>('"')] = kStopsUnquoted | kStopsQuoted;
  table[static_cast<unsigned char>('\r')] = kStopsUnquoted | kStopsQuoted;
  table[static_cast<unsigned char>('\n')] = kStopsUnquoted | kStopsQuoted;
  return table;
}

constexpr std::array<std::uint8_t, 256> kStopTable = make_stop_table();

// Index of the first byte in [from, to) whose class is in `stops`, or `to`.
inline std::size_t find_stop(const char* data, std::size_t from, std::size_t to,
                             std::uint8_t stops) {
  while (from < to && (kStopTable[static_cast<unsigned char>(data[from])] & stops) == 0) ++from;
  return from;
}

std::string located(std::size_t line, const std::string& message) {
  return "line " + std::to_string(line) + ": " + message;
}

}  // namespace

CsvError::CsvError(std::size_t line, const std::string& message)
    : std::runtime_error(located(line, message)), line_(line), message_(message) {}

CsvReader::CsvReader(std::istream& in, std::size_t max_record_bytes, std::size_t buffer_bytes)
    : in_(in),
      max_record_bytes_(max_record_bytes),
      chunk_bytes_(std::max<std::size_t>(buffer_bytes, 1)),
      // Room for three bytes at least: the first read must see a byte-order mark whole.
      buffer_(std::max<std::size_t>(chunk_bytes_, 3)) {}

bool CsvReader::next(CsvRecord& record) {
  // After a fatal error the position inside the input is meaningless; repeating the error keeps
  // a caller that catches and loops from silently importing a truncated file.
  if (error_) throw *error_;
  if (!read_record(record)) return false;
  // The mark is skipped at the very start only; on a later line it is left from files joined
  // byte for byte, and taking it as part of the first field would corrupt an id.
  if (record.raw.starts_with("\xEF\xBB\xBF")) {
    record.problem =
        "column 1: a byte-order mark at the start of the line (only the file's "
        "start may have one)";
  }
  return true;
}

void CsvReader::fail(std::size_t line, const std::string& message) {
  error_.emplace(line, message);
  throw *error_;
}

bool CsvReader::fill() {
  while (pos_ == end_) {
    if (at_end_) return false;
    chunk_offset_ += end_;
    pos_ = end_ = 0;
    const std::size_t wanted = started_ ? chunk_bytes_ : buffer_.size();
    in_.read(buffer_.data(), static_cast<std::streamsize>(wanted));
    end_ = static_cast<std::size_t>(in_.gcount());
    if (in_.bad()) fail(line_, "the input could not be read");
    // istream::read only returns short at the end of the stream.
    if (end_ < wanted) at_end_ = true;
    if (!started_) {
      started_ = true;
      if (end_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
    }
  }
  return true;
}

bool CsvReader::read_record(CsvRecord& record) {
  // Skip empty lines, and the LF of a CRLF whose CR ended the previous record (the reader does
  // not look past a CR when a record ends, so that a record is returned as soon as it is whole).
  for (;;) {
    if (pos_ == end_ && !fill()) return false;
    const char c = buffer_[pos_];
    if (c == '\n') {
      if (!after_cr_) ++line_;
      after_cr_ = false;
    } else if (c == '\r') {
      ++line_;
      after_cr_ = true;
    } else {
      break;
    }
    ++pos_;
  }
  after_cr_ = false;  // the record's first byte is neither CR nor LF

  record.line = line_;
  record.raw.clear();
  record.problem.reset();

  enum class State {
    kFieldStart,     // nothing of the current field read yet
    kUnquoted,       // inside a field that did not start with a quote
    kQuoted,         // inside a quoted field
    kQuoteInQuoted,  // just after a quote inside a quoted field: an escape or the closing quote
  };
  State state = State::kFieldStart;
  std::size_t columns = 0;       // fields started so far; the current one is column `columns`
  std::string* field = nullptr;  // the current field, inside record.fields
  std::size_t quote_line = 0;    // where the current quoted field opened
  std::size_t raw_from = pos_;   // start of this chunk's bytes not yet copied to record.raw

  // On the way to the size-limit error only: reads on to the end of the record and returns the
  // line of a quoted field that the input ends in, if it does. The limit is checked at chunk
  // ends, so the state at that point depends on the chunk size; the rest of the record does
  // not, which keeps the message the same however the input is read.
  auto unclosed_quote_line = [&]() -> std::optional<std::size_t> {
    std::size_t line = line_;
    bool after_cr = after_cr_;
    for (;;) {
      if (pos_ == end_ && !fill()) {
        if (state == State::kQuoted) return quote_line;
        return std::nullopt;
      }
      const char c = buffer_[pos_++];
      if (state == State::kQuoted) {
        if (c == '"') {
          state = State::kQuoteInQuoted;
        } else if ((c == '\r' || c == '\n') && (c == '\r' || !after_cr)) {
          ++line;
        }
        after_cr = c == '\r';
      } else if (c == '"' && state != State::kUnquoted) {
        // Opens a field at its start; after a quote inside a quoted field, an escaped quote.
        if (state == State::kFieldStart) quote_line = line;
        state = State::kQuoted;
      } else if (c == ',') {
        state = State::kFieldStart;
      } else if (c == '\r' || c == '\n') {
        return std::nullopt;  // the record ends here, outside any quoted field
      } else {
        state = State::kUnquoted;
      }
    }
  };

  // record.raw gets whole runs of the chunk, at chunk ends and at the end of the record; the size
  // limit is enforced here, which bounds the fields too, as they are never longer than the raw
  // text plus one chunk.
  auto keep_raw = [&](std::size_t until) {
    const std::size_t length = until - raw_from;
    if (record.raw.size() + length > max_record_bytes_) {
      std::string message =
          "the record is larger than the limit of " + std::to_string(max_record_bytes_) + " bytes";
      if (auto line = unclosed_quote_line()) {
        message +=
            ": the quoted field opened on line " + std::to_string(*line) + " is never closed";
      }
      fail(record.line, message);
    }
    record.raw.append(buffer_.data() + raw_from, length);
  };
  auto note = [&](const std::string& what) {
    if (!record.problem) record.problem = "column " + std::to_string(columns) + ": " + what;
  };
  auto start_field = [&] {
    // Reuse the strings left from earlier records, keeping their capacity.
    if (columns == record.fields.size()) {
      record.fields.emplace_back();
    } else {
      record.fields[columns].clear();
    }
    field = &record.fields[columns];
    ++columns;
  };
  auto end_field = [&] {
    if (record.problem) return;  // only the first defect is reported
    if (auto bad = text::find_invalid_utf8(*field)) {
      note("invalid UTF-8 at byte " + std::to_string(bad->offset + 1) + " of the field");
    }
  };
  // Called with pos_ on the CR or LF that ends the record.
  auto end_record = [&](char terminator) {
    keep_raw(pos_);
    end_field();
    record.fields.resize(columns);
    ++pos_;
    ++line_;
    after_cr_ = terminator == '\r';
  };

  for (;;) {
    if (pos_ == end_) {
      keep_raw(end_);
      if (!fill()) break;
      raw_from = pos_;
    }
    const char* data = buffer_.data();
    switch (state) {
      case State::kFieldStart:
        start_field();
        if (data[pos_] == '"') {
          state = State::kQuoted;
          quote_line = line_;
          ++pos_;
          continue;
        }
        state = State::kUnquoted;
        [[fallthrough]];
      case State::kUnquoted: {
        const std::size_t stop = find_stop(data, pos_, end_, kStopsUnquoted);
        field->append(data + pos_, stop - pos_);
        pos_ = stop;
        if (pos_ == end_) continue;
        const char c = data[pos_];
        if (c == ',') {
          end_field();
          state = State::kFieldStart;
          ++pos_;
        } else if (c == '"') {
          // Kept as a literal quote so the row reads sensibly in messages; it does not open a
          // quoted section, so a stray quote (5" monitor) cannot swallow the following lines.
          note("a quote inside an unquoted field");
          field->push_back('"');
          ++pos_;
        } else {
          end_record(c);
          return true;
        }
        continue;
      }
      case State::kQuoted: {
        const std::size_t stop = find_stop(data, pos_, end_, kStopsQuoted);
        if (stop != pos_) {
          field->append(data + pos_, stop - pos_);
          after_cr_ = false;
          pos_ = stop;
          if (pos_ == end_) continue;
        }
        const char c = data[pos_++];
        if (c == '"') {
          state = State::kQuoteInQuoted;
          after_cr_ = false;
          continue;
        }
        // A line break inside the field: part of the value, and a new physical line unless it is
        // the LF of a CRLF (whose CR may have been at the end of the previous chunk).
        if (c == '\r' || !after_cr_) ++line_;
        after_cr_ = c == '\r';
        field->push_back(c);
        continue;
      }
      case State::kQuoteInQuoted: {
        const char c = data[pos_];
        if (c == '"') {
          field->push_back('"');
          state = State::kQuoted;
          ++pos_;
        } else if (c == ',') {
          end_field();
          state = State::kFieldStart;
          ++pos_;
        } else if (c == '\r' || c == '\n') {
          end_record(c);
          return true;
        } else {
          // "abc"def: the rest is taken as unquoted text of the same field, which is what most
          // spreadsheets show, but the row is flagged because the writer was not RFC 4180.
          note("text after the closing quote");
          state = State::kUnquoted;
        }
        continue;
      }
    }
  }

  // The input ended inside the record: a final line without terminator.
  if (state == State::kQuoted) {
    fail(quote_line, "a quoted field opened on this line is never closed (end of input reached)");
  }
  if (state == State::kFieldStart) start_field();  // "a," ends with an empty field
  end_field();
  record.fields.resize(columns);
  return true;
}

}  // namespace leadscore::engine
