// Opening the store and the small queries: counts, band changes, one lead's history.
#include <unistd.h>

#include <cctype>
#include <chrono>

#include "engine/store/codec.hpp"
#include "engine/store/migrations.hpp"
#include "engine/store/store_impl.hpp"

namespace leadscore {
namespace {

namespace fs = std::filesystem;

fs::path beside(const fs::path& file, const char* suffix) {
  return fs::path(file.string() + suffix);
}

bool writable(const fs::path& path) {
  return ::access(path.empty() ? "." : path.c_str(), W_OK) == 0;
}

// A WAL database is normally read through its write-ahead log and the log's shared index
// (FILE-wal, FILE-shm), which SQLite creates beside the file on first read. A reader that may
// not write the file or its folder cannot create them, or would leave files owned by itself
// that the owner's next write cannot use. When there is no log (no connection has the file
// open, and everything committed is in the file itself), such a reader opens the file as
// immutable instead: no log, no locks, nothing created. engine/store/SCHEMA.md has the caveat.
bool read_as_immutable(const fs::path& file, Store::Mode mode) {
  if (mode != Store::Mode::read_only) return false;
  std::error_code ec;
  if (fs::exists(beside(file, "-wal"), ec)) return false;
  return !writable(file) || !writable(file.parent_path());
}

int open_flags(const fs::path& file, Store::Mode mode) {
  int flags = SQLITE_OPEN_NOMUTEX;
  if (read_as_immutable(file, mode)) return flags | SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
  if (mode == Store::Mode::read_only) return flags | SQLITE_OPEN_READONLY;
  return flags | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
}

// What SQLite is asked to open: the path, or for an immutable read a `file:` URI with the
// path percent-encoded (so `?`, `#` and `%` in it stay part of the name).
std::string open_name(const fs::path& file, Store::Mode mode) {
  if (!read_as_immutable(file, mode)) return file.string();
  std::string uri = "file:";
  for (unsigned char c : file.string()) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '_' || c == '-' || c == '~') {
      uri += char(c);
    } else {
      static const char hex[] = "0123456789ABCDEF";
      uri += '%';
      uri += hex[c >> 4];
      uri += hex[c & 15];
    }
  }
  return uri + "?immutable=1";
}

std::string checked_path(const std::filesystem::path& file, Store::Mode mode) {
  std::error_code ec;
  if (mode == Store::Mode::read_only && !std::filesystem::exists(file, ec)) {
    throw StoreError(file.string() +
                     ": no database here yet; import leads or events first "
                     "(`leadscore import leads FILE`)");
  }
  if (std::filesystem::is_directory(file, ec)) {
    throw StoreError(file.string() + ": is a directory, not a database file");
  }
  return file.string();
}

