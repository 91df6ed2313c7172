// The rejects of one import, next to the input: `NAME.rejects.EXT` holds the rejected rows
// exactly as they were (with the CSV header), so a user can fix them and import that file;
// `NAME.rejects.log` holds `file:line: reason` for each. Both are created at the first reject
// and removed again if the import fails, so they always describe a committed import.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "engine/store/row_source.hpp"

namespace leadscore::store {

class RejectWriter {
 public:
  RejectWriter(const std::filesystem::path& input, const RowSource& rows);
  ~RejectWriter();

  void add(std::size_t line, std::string_view raw, const std::string& reason);
  // Closes the files; returns the rejects file, or an empty path when there were none (any
  // rejects files of an earlier import of the same file are removed then).
  std::filesystem::path finish();

 private:
  std::filesystem::path input_, rows_path_, log_path_;
  const RowSource& rows_;
  std::ofstream rows_out_, log_out_;
  bool opened_ = false, finished_ = false;
};

}  // namespace leadscore::store
