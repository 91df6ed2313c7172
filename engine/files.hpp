// Reading a whole file, for the loaders of models, list files, schemas and project files:
// each turns a failure into its own diagnostic, so this only says whether it worked and why not.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace leadscore::files {

// The file's bytes, or nothing when it cannot be opened or read.
inline std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return out.str();
}

enum class ReadError { none, cannot_open, not_regular, too_large, read_failed };

struct ReadResult {
  std::string bytes;
  ReadError error = ReadError::none;
  std::size_t size = 0;  // the size fstat gave, for a too-large file
};

// A regular file's bytes, at most `max_bytes` of them. Opened with O_NONBLOCK so that a FIFO
// cannot block the open, then refused unless fstat says it is a regular file (a device such as
// /dev/zero or a FIFO has no size to check); the limit is enforced again while reading, in case
// the file grows between the fstat and the end of the read.
inline ReadResult read_regular_file(const std::filesystem::path& path, std::size_t max_bytes) {
  ReadResult r;
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    r.error = ReadError::cannot_open;
    return r;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    r.error = ReadError::not_regular;
    return r;
  }
  r.size = static_cast<std::size_t>(st.st_size);
  if (r.size > max_bytes) {
    ::close(fd);
    r.error = ReadError::too_large;
    return r;
  }
  r.bytes.resize(r.size);
  std::size_t have = 0;
  for (;;) {
    if (have == r.bytes.size()) {
      if (have > max_bytes) break;
      r.bytes.resize(std::min(have + 65536, max_bytes + 1));
    }
    const ssize_t n = ::read(fd, r.bytes.data() + have, r.bytes.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      r.error = ReadError::read_failed;
      r.bytes.clear();
      return r;
    }
    if (n == 0) break;
    have += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (have > max_bytes) {
    r.error = ReadError::too_large;
    r.size = have;
    r.bytes.clear();
    return r;
  }
  r.bytes.resize(have);
  return r;
}

}  // namespace leadscore::files