// The layout version: the first read, where a reader finds out whether it can read at all.
int first_read(store::Database& db, const fs::path& file, Store::Mode mode) {
  try {
    return store::current_version(db);
  } catch (const StoreError& e) {
    std::error_code ec;
    if (mode != Store::Mode::read_only || !fs::exists(beside(file, "-wal"), ec)) throw;
    // A log left beside the file (a writer is running, or one was killed) must be read with
    // its shared index; SQLite creates the index when the folder lets it.
    throw StoreError(std::string(e.what()) + " (" + beside(file, "-wal").string() +
                     " is there, and this user cannot create or open " +
                     beside(file, "-shm").string() +
                     " to read it; run a leadscore command as the file's owner, which tidies "
                     "both away, or make the folder writable)");
  }
}

}  // namespace

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Store::Impl::Impl(const std::filesystem::path& file, Mode m)
    : path(file), mode(m), db(checked_path(file, m), open_name(file, m), open_flags(file, m)) {
  // A writer holds the lock for one file's import; readers and other writers wait this long.
  sqlite3_busy_timeout(db.handle(), 60'000);
  db.exec("PRAGMA foreign_keys = ON");
  // SQLite opens a file it may not write read-only without a word; say so before reading
  // anything (a WAL reader would fail first, less clearly, where it cannot create its files).
  if (mode == Mode::read_write && sqlite3_db_readonly(db.handle(), "main") == 1) {
    throw StoreError(path.string() + ": the database file is read-only (check its permissions)");
  }
  // Look before touching: a file from a newer leadscore, or another program's database, must
  // come out of this exactly as it went in, so nothing below writes until these checks pass.
  const std::string name = path.string();
  const int version = first_read(db, path, mode);
  store::check_known_version(version, name);
  if (version == 0) {
    store::Statement s = db.prepare("SELECT count(*) FROM sqlite_master");
    s.step();
    if (s.integer(0) != 0) throw StoreError(name + ": not a leadscore database");
    if (mode == Mode::read_only) {
      throw StoreError(name + ": the database is empty; import data first");
    }
  }
  if (mode == Mode::read_only && version != store::latest_version()) {
    throw StoreError(name + ": the database has layout version " + std::to_string(version) +
                     ", this leadscore reads " + std::to_string(store::latest_version()) +
                     "; run an import (or any writing command) to migrate it");
  }
  if (mode == Mode::read_write) {
    // Larger pages than SQLite's default 4 KiB: the scoring pass reads the events table front
    // to back, and a quarter of the page reads makes it markedly faster. Only takes effect
    // on a new, empty file.
    if (version == 0) db.exec("PRAGMA page_size = 16384");
    // WAL lets `score` read while an import writes. NORMAL sync in WAL mode survives a crash of
    // the process (the case that matters for a killed import); only power loss may drop the
    // last commit.
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
  }
  db.exec("PRAGMA cache_size = -32768");  // 32 MiB of page cache
  // Only an out-of-date file takes the write lock here, so `score` does not queue behind an
  // import just to learn that the layout is current.
  if (mode == Mode::read_write && version < store::latest_version()) {
    store::migrate(db, name);
  }
  // A file whose tables were lost or altered would otherwise fail part way through a command,
  // or worse, quietly read nothing: refuse it here, before any command starts.
  store::check_layout(db, name);
}

void Store::Impl::damaged(const std::string& what) const {
  throw StoreError("damaged database " + path.string() + ": " + what);
}

std::int64_t Store::Impl::bad_time(std::int64_t t, const std::string& what) const {
  damaged(what + " has the time " + std::to_string(t) +
          " (ms), outside the range the store supports (-2^53 to 2^53 ms around 1970)");
}

void Store::Impl::forget_interned() {
  names_.clear();
  types_.clear();
}

std::uint32_t Store::Impl::intern(std::unordered_map<std::string, std::uint32_t>& cache,
                                  const char* select, const char* insert, std::string_view name) {
  std::string key(name);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  store::Statement find = db.prepare(select);
  find.bind(1, name);
  std::int64_t id;
  if (find.step()) {
    id = find.integer(0);
  } else {
    store::Statement add = db.prepare(insert);
    add.bind(1, name).run();
    id = db.last_insert_rowid();
  }
  // Value records hold 32-bit name ids: a larger one (a hand-edited table) would be written
  // truncated, as another name's.
  if (id < 1 || id > std::int64_t(UINT32_MAX)) {
    damaged("the name `" + key + "` has the id " + std::to_string(id) + ", outside 1 to 2^32-1");
  }
  cache.emplace(std::move(key), std::uint32_t(id));
  return std::uint32_t(id);
}

std::uint32_t Store::Impl::name_id(std::string_view name) {
  return intern(names_, "SELECT id FROM names WHERE name = ?1",
                "INSERT INTO names(name) VALUES (?1)", name);
}

std::uint32_t Store::Impl::event_type_id(std::string_view name) {
  return intern(types_, "SELECT id FROM event_types WHERE name = ?1",
                "INSERT INTO event_types(name) VALUES (?1)", name);
}

namespace {
// Every row's text at its id. The table is sized by the largest id, so ids are first held to
// 1 .. rows + id_slack: a hand-edited id of 10^8 would otherwise cost gigabytes here and in
// the tables the scoring pass builds by id.
std::vector<std::string> by_id(Store::Impl& store, const char* bounds_sql, const char* sql,
                               const char* table) {
  store::Statement bounds = store.db.prepare(bounds_sql);
  bounds.step();
  const std::int64_t rows = bounds.integer(0), low = bounds.integer(1), high = bounds.integer(2);
  if (rows > 0 && (low < 1 || high > rows + id_slack)) {
    store.damaged("the table `" + std::string(table) + "` has ids from " + std::to_string(low) +
                  " to " + std::to_string(high) + " for " + std::to_string(rows) +
                  " rows; leadscore numbers them 1, 2, 3, ... (was it edited by hand?)");
  }
  std::vector<std::string> out(std::size_t(rows > 0 ? high + 1 : 0));
  store::Statement s = store.db.prepare(sql);
  while (s.step()) out[std::size_t(s.integer(0))] = std::string(s.text(1));
  return out;
}
}  // namespace

std::vector<std::string> Store::Impl::all_names() {
  return by_id(*this, "SELECT count(*), min(id), max(id) FROM names", "SELECT id, name FROM names",
               "names");
}

std::vector<std::string> Store::Impl::all_event_types() {
  return by_id(*this, "SELECT count(*), min(id), max(id) FROM event_types",
               "SELECT id, name FROM event_types", "event_types");
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

std::unique_ptr<Store> Store::open(const std::filesystem::path& database, Mode mode) {
  // SQLite's memory statistics take a global mutex on every allocation, and nothing here reads
  // them. Only possible before SQLite initialises; afterwards the call is refused, harmlessly.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  return std::unique_ptr<Store>(new Store(std::make_unique<Impl>(database, mode)));
}

int Store::schema_version() const {
  return store::current_version(impl_->db);
}

StoreCounts Store::counts() {
  StoreCounts c;
  auto count = [&](const char* sql) {
    store::Statement s = impl_->db.prepare(sql);
    s.step();
    return std::uint64_t(s.integer(0));
  };
  c.leads = count("SELECT count(*) FROM leads");
  c.events = count("SELECT count(*) FROM events");
  c.outcomes = count("SELECT count(*) FROM outcomes");
  c.scored = count("SELECT count(*) FROM scores");
  return c;
}

std::vector<BandChange> Store::changes(std::optional<Timestamp> since,
                                       const std::optional<std::string>& band,
                                       const std::optional<std::string>& model) {
  store::Statement s = impl_->db.prepare(
      "SELECT l.key, r.model, r.as_of, r.recorded_at, c.old_band, c.new_band, c.old_score, "
      "c.new_score FROM band_changes c JOIN score_runs r ON r.id = c.run "
      "JOIN leads l ON l.id = c.lead "
      "WHERE (?1 IS NULL OR r.as_of >= ?1) AND (?2 IS NULL OR c.new_band = ?2) "
      "AND (?3 IS NULL OR r.model = ?3) ORDER BY c.id DESC");
  if (since) s.bind(1, std::int64_t(*since));
  if (band) s.bind(2, *band);
  if (model) s.bind(3, *model);
  std::vector<BandChange> out;
  while (s.step()) {
    BandChange c;
    c.lead_id = s.text(0);
    c.model = s.text(1);
    c.as_of = impl_->checked_time(s.integer(2), "a score run");
    c.recorded_at = impl_->checked_time(s.integer(3), "a score run");
    c.old_band = s.text(4);
    c.new_band = s.text(5);
    c.old_score = s.real(6);
    c.new_score = s.real(7);
    out.push_back(std::move(c));
  }
  return out;
}

std::optional<Timestamp> Store::latest_event_time() {
  // The events key starts with the lead, so this walks the table once without decoding any
  // row: still far cheaper than reading every history, and only calibration asks.
  store::Statement s = impl_->db.prepare("SELECT max(ts) FROM events");
  if (!s.step() || s.is_null(0)) return std::nullopt;
  return impl_->checked_time(s.integer(0), "the latest event");
}

std::vector<std::string> Store::event_types() {
  std::vector<std::string> out;
  for (auto& n : impl_->all_event_types()) {
    if (!n.empty()) out.push_back(std::move(n));
  }
  return out;
}

std::vector<std::string> Store::attribute_names() {
  // Names are shared by attributes and properties; keep those used by some lead version.
  std::vector<std::string> names = impl_->all_names();
  std::vector<bool> used(names.size(), false);
  store::Statement s = impl_->db.prepare("SELECT attrs FROM lead_versions");
  while (s.step()) {
    store::RecordReader r(s.blob(0));
    store::Field f;
    while (r.next(f)) {
      if (f.name_id < used.size()) used[f.name_id] = true;
    }
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (used[i]) out.push_back(names[i]);
  }
  return out;
}

}  // namespace leadscore
