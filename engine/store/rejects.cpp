#include "engine/store/rejects.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "leadscore/store.hpp"

namespace leadscore::store {
namespace {

constexpr std::size_t flush_at = std::size_t(1) << 20;
constexpr int max_attempts = 1000;

[[noreturn]] void fail(const std::filesystem::path& file, const char* what, int error) {
  throw StoreError(file.string() + ": " + what + ": " + std::strerror(error));
}

// 20261204T190000Z: sorts by time, and is a valid file name everywhere.
std::string utc_stamp() {
  std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &parts);
  return text;
}

}  // namespace

ExclusiveFile::~ExclusiveFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool ExclusiveFile::create(int dir_fd, const std::filesystem::path& shown,
                           const std::string& name) {
  shown_ = shown;
  // O_EXCL fails on any existing name, a symbolic link included (dangling or not);
  // O_NOFOLLOW says the same for systems that would look at the link first.
  int fd =
      ::openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) {
    if (errno == EEXIST || errno == ELOOP) return false;
    fail(shown, "cannot create the rejects file", errno);
  }
  fd_ = fd;
  return true;
}

void ExclusiveFile::write(std::string_view bytes) {
  buffer_.append(bytes);
  if (buffer_.size() >= flush_at) flush();
}

void ExclusiveFile::flush() {
  std::string_view rest = buffer_;
  while (!rest.empty()) {
    ssize_t n = ::write(fd_, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(shown_, "cannot write the rejects file", n < 0 ? errno : EIO);
    rest.remove_prefix(std::size_t(n));
  }
  buffer_.clear();
}

void ExclusiveFile::close() {
  if (fd_ < 0) return;
  flush();
  // A full disk may only show at the sync or the close: both are checked.
  if (::fsync(fd_) != 0) fail(shown_, "cannot write the rejects file", errno);
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail(shown_, "cannot write the rejects file", errno);
}

RejectWriter::RejectWriter(const std::filesystem::path& dir, bool follow_dir_link,
                           const std::filesystem::path& input, std::string_view kind,
                           const RowSource& rows)
    : dir_(dir), input_(input), follow_dir_link_(follow_dir_link), kind_(kind), rows_(rows) {}

RejectWriter::~RejectWriter() {
  if (!kept_) discard();
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

void RejectWriter::discard() {
  kept_ = false;
  if (dir_fd_ < 0) return;
  for (const std::string* name : {&rows_name_, &reasons_name_}) {
    if (!name->empty()) ::unlinkat(dir_fd_, name->c_str(), 0);
  }
  rows_name_.clear();
  reasons_name_.clear();
  rows_path_.clear();
  reasons_path_.clear();
}

void RejectWriter::open_files() {
  std::filesystem::path shown_dir = dir_.empty() ? "." : dir_;
  if (::mkdir(shown_dir.c_str(), 0777) != 0 && errno != EEXIST) {
    fail(shown_dir, "cannot create the rejects folder", errno);
  }
  int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (follow_dir_link_ ? 0 : O_NOFOLLOW);
  dir_fd_ = ::open(shown_dir.c_str(), flags);
  if (dir_fd_ < 0) {
    if (errno == ELOOP || errno == ENOTDIR) {
      throw StoreError(shown_dir.string() +
                       ": the rejects folder is a symbolic link or not a folder; not writing "
                       "through it (name a folder with --rejects)");
    }
    fail(shown_dir, "cannot open the rejects folder", errno);
  }
  const std::string base = input_.stem().string() + "." + kind_ + "." + utc_stamp();
  const char* extension = rows_.is_csv() ? ".csv" : ".jsonl";
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    std::string name = attempt == 1 ? base : base + "-" + std::to_string(attempt);
    std::string rows_name = name + ".rejected" + extension, reasons_name = name + ".reasons.log";
    if (!rows_out_.create(dir_fd_, dir_ / rows_name, rows_name)) continue;
    if (!reasons_out_.create(dir_fd_, dir_ / reasons_name, reasons_name)) {
      rows_out_.close();
      ::unlinkat(dir_fd_, rows_name.c_str(), 0);
      continue;
    }
    rows_name_ = rows_name;
    reasons_name_ = reasons_name;
    rows_path_ = dir_ / rows_name;
    reasons_path_ = dir_ / reasons_name;
    if (rows_.is_csv()) rows_out_.write(rows_.header_line() + "\r\n");
    return;
  }
  throw StoreError(shown_dir.string() + ": no free name for the rejects of " + input_.string() +
                   " after " + std::to_string(max_attempts) + " tries");
}

void RejectWriter::add(std::size_t line, std::string_view raw, const std::string& reason) {
  if (!rows_out_.is_open()) open_files();
  rows_out_.write(raw);
  rows_out_.write(rows_.is_csv() ? "\r\n" : "\n");
  reasons_out_.write(input_.string() + ':' + std::to_string(line) + ": " + reason + '\n');
}

void RejectWriter::finish() {
  rows_out_.close();
  reasons_out_.close();
  // The folder entry of a new file is only durable once the folder itself is synced.
  if (dir_fd_ >= 0 && !rows_name_.empty() && ::fsync(dir_fd_) != 0) {
    fail(dir_, "cannot write the rejects folder", errno);
  }
  kept_ = true;
}

}  // namespace leadscore::store
