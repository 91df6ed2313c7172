#include "engine/store/score_spool.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "leadscore/store.hpp"

namespace leadscore::store {
namespace {

[[noreturn]] void fail(const char* what, const std::string& where = "") {
  throw StoreError(std::string("cannot ") + what + " the run's scores in a temporary file" +
                   (where.empty() ? "" : " in " + where + " (TMPDIR)") + ": " +
                   std::strerror(errno));
}

// A file in $TMPDIR (else /tmp), as SQLite places its own temporary files, unlinked at once
// so the system removes it however the process ends. (std::tmpfile ignores TMPDIR.)
std::FILE* open_unnamed_file() {
  const char* env = std::getenv("TMPDIR");
  const std::string dir = env && *env ? env : "/tmp";
  std::string path = dir + "/leadscore-scores-XXXXXX";
  errno = 0;
  int fd = mkstemp(path.data());
  if (fd < 0) fail("keep", dir);
  unlink(path.c_str());
  std::FILE* file = fdopen(fd, "w+b");
  if (!file) {
    close(fd);
    fail("keep", dir);
  }
  return file;
}

}  // namespace

ScoreSpool::ScoreSpool() {
  block_.reserve(block_entries);
}

ScoreSpool::~ScoreSpool() {
  if (file_) std::fclose(file_);
}

void ScoreSpool::add(std::int64_t lead, double score, const std::string& band) {
  // A model has a handful of bands: a linear search beats any map.
  std::uint64_t index = 0;
  while (index < bands_.size() && bands_[index] != &band) ++index;
  if (index == bands_.size()) bands_.push_back(&band);
  if (block_.size() == block_entries) flush();
  block_.push_back({lead, score, index});
  ++count_;
}

void ScoreSpool::flush() {
  if (block_.empty()) return;
  if (!file_) file_ = open_unnamed_file();
  if (std::fwrite(block_.data(), sizeof(Entry), block_.size(), file_) != block_.size()) {
    fail("write");
  }
  block_.clear();
}

void ScoreSpool::start_reading() {
  flush();
  // The last writes may only reach the file now, and rewind() would swallow their error.
  if (std::fflush(file_) != 0) fail("write");
  std::rewind(file_);
}

void ScoreSpool::fail_short_read(std::size_t seen) const {
  throw StoreError("the temporary file of the run's scores gave back " + std::to_string(seen) +
                   " of " + std::to_string(count_) + " scores");
}

std::size_t ScoreSpool::read_chunk(std::vector<Entry>& chunk) {
  std::size_t n = std::fread(chunk.data(), sizeof(Entry), chunk.size(), file_);
  if (n < chunk.size() && std::ferror(file_)) fail("read back");
  return n;
}

}  // namespace leadscore::store
