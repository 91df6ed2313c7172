// The database layout, as a list of migrations. Version N is the layout after the first N
// steps; `PRAGMA user_version` holds it, and each step runs in the same transaction as the
// version bump, so a database is always at exactly one version. Never edit a released step:
// add a new one. engine/store/SCHEMA.md describes the tables.
#include "engine/store/migrations.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace leadscore::store {
namespace {

const char* const steps[] = {
    // 1: leads with attribute versions, events, outcomes, scores and band changes.
    R"sql(
CREATE TABLE names (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE event_types (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE leads (
  id         INTEGER PRIMARY KEY,
  key        TEXT NOT NULL UNIQUE,
  first_seen INTEGER
);
CREATE TABLE lead_versions (
  lead       INTEGER NOT NULL REFERENCES leads(id),
  valid_from INTEGER NOT NULL,
  attrs      BLOB NOT NULL,
  PRIMARY KEY (lead, valid_from)
) WITHOUT ROWID;
CREATE TABLE events (
  lead       INTEGER NOT NULL REFERENCES leads(id),
  ts         INTEGER NOT NULL,
  seq        INTEGER NOT NULL,
  type       INTEGER NOT NULL REFERENCES event_types(id),
  props      BLOB NOT NULL,
  source_key BLOB NOT NULL,
  PRIMARY KEY (lead, ts, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX events_by_source_key ON events(source_key);
CREATE TABLE outcomes (
  lead   INTEGER NOT NULL REFERENCES leads(id),
  ts     INTEGER NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (lead, ts, result)
) WITHOUT ROWID;
CREATE TABLE score_runs (
  id          INTEGER PRIMARY KEY,
  model       TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  as_of       INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  leads       INTEGER NOT NULL
);
CREATE TABLE scores (
  model TEXT NOT NULL,
  lead  INTEGER NOT NULL REFERENCES leads(id),
  run   INTEGER NOT NULL REFERENCES score_runs(id),
  score REAL NOT NULL,
  band  TEXT NOT NULL,
  PRIMARY KEY (model, lead)
) WITHOUT ROWID;
CREATE TABLE band_changes (
  id        INTEGER PRIMARY KEY,
  run       INTEGER NOT NULL REFERENCES score_runs(id),
  lead      INTEGER NOT NULL REFERENCES leads(id),
  old_band  TEXT,
  new_band  TEXT NOT NULL,
  old_score REAL,
  new_score REAL NOT NULL
);
CREATE INDEX band_changes_by_run ON band_changes(run);
CREATE TABLE imports (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  file        TEXT NOT NULL,
  finished_at INTEGER NOT NULL,
  rows        INTEGER NOT NULL,
  added       INTEGER NOT NULL,
  rejected    INTEGER NOT NULL
);
)sql",
    // 2: which runs scored a single lead (`score --lead`): only full runs set the baseline
    // against which a lead counts as new.
    R"sql(
ALTER TABLE score_runs ADD COLUMN one_lead TEXT;
)sql",
    // 3: scores keyed by one integer, model * 2^40 + lead, so that a run rewrites a lead's
    // row in place in a plain rowid table: about a fifth of the cost of the composite
    // (model text, lead) key of version 1. Model names are interned in `models`.
    R"sql(
CREATE TABLE models (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
INSERT INTO models(name) SELECT DISTINCT model FROM score_runs ORDER BY model;
CREATE TABLE scores_by_key (
  key   INTEGER PRIMARY KEY,
  model INTEGER NOT NULL REFERENCES models(id),
  lead  INTEGER NOT NULL REFERENCES leads(id),
  run   INTEGER NOT NULL REFERENCES score_runs(id),
  score REAL NOT NULL,
  band  TEXT NOT NULL,
  CHECK (lead BETWEEN 1 AND 1099511627775 AND key = model * 1099511627776 + lead)
);
INSERT INTO scores_by_key(key, model, lead, run, score, band)
  SELECT m.id * 1099511627776 + s.lead, m.id, s.lead, s.run, s.score, s.band
  FROM scores s JOIN models m ON m.name = s.model ORDER BY 1;
DROP TABLE scores;
ALTER TABLE scores_by_key RENAME TO scores;
)sql",
};

struct Column {
  std::string name, type;
  std::int64_t not_null = 0, key = 0;
  bool operator==(const Column&) const = default;
};

struct Layout {
  std::vector<std::pair<std::string, std::vector<Column>>> tables;  // by name
  std::vector<std::string> indexes;
};

// The tables with their columns and the index names of `db`, SQLite's own objects left out.
Layout read_layout(Database& db) {
  Layout layout;
  Statement objects = db.prepare(
      "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index') "
      "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
  Statement columns =
      db.prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid");
  while (objects.step()) {
    std::string name(objects.text(1));
    if (objects.text(0) == "index") {
      layout.indexes.push_back(std::move(name));
      continue;
    }
    std::vector<Column> list;
    columns.bind(1, name);
    while (columns.step()) {
      list.push_back({std::string(columns.text(0)), std::string(columns.text(1)),
                      columns.integer(2), columns.integer(3)});
    }
    columns.reset();
    layout.tables.emplace_back(std::move(name), std::move(list));
  }
  return layout;
}

const Layout& expected_layout() {
  static const Layout layout = [] {
    Database memory(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY);
    for (const char* step : steps) memory.exec(step);
    return read_layout(memory);
  }();
  return layout;
}

}  // namespace

void check_layout(Database& db, const std::string& path) {
  const Layout actual = read_layout(db);
  const std::string version = std::to_string(latest_version());
  auto damaged = [&](const std::string& what) {
    throw StoreError("damaged database " + path + ": " + what + " (layout version " + version +
                     " has it; the file was damaged or changed by hand)");
  };
  for (const auto& expected : expected_layout().tables) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in the lambda.
    const std::string& table = expected.first;
    const auto& columns = expected.second;
    auto found = std::find_if(actual.tables.begin(), actual.tables.end(),
                              [&](const auto& t) { return t.first == table; });
    if (found == actual.tables.end()) damaged("table `" + table + "` is missing");
    for (const Column& column : columns) {
      if (std::find(found->second.begin(), found->second.end(), column) == found->second.end()) {
        damaged("table `" + table + "` lacks the column `" + column.name + " " + column.type +
                (column.not_null ? " NOT NULL" : "") + "`");
      }
    }
  }
  for (const std::string& index : expected_layout().indexes) {
    if (std::find(actual.indexes.begin(), actual.indexes.end(), index) == actual.indexes.end()) {
      damaged("the index `" + index + "` is missing");
    }
  }
}

const char* migration_step(int index) {
  return index >= 0 && index < latest_version() ? steps[index] : nullptr;
}

int latest_version() {
  return int(std::size(steps));
}

int current_version(Database& db) {
  Statement s = db.prepare("PRAGMA user_version");
  s.step();
  return int(s.integer(0));
}

void check_known_version(int version, const std::string& path) {
  const std::string known = std::to_string(latest_version());
  if (version > latest_version()) {
    throw StoreError(path + ": the database has layout version " + std::to_string(version) +
                     ", newer than this leadscore knows (" + known + "); use a newer leadscore");
  }
  if (version < 0) {
    throw StoreError(path + ": the database has layout version " + std::to_string(version) +
                     ", which no leadscore writes (this one knows 0 to " + known +
                     "); the file is damaged or not a leadscore database");
  }
}

void migrate(Database& db, const std::string& path) {
  Transaction tx(db, true);
  // Read again under the write lock: another process may have migrated (or replaced) the file
  // since the caller looked, and the version is about to index `steps`.
  const int version = current_version(db);
  check_known_version(version, path);
  if (version == latest_version()) return;
  for (int v = version; v < latest_version(); ++v) db.exec(steps[v]);
  std::string bump = "PRAGMA user_version = " + std::to_string(latest_version());
  db.exec(bump.c_str());  // a number we format ourselves, not user text
  tx.commit();
}

}  // namespace leadscore::store
