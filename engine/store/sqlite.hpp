// A thin RAII layer over the SQLite C API: a connection, prepared statements and a
// transaction guard. Every SQL text here is a constant written in the store's own sources;
// values from users only ever reach SQLite through bind(), never through the SQL text.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "leadscore/store.hpp"

namespace leadscore::store {

class Statement;

class Database {
 public:
  Database(const std::string& path, int flags);
  // Opens `name` (a file name, or a `file:` URI with SQLITE_OPEN_URI) and names `path` in
  // every message.
  Database(const std::string& path, const std::string& name, int flags);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const char* sql);
  // For destructors: runs `sql` and ignores a failure (there is no one left to tell).
  void exec_quietly(const char* sql) noexcept;
  Statement prepare(const char* sql);
  sqlite3* handle() const { return db_; }
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  [[noreturn]] void fail(const std::string& what) const;
  // Throws StoreError for result code `rc`, naming the file: a damaged file (SQLITE_CORRUPT,
  // SQLITE_NOTADB) as "damaged database FILE: why", anything else as "FILE: what: why".
  [[noreturn]] void fail(int rc, const std::string& what, const std::string& why) const;
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Statement {
 public:
  Statement(Database& db, const char* sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind_null(int index);
  // True while there is a row; false when done. Throws StoreError on failure.
  bool step();
  // Steps once, expecting no row (INSERT, UPDATE, ...), and resets for the next use.
  void run();
  void reset();

  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
  double real(int column) const { return sqlite3_column_double(stmt_, column); }
  // Valid until the next step or reset.
  std::string_view text(int column) const;
  std::string_view blob(int column) const;

 private:
  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN on construction; ROLLBACK unless commit() was called.
class Transaction {
 public:
  Transaction(Database& db, bool immediate);
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace leadscore::store
