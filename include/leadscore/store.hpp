// The lead store: leads, their attribute versions, events and outcomes in one SQLite file, and
// the scores each model gave them. The database layout is described in engine/store/SCHEMA.md.
//
//   auto store = leadscore::Store::open("leadscore.db", leadscore::Store::Mode::read_write);
//   auto report = store->import_file(leadscore::ImportKind::events, "events.csv", project);
//   store->score(*model, "b2b", as_of, {}, [](const leadscore::LeadScoreLine& s) { ... });
//
// Failures of the database itself (cannot open, disk full, locked for too long) throw
// StoreError with a message that names the file and the reason. Bad rows in imported files are
// not failures: they are counted, reported with file:line and written to a rejects file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/leadscore.hpp"
#include "leadscore/project.hpp"

namespace leadscore {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ImportKind : std::uint8_t { leads, events, outcomes };

struct ImportReject {
  std::size_t line = 0;  // where the row starts in the input file
  std::string reason;
};

struct ImportReport {
  std::uint64_t rows = 0;       // data rows read (header excluded)
  std::uint64_t added = 0;      // rows that changed the database
  std::uint64_t unchanged = 0;  // rows already there (a repeated import)
  std::uint64_t rejected = 0;
  std::vector<ImportReject> first_rejects;  // at most 20, for the terminal
  std::filesystem::path rejects_file;       // the rejected rows; empty when nothing was rejected
  std::filesystem::path reasons_file;       // `file:line: reason` for each; empty likewise
};

struct ImportOptions {
  // Where the rejects files go; empty: the folder `rejects` beside the database (which must
  // not be a symbolic link). Created when missing. Files are never overwritten: each import
  // writes new ones, named after the input, the kind and the time of the import.
  std::filesystem::path rejects_dir;
  // Identical id-less events of one file are told apart by counting them. Up to this many
  // distinct contents are counted in memory (about 60 bytes each); the rest in a temporary
  // table on disk, which is slower but keeps memory bounded on any file.
  std::size_t occurrences_in_memory = std::size_t(1) << 20;
};

// Called now and then during an import: bytes read so far and the file's size.
using ImportProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// One scored lead, as `leadscore score` prints it. Views are valid during the callback only.
struct LeadScoreLine {
  std::string_view lead_id;
  double score = 0;
  std::string_view band;
  // Empty when the lead had no stored score for this model. Read when the pass began: should
  // another run store scores meanwhile, the band changes this run records are found again
  // against those (runs are serialised), and may differ from what was shown here.
  std::string_view previous_band;
  const std::vector<std::string_view>* grades = nullptr;  // one per group ("" without grades)
};

struct ScoreRunReport {
  std::int64_t run_id = 0;
  std::uint64_t leads = 0;
  std::uint64_t events = 0;
  std::uint64_t band_changes = 0;
  // Where the time went, for benchmarks: the scoring pass, and storing the scores and changes.
  double scan_seconds = 0;
  double store_seconds = 0;
};

struct BandChange {
  std::string lead_id;
  std::string model;
  Timestamp as_of = 0;
  Timestamp recorded_at = 0;
  std::string old_band;  // empty for a lead scored for the first time after the first run
  std::string new_band;
  double old_score = 0;
  double new_score = 0;
};

struct StoredOutcome {
  Timestamp ts = 0;
  bool has_time = true;
  std::string result;
};

// Everything the store knows about one lead, in time order.
struct LeadHistory {
  Lead lead;
  std::vector<Event> events;
  std::vector<std::string> event_ids;  // the source id of each event, or "" (hash-keyed)
  std::vector<StoredOutcome> outcomes;
};

struct StoreCounts {
  std::uint64_t leads = 0, events = 0, outcomes = 0, scored = 0;
};

class Store {
 public:
  enum class Mode : std::uint8_t { read_only, read_write };

  // read_write creates the file when missing and brings an older layout up to date;
  // read_only refuses a missing file and never writes.
  static std::unique_ptr<Store> open(const std::filesystem::path& database, Mode mode);
  ~Store();

  int schema_version() const;
  StoreCounts counts();

  // Imports one CSV (by extension .csv, else by its first byte) or JSONL file in a single
  // transaction: a failure part way leaves the database as it was. Rows keyed as before are
  // left alone, so importing the same file twice changes nothing. The rejects files are
  // written and synced before the import commits: when they cannot be, nothing is imported.
  ImportReport import_file(ImportKind kind, const std::filesystem::path& file,
                           const Project& project, const ImportProgress& progress = {},
                           const ImportOptions& options = {});

  // Scores every lead (or only `lead_id`) as of `as_of` in one ordered pass over the events,
  // calls `each` per lead, then stores the scores under `model_name` and records band changes
  // against the previously stored score of the same model.
  ScoreRunReport score(const Model& model, const std::string& model_name, Timestamp as_of,
                       const std::optional<std::string>& lead_id,
                       const std::function<void(const LeadScoreLine&)>& each);

  // Band changes, newest first; filters are optional.
  std::vector<BandChange> changes(std::optional<Timestamp> since,
                                  const std::optional<std::string>& band,
                                  const std::optional<std::string>& model);

  std::optional<LeadHistory> lead(const std::string& lead_id);

  // Calls `each` with every lead's history in lead order, streaming (used by calibration).
  void for_each_lead(const std::function<void(const LeadHistory&)>& each);

  // The time of the latest event, or nothing when there are none.
  std::optional<Timestamp> latest_event_time();

  // The event types and attribute names found in the data, to check a model against it.
  std::vector<std::string> event_types();
  std::vector<std::string> attribute_names();

  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadscore
