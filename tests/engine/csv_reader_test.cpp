// CsvReader: RFC 4180 parsing, line numbers, row-level problems, fatal errors, and reading
// through a fixed buffer. Most expectations are checked with several buffer sizes, down to one
// byte, so that every quote, CRLF, byte-order mark and UTF-8 sequence in them also straddles a
// chunk boundary.
#include <doctest/doctest.h>

#include <cstddef>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <utility>
#include <vector>

#include "engine/csv_reader.hpp"

using leadscore::engine::CsvError;
using leadscore::engine::CsvReader;
using leadscore::engine::CsvRecord;

namespace {

struct Expected {
  std::vector<std::string> fields;
  std::size_t line;
  std::string raw;
  std::optional<std::string> problem = std::nullopt;
};

// 0 stands for the reader's default buffer.
const std::vector<std::size_t> kBufferSizes = {1, 2, 3, 4, 5, 7, 16, 0};

std::vector<CsvRecord> read_all(const std::string& input, std::size_t buffer_bytes = 0,
                                std::size_t max_record_bytes = CsvReader::kDefaultMaxRecordBytes) {
  std::istringstream in(input);
  CsvReader reader(in, max_record_bytes,
                   buffer_bytes == 0 ? CsvReader::kDefaultBufferBytes : buffer_bytes);
  std::vector<CsvRecord> records;
  CsvRecord record;
  while (reader.next(record)) records.push_back(record);
  CHECK(reader.bytes_consumed() == input.size());
  return records;
}

// Reads `input` with every size in kBufferSizes and compares each result with `expected`.
void expect_records(const std::string& input, const std::vector<Expected>& expected) {
  for (const std::size_t buffer : kBufferSizes) {
    INFO("buffer size " << buffer);
    const std::vector<CsvRecord> records = read_all(input, buffer);
    REQUIRE(records.size() == expected.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      INFO("record " << i);
      CHECK(records[i].fields == expected[i].fields);
      CHECK(records[i].line == expected[i].line);
      CHECK(records[i].raw == expected[i].raw);
      CHECK(records[i].problem == expected[i].problem);
    }
  }
}

// The error a reader with the given limits throws for `input`, checked with every buffer size to
// be the same; fails the test when none is thrown.
CsvError expect_error(const std::string& input,
                      std::size_t max_record_bytes = CsvReader::kDefaultMaxRecordBytes) {
  std::optional<CsvError> first;
  for (const std::size_t buffer : kBufferSizes) {
    INFO("buffer size " << buffer);
    std::optional<CsvError> error;
    try {
      read_all(input, buffer, max_record_bytes);
    } catch (const CsvError& e) {
      error = e;
    }
    REQUIRE(error.has_value());
    if (first) {
      CHECK(std::string(error->what()) == first->what());
    } else {
      first = error;
    }
  }
  return *first;
}

// A stream buffer that hands out `data` and then fails as a broken disk or pipe would.
class FailingBuffer : public std::streambuf {
 public:
  explicit FailingBuffer(std::string data) : data_(std::move(data)) {
    setg(data_.data(), data_.data(), data_.data() + data_.size());
  }

 protected:
  int_type underflow() override { throw std::runtime_error("device error"); }

 private:
  std::string data_;
};

}  // namespace

