#include "engine/store/sqlite.hpp"

namespace leadscore::store {

namespace {

bool is_damage(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

std::string describe(const std::string& path, int rc, const std::string& what,
                     const std::string& why) {
  if (is_damage(rc)) {
    return "damaged database " + path + ": " + why +
           " (restore it from a backup, or import the data again into a new file)";
  }
  return path + ": " + (what.empty() ? "" : what + ": ") + why;
}

}  // namespace

Database::Database(const std::string& path, int flags) : Database(path, path, flags) {}

Database::Database(const std::string& path, const std::string& name, int flags) : path_(path) {
  int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(describe(path, rc, "cannot open the database", why));
  }
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
  sqlite3_close_v2(db_);
}

void Database::fail(const std::string& what) const {
  fail(sqlite3_extended_errcode(db_), what, sqlite3_errmsg(db_));
}

void Database::fail(int rc, const std::string& what, const std::string& why) const {
  throw StoreError(describe(path_, rc, what, why));
}

void Database::exec(const char* sql) {
  char* message = nullptr;
  if (int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message); rc != SQLITE_OK) {
    std::string why = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    fail(sqlite3_extended_errcode(db_), "", why);
  }
}

void Database::exec_quietly(const char* sql) noexcept {
  sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
}

Statement Database::prepare(const char* sql) {
  return Statement(*this, sql);
}

Statement::Statement(Database& db, const char* sql) : db_(&db) {
  if (sqlite3_prepare_v3(db.handle(), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) !=
      SQLITE_OK) {
    db.fail("cannot prepare a statement");
  }
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) db_->fail("bind");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) db_->fail("bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8) !=
      SQLITE_OK)
    db_->fail("bind");
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  if (sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT) != SQLITE_OK)
    db_->fail("bind");
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) db_->fail("bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // The message and extended code must be read before the reset, which may replace them.
  const int code = sqlite3_extended_errcode(db_->handle());
  std::string why = sqlite3_errmsg(db_->handle());
  sqlite3_reset(stmt_);
  db_->fail(code, "", why);
}

void Statement::run() {
  step();
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string_view Statement::text(int column) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string_view(p, std::size_t(sqlite3_column_bytes(stmt_, column)))
           : std::string_view();
}

std::string_view Statement::blob(int column) const {
  auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  return p ? std::string_view(p, std::size_t(sqlite3_column_bytes(stmt_, column)))
           : std::string_view();
}

Transaction::Transaction(Database& db, bool immediate) : db_(db) {
  db_.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (open_) db_.exec_quietly("ROLLBACK");
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace leadscore::store
