// The rejects of one import, in a folder of their own (by default `rejects/` beside the
// database): `STEM.KIND.STAMP.rejected.csv` (or `.jsonl`) holds the rejected rows exactly as
// they were (with the CSV header), so a user can fix them and import that file, and
// `STEM.KIND.STAMP.reasons.log` holds `file:line: reason` for each. STAMP is the UTC time of
// the import, with `-2`, `-3`, ... when that name is taken, so no import overwrites another's
// rejects and the two files of one import never share a path, whatever the input is called.
//
// The files are created exclusively and never through a symbolic link (O_EXCL, O_NOFOLLOW):
// rows from a shared drop folder must not be able to overwrite a file someone planted a link
// to. They are created at the first reject, written out, synced and closed before the import
// commits (finish), and removed again if the import fails, so they always describe a
// committed import.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "engine/store/row_source.hpp"

namespace leadscore::store {

// One output file, opened exclusively; writes are buffered and every failure is an error.
class ExclusiveFile {
 public:
  ExclusiveFile() = default;
  ~ExclusiveFile();
  ExclusiveFile(const ExclusiveFile&) = delete;
  ExclusiveFile& operator=(const ExclusiveFile&) = delete;

  // Creates `name` in the open folder `dir_fd`; false when the name is taken (EEXIST, or a
  // symbolic link); throws StoreError for any other failure.
  bool create(int dir_fd, const std::filesystem::path& shown, const std::string& name);
  void write(std::string_view bytes);
  // Writes what is buffered, syncs and closes; throws StoreError when any of it fails.
  void close();
  bool is_open() const { return fd_ >= 0; }

 private:
  void flush();
  int fd_ = -1;
  std::filesystem::path shown_;
  std::string buffer_;
};

class RejectWriter {
 public:
  // `dir` is created when missing. `follow_dir_link`: whether `dir` itself may be a symbolic
  // link (a folder the user named on the command line may; the default folder may not).
  RejectWriter(const std::filesystem::path& dir, bool follow_dir_link,
               const std::filesystem::path& input, std::string_view kind, const RowSource& rows);
  ~RejectWriter();

  void add(std::size_t line, std::string_view raw, const std::string& reason);
  // Writes out, syncs and closes both files (nothing when there were no rejects). Throws
  // StoreError when that fails: call it before the import commits.
  void finish();
  // Removes the files (the import did not commit after all).
  void discard();
  // Empty when nothing was rejected.
  const std::filesystem::path& rows_path() const { return rows_path_; }
  const std::filesystem::path& reasons_path() const { return reasons_path_; }

 private:
  void open_files();
  std::filesystem::path dir_, input_, rows_path_, reasons_path_;
  bool follow_dir_link_;
  std::string kind_;
  const RowSource& rows_;
  int dir_fd_ = -1;
  std::string rows_name_, reasons_name_;
  ExclusiveFile rows_out_, reasons_out_;
  bool kept_ = false;
};

}  // namespace leadscore::store