TEST_SUITE("csv_reader") {
  TEST_CASE("plain records, fields and line numbers") {
    expect_records("id,name,score\n1,Ada,90\n2,Bob,75\n",
                   {{{"id", "name", "score"}, 1, "id,name,score"},
                    {{"1", "Ada", "90"}, 2, "1,Ada,90"},
                    {{"2", "Bob", "75"}, 3, "2,Bob,75"}});
  }

  TEST_CASE("empty input and input without records") {
    expect_records("", {});
    expect_records("\n\n\r\n\r", {});
    expect_records("\xEF\xBB\xBF", {});
    expect_records("\xEF\xBB\xBF\r\n", {});
  }

  TEST_CASE("quoted fields may hold commas and escaped quotes") {
    expect_records("\"Smith, John\",\"say \"\"hi\"\"\",\"\"\"\",\"\",plain\n",
                   {{{"Smith, John", "say \"hi\"", "\"", "", "plain"},
                     1,
                     "\"Smith, John\",\"say \"\"hi\"\"\",\"\"\"\",\"\",plain"}});
  }

  TEST_CASE("empty fields, quoted or not, are kept") {
    expect_records(",\n\"\"\na,,b,\n,\"\",\n",
                   {{{"", ""}, 1, ","},
                    {{""}, 2, "\"\""},  // a quoted empty field on its own line is a record
                    {{"a", "", "b", ""}, 3, "a,,b,"},
                    {{"", "", ""}, 4, ",\"\","}});
  }

  TEST_CASE("fields are not trimmed") {
    expect_records(" a , b\t,\" c \"\n  \n",
                   {{{" a ", " b\t", " c "}, 1, " a , b\t,\" c \""}, {{"  "}, 2, "  "}});
  }

  TEST_CASE("line breaks inside quotes are kept and counted as physical lines") {
    expect_records(
        "a,\"two\nlines\"\n"
        "b,\"crlf\r\ninside\"\r\n"
        "c,\"lone\rcr\"\n"
        "d,\"\n\n\"\n"
        "e,last\n",
        {{{"a", "two\nlines"}, 1, "a,\"two\nlines\""},
         {{"b", "crlf\r\ninside"}, 3, "b,\"crlf\r\ninside\""},
         {{"c", "lone\rcr"}, 5, "c,\"lone\rcr\""},
         {{"d", "\n\n"}, 7, "d,\"\n\n\""},
         {{"e", "last"}, 10, "e,last"}});
  }

  TEST_CASE("records end with LF, CRLF or a lone CR") {
    expect_records("a,1\r\nb,2\nc,3\rd,4\r\n", {{{"a", "1"}, 1, "a,1"},
                                                {{"b", "2"}, 2, "b,2"},
                                                {{"c", "3"}, 3, "c,3"},
                                                {{"d", "4"}, 4, "d,4"}});
    // A closing quote directly before each kind of terminator.
    expect_records(
        "\"a\"\r\n\"b\"\r\"c\"\n\"d\"",
        {{{"a"}, 1, "\"a\""}, {{"b"}, 2, "\"b\""}, {{"c"}, 3, "\"c\""}, {{"d"}, 4, "\"d\""}});
  }

  TEST_CASE("the last record may lack a terminator") {
    expect_records("a,b\nc,d", {{{"a", "b"}, 1, "a,b"}, {{"c", "d"}, 2, "c,d"}});
    expect_records("a,\"b\nc\"", {{{"a", "b\nc"}, 1, "a,\"b\nc\""}});
    expect_records("a,", {{{"a", ""}, 1, "a,"}});
    expect_records("x", {{{"x"}, 1, "x"}});
  }

  TEST_CASE("empty lines are skipped but still counted") {
    expect_records("\n\r\na\n\n\nb\r\n\r\n\rc\n\n",
                   {{{"a"}, 3, "a"}, {{"b"}, 6, "b"}, {{"c"}, 9, "c"}});
  }

  TEST_CASE("a byte-order mark is skipped only at the start of the input") {
    expect_records("\xEF\xBB\xBFid,name\n1,x\n",
                   {{{"id", "name"}, 1, "id,name"}, {{"1", "x"}, 2, "1,x"}});
    // At the start of a later line it is kept in the field, and the record has a problem:
    // files joined byte for byte, whose mark would otherwise end up inside an id.
    expect_records(
        "a\n\xEF\xBB\xBF"
        "b\n",
        {{{"a"}, 1, "a"},
         {{"\xEF\xBB\xBF"
           "b"},
          2,
          "\xEF\xBB\xBF"
          "b",
          "column 1: a byte-order mark at the start of the line (only the file's start "
          "may have one)"}});
    // Inside a line it is U+FEFF, plain data.
    expect_records(
        "a,\xEF\xBB\xBF"
        "b\n",
        {{{"a",
           "\xEF\xBB\xBF"
           "b"},
          1,
          "a,\xEF\xBB\xBF"
          "b"}});
    // A truncated mark is not one: its bytes are data, and not valid UTF-8.
    expect_records(
        "\xEF\xBBx\n",
        {{{"\xEF\xBBx"}, 1, "\xEF\xBBx", "column 1: invalid UTF-8 at byte 1 of the field"}});
  }

  TEST_CASE("ragged rows are returned as they are") {
    expect_records("a,b,c\n1\n1,2,3,4,5\n\"x\",y\n", {{{"a", "b", "c"}, 1, "a,b,c"},
                                                      {{"1"}, 2, "1"},
                                                      {{"1", "2", "3", "4", "5"}, 3, "1,2,3,4,5"},
                                                      {{"x", "y"}, 4, "\"x\",y"}});
  }

  TEST_CASE("raw keeps the record's bytes exactly") {
    const std::string record = "\"q \"\"x\"\"\",  spaced ,\"multi\r\nline\",\xC3\xA9t\xC3\xA9,";
    expect_records(
        record + "\r\n" + record,
        {{{"q \"x\"", "  spaced ", "multi\r\nline", "\xC3\xA9t\xC3\xA9", ""}, 1, record},
         {{"q \"x\"", "  spaced ", "multi\r\nline", "\xC3\xA9t\xC3\xA9", ""}, 3, record}});
  }

  TEST_CASE("a quote inside an unquoted field is a problem of that column") {
    expect_records("a,b,5\" monitor,d\nnext,row\n",
                   {{{"a", "b", "5\" monitor", "d"},
                     1,
                     "a,b,5\" monitor,d",
                     "column 3: a quote inside an unquoted field"},
                    // The stray quote opened nothing: the following line is its own record.
                    {{"next", "row"}, 2, "next,row"}});
    expect_records("x\"\n", {{{"x\""}, 1, "x\"", "column 1: a quote inside an unquoted field"}});
  }

  TEST_CASE("text after a closing quote is a problem of that column") {
    expect_records(
        "1,\"abc\"def,3\n\"ok\" ,2\n",
        {{{"1", "abcdef", "3"}, 1, "1,\"abc\"def,3", "column 2: text after the closing quote"},
         {{"ok ", "2"}, 2, "\"ok\" ,2", "column 1: text after the closing quote"}});
    // A quote in that trailing text does not reopen the field.
    expect_records(
        "\"a\"b\"c\nd\n",
        {{{"ab\"c"}, 1, "\"a\"b\"c", "column 1: text after the closing quote"}, {{"d"}, 2, "d"}});
  }

  TEST_CASE("invalid UTF-8 is a problem naming the column and the byte") {
    expect_records(
        "ok,\xC3\xA9,ab\xFF"
        "c\n",
        {{{"ok", "\xC3\xA9",
           "ab\xFF"
           "c"},
          1,
          "ok,\xC3\xA9,ab\xFF"
          "c",
          "column 3: invalid UTF-8 at byte 3 of the field"}});
    // Inside quotes; the byte counts in the field's value, after undoing the "" escape.
    expect_records("x,\"\"\"\xED\xA0\x80\"\n",  // an encoded surrogate
                   {{{"x", "\"\xED\xA0\x80"},
                     1,
                     "x,\"\"\"\xED\xA0\x80\"",
                     "column 2: invalid UTF-8 at byte 2 of the field"}});
    // A sequence cut by a field separator is invalid in the field it starts in.
    expect_records("\xE2\x82,\xAC\n", {{{"\xE2\x82", "\xAC"},
                                        1,
                                        "\xE2\x82,\xAC",
                                        "column 1: invalid UTF-8 at byte 1 of the field"}});
    // Four-byte sequences are valid.
    expect_records("\xF0\x9F\x98\x80,\xE2\x82\xAC\n",
                   {{{"\xF0\x9F\x98\x80", "\xE2\x82\xAC"}, 1, "\xF0\x9F\x98\x80,\xE2\x82\xAC"}});
  }

  TEST_CASE("only the first problem of a record is reported, and it does not carry over") {
    expect_records(
        "\xFF,a\"b\nfine\nx,\"y\"z,\xFF\n",
        {{{"\xFF", "a\"b"}, 1, "\xFF,a\"b", "column 1: invalid UTF-8 at byte 1 of the field"},
         {{"fine"}, 2, "fine"},
         {{"x", "yz", "\xFF"}, 3, "x,\"y\"z,\xFF", "column 2: text after the closing quote"}});
  }

  TEST_CASE("a record reuses the caller's buffers and drops fields of the previous record") {
    std::istringstream in("a,b,c,d\n\"x\ny\"\n");
    CsvReader reader(in);
    CsvRecord record;
    record.problem = "stale";
    REQUIRE(reader.next(record));
    CHECK(record.fields == std::vector<std::string>{"a", "b", "c", "d"});
    CHECK_FALSE(record.problem.has_value());
    REQUIRE(reader.next(record));
    CHECK(record.fields == std::vector<std::string>{"x\ny"});
    CHECK(record.line == 2);
    CHECK(record.raw == "\"x\ny\"");
    CHECK_FALSE(reader.next(record));
    CHECK_FALSE(reader.next(record));  // the end of input stays the end
  }

  TEST_CASE("an unterminated quoted field is fatal and names the line where it opened") {
    const CsvError error = expect_error("id,note\n1,ok\n2,\"never\nclosed\n3,x\n");
    CHECK(error.line() == 3);
    CHECK(error.message() ==
          "a quoted field opened on this line is never closed (end of input reached)");
    CHECK(std::string(error.what()) ==
          "line 3: a quoted field opened on this line is never closed (end of input reached)");
    // The line of the quote, not of the record, when they differ.
    CHECK(expect_error("a,\"b\nc\",\"d\n").line() == 2);
    CHECK(expect_error("\"").line() == 1);
  }

  TEST_CASE("records read before a fatal error are returned, and the error repeats") {
    std::istringstream in("a\nb\n\"open\n");
    CsvReader reader(in, CsvReader::kDefaultMaxRecordBytes, 2);
    CsvRecord record;
    REQUIRE(reader.next(record));
    CHECK(record.fields == std::vector<std::string>{"a"});
    REQUIRE(reader.next(record));
    CHECK(record.fields == std::vector<std::string>{"b"});
    CHECK_THROWS_AS(reader.next(record), CsvError);
    CHECK_THROWS_WITH_AS(reader.next(record),
                         "line 3: a quoted field opened on this line is never closed (end of "
                         "input reached)",
                         CsvError);
  }

  TEST_CASE("a record over the size limit is fatal") {
    // The limit counts the raw bytes without the terminator: 10 bytes pass, 11 do not.
    CHECK(read_all("short\n0123456789\nx\n", 0, 10).size() == 3);
    for (const std::size_t buffer : kBufferSizes) {
      INFO("buffer size " << buffer);
      CHECK(read_all("0123456789\r\n", buffer, 10).size() == 1);
    }
    const CsvError too_long = expect_error("short\n\n0123456789A\nx\n", 10);
    CHECK(too_long.line() == 3);
    CHECK(too_long.message() == "the record is larger than the limit of 10 bytes");
  }

  TEST_CASE("a missing closing quote stops at the size limit with a hint") {
    std::string input = "id,note\n1,\"forgot to close\n";
    for (int i = 0; i < 1000; ++i) input += std::to_string(i) + ",some text\n";
    const CsvError error = expect_error(input, 256);
    CHECK(error.line() == 2);
    CHECK(error.message() ==
          "the record is larger than the limit of 256 bytes: the quoted field opened on line 2 "
          "is never closed");
  }

  TEST_CASE("a too-large record gets the same error whatever the read chunk size") {
    // expect_error reads at every buffer size and requires the same error from each.
    // The quoted field closes after the limit is passed: no hint about a missing quote, however
    // the chunk ends fall (found by the CSV fuzz harness).
    const CsvError closed = expect_error("a,b\n1,\"" + std::string(40, 'x') + "\"\"y\",tail\n", 32);
    CHECK(closed.line() == 2);
    CHECK(closed.message() == "the record is larger than the limit of 32 bytes");
    // The limit is passed inside a field that closes, and a later field of the record never
    // closes: the hint names that one.
    const CsvError later =
        expect_error("a,b\n1,\"" + std::string(40, 'x') + "\",\"open\nmore\n", 32);
    CHECK(later.message() ==
          "the record is larger than the limit of 32 bytes: the quoted field opened on line 2 "
          "is never closed");
  }

  TEST_CASE("a field larger than the read buffer") {
    // Several MiB, with escaped quotes and line breaks spread over the chunk boundaries.
    std::string big;
    for (std::size_t i = 0; big.size() < (std::size_t(5) << 20); ++i) {
      big += "lorem ipsum \xC3\xA9 ";
      if (i % 1000 == 0) big += "\"quoted\"\r\n";
    }
    std::string escaped;
    for (const char c : big) {
      escaped += c;
      if (c == '"') escaped += '"';
    }
    std::size_t breaks = 0;
    for (const char c : big) breaks += c == '\n' ? 1 : 0;
    const std::string first = "1,\"" + escaped + "\",end";
    const std::string input = first + "\n2,next\n";
    for (const std::size_t buffer : {std::size_t(0), std::size_t(4096), std::size_t(65521)}) {
      INFO("buffer size " << buffer);
      const std::vector<CsvRecord> records = read_all(input, buffer);
      REQUIRE(records.size() == 2);
      CHECK(records[0].fields.size() == 3);
      CHECK(records[0].fields[1] == big);
      CHECK(records[0].fields[2] == "end");
      CHECK(records[0].raw == first);
      CHECK_FALSE(records[0].problem.has_value());
      CHECK(records[1].line == breaks + 2);
      CHECK(records[1].fields == std::vector<std::string>{"2", "next"});
    }
  }

  TEST_CASE("byte patterns across buffer boundaries") {
    // Every position of this input falls on a chunk boundary for one of the small buffer sizes:
    // BOM, "" escapes, a "" right before a separator, CRLF inside and after quotes, a CR at the
    // end of one record and its LF in the next chunk, and multi-byte UTF-8.
    expect_records(
        "\xEF\xBB\xBF\"\"\"\",\"a\"\"\",\"\r\n\"\r\n"
        "\xE2\x82\xAC\"x,\"\xF0\x9F\x98\x80\"\"\"\r\r\n"
        "z",
        {{{"\"", "a\"", "\r\n"}, 1, "\"\"\"\",\"a\"\"\",\"\r\n\""},
         {{"\xE2\x82\xAC\"x", "\xF0\x9F\x98\x80\""},
          3,
          "\xE2\x82\xAC\"x,\"\xF0\x9F\x98\x80\"\"\"",
          "column 1: a quote inside an unquoted field"},
         {{"z"}, 5, "z"}});
  }

  TEST_CASE("bytes_consumed follows the records") {
    const std::string input =
        "\xEF\xBB\xBF"
        "ab,c\r\n\n\"d\ne\"\n";
    std::istringstream in(input);
    CsvReader reader(in, CsvReader::kDefaultMaxRecordBytes, 3);
    CsvRecord record;
    CHECK(reader.bytes_consumed() == 0);
    REQUIRE(reader.next(record));
    // Up to the CR: the reader does not wait for the next byte to return a finished record.
    CHECK(reader.bytes_consumed() == 3 + 5);
    REQUIRE(reader.next(record));
    CHECK(record.line == 3);
    CHECK(reader.bytes_consumed() == input.size());
    CHECK_FALSE(reader.next(record));
    CHECK(reader.bytes_consumed() == input.size());
  }

  TEST_CASE("a failing stream is a fatal error") {
    FailingBuffer buffer("a,b\nc,");
    std::istream in(&buffer);
    CsvReader reader(in, CsvReader::kDefaultMaxRecordBytes, 2);
    CsvRecord record;
    REQUIRE(reader.next(record));
    CHECK(record.fields == std::vector<std::string>{"a", "b"});
    CHECK_THROWS_WITH_AS(reader.next(record), "line 2: the input could not be read", CsvError);
  }
}
