// Fuzzes both JSON Lines readers: the importer's row source (`leadscore import`, a file of
// leads, events or outcomes) and the events reader of `leadscore eval`. Each cell of every row
// is converted to every declared type, as the importer does under a schema. Bad lines must
// come back as a row's problem (import) or an InputError naming file and line (eval); any
// other exception, a crash or a hang fails the run.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

#include "engine/store/row_source.hpp"
#include "leadscore/store.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "tools/cli/json_input.hpp"

namespace {

using leadscore::ValueType;
using leadscore::store::RowCell;

// The importer reads from a path, so each input is written to one scratch file per process.
class ScratchFile {
 public:
  ScratchFile()
      : path_(std::filesystem::temp_directory_path() /
              ("leadscore-fuzz-" + std::to_string(::getpid()) + ".jsonl")) {}
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  const std::filesystem::path& write(std::string_view bytes) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    FUZZ_CHECK(bool(out), "cannot write the scratch file");
    return path_;
  }

 private:
  std::filesystem::path path_;
};

void convert_every_way(const RowCell& cell) {
  for (ValueType type : {ValueType::any, ValueType::number, ValueType::string, ValueType::boolean,
                         ValueType::timestamp}) {
    (void)leadscore::store::convert(cell, type);
  }
  if (auto key = leadscore::store::key_text(cell)) {
    (void)leadscore::store::parse_import_time(*key);
  }
}

void read_as_import(const std::filesystem::path& file) {
  auto rows = leadscore::store::open_rows(file);
  FUZZ_CHECK(!rows->is_csv(), "a .jsonl file was read as CSV");
  std::size_t last_line = 0;
  while (rows->next()) {
    FUZZ_CHECK(rows->line() > last_line, "row lines go backwards");
    last_line = rows->line();
    if (rows->problem()) continue;
    for (const std::string& column : rows->columns()) convert_every_way(rows->cell(column));
    for (const std::string& key : rows->nested_keys("attrs")) {
      convert_every_way(rows->nested("attrs", key));
    }
  }
}

void read_as_eval_events(std::string_view bytes) {
  std::istringstream in{std::string(bytes)};
  try {
    (void)leadscore::cli::parse_events_jsonl(in, "fuzz.jsonl");
  } catch (const leadscore::cli::InputError& e) {
    FUZZ_CHECK(std::string_view(e.what()).starts_with("fuzz.jsonl"),
               "an input error does not name the file");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static ScratchFile scratch;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  read_as_import(scratch.write(bytes));
  read_as_eval_events(bytes);
  return 0;
}
