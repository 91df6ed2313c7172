// A run's scores, kept in lead order from the scan until the write transaction. Entries go
// to a small in-memory block; a full block is appended to an unnamed temporary file, so
// memory stays flat however many leads there are. Far cheaper than a temporary SQLite table:
// at 1 000 000 leads that cost the scan about 0.9 s; this costs a few milliseconds.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace leadscore::store {

class ScoreSpool {
 public:
  struct Entry {
    std::int64_t lead;
    double score;
    std::uint64_t band;  // index into band(); 64 bits so the record has no padding bytes
  };

  ScoreSpool();
  ~ScoreSpool();
  ScoreSpool(const ScoreSpool&) = delete;
  ScoreSpool& operator=(const ScoreSpool&) = delete;

  // `band` must outlive the spool (the model's band names do).
  void add(std::int64_t lead, double score, const std::string& band);
  std::size_t size() const { return count_; }
  const std::string& band(std::uint64_t index) const { return *bands_[index]; }

  // Calls `each(entry)` for every entry in the order added. Throws StoreError when the
  // temporary file cannot be written out or read back whole (a full disk must not lose
  // scores silently).
  template <typename Each>
  void for_each(Each&& each) {
    if (file_) {
      start_reading();
      std::vector<Entry> chunk(block_entries);
      std::size_t seen = 0;
      while (std::size_t n = read_chunk(chunk)) {
        for (std::size_t i = 0; i < n; ++i) each(chunk[i]);
        seen += n;
      }
      if (seen != count_) fail_short_read(seen);
    } else {
      for (const Entry& e : block_) each(e);
    }
  }

 private:
  static constexpr std::size_t block_entries = 1 << 16;  // 1.5 MiB

  void flush();
  void start_reading();
  std::size_t read_chunk(std::vector<Entry>& chunk);
  [[noreturn]] void fail_short_read(std::size_t seen) const;

  std::vector<Entry> block_;
  std::vector<const std::string*> bands_;
  std::FILE* file_ = nullptr;
  std::size_t count_ = 0;
};

}  // namespace leadscore::store
