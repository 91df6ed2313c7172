// `leadscore import`: one file, one transaction. Each row either changes the database, is
// found already there (a repeated import), or is rejected with its line and reason and copied
// to the rejects file; a fatal error rolls the whole file back.
#include <algorithm>
#include <cstring>

#include "engine/store/codec.hpp"
#include "engine/store/rejects.hpp"
#include "engine/store/row_source.hpp"
#include "engine/store/store_impl.hpp"
#include "engine/text.hpp"

namespace leadscore {
namespace {

using store::RowCell;
using Fields = std::vector<std::pair<std::string, std::string>>;  // name -> column

constexpr std::size_t rejects_shown = 20;

const char* kind_name(ImportKind kind) {
  switch (kind) {
    case ImportKind::leads:
      return "leads";
    case ImportKind::events:
      return "events";
    default:
      return "outcomes";
  }
}

// A 128-bit digest of an event's content (two FNV-1a passes, forwards and backwards), its
// key when the source gives no id: the same row imported twice gets the same key. Identical
// rows of one file are told apart by their occurrence (see Importer::event_key).
std::string content_key(std::string_view content) {
  std::uint64_t forward = 0xcbf29ce484222325ull, backward = 0x84222325cbf29ce4ull;
  for (unsigned char c : content) forward = (forward ^ c) * 0x100000001b3ull;
  for (auto it = content.rbegin(); it != content.rend(); ++it)
    backward = (backward ^ std::uint8_t(*it)) * 0x100000001b3ull;
  std::string key = "h";
  for (std::uint64_t v : {forward, backward}) {
    for (int i = 0; i < 8; ++i) key.push_back(char(std::uint8_t(v >> (8 * i))));
  }
  return key;
}

// How often each id-less content occurred so far in the file being imported, beyond the
// contents counted in memory (ImportOptions::occurrences_in_memory): a TEMP table, which
// SQLite spills to disk, so a file of millions of id-less events stays within bounded
// memory. It is emptied at the start of each file. (An upsert with RETURNING would be one
// statement, but costs several times a lookup and an insert: SQLite buffers the returned
// row in a fresh ephemeral table each time.)
store::Statement prepare_occurrences(store::Database& db) {
  db.exec(
      "CREATE TEMP TABLE IF NOT EXISTS import_occurrences(digest BLOB PRIMARY KEY, "
      "n INTEGER NOT NULL) WITHOUT ROWID");
  return db.prepare("SELECT n FROM temp.import_occurrences WHERE digest = ?1");
}

// The 128 bits of a content key, as a hash-map key.
struct Digest {
  std::uint64_t low = 0, high = 0;
  bool operator==(const Digest&) const = default;
};
struct DigestHash {
  std::size_t operator()(const Digest& d) const { return std::size_t(d.low ^ (d.high >> 1)); }
};

ValueType declared(const std::map<std::string, ValueType>* types, const std::string& name) {
  if (!types) return ValueType::any;
  auto it = types->find(name);
  return it == types->end() ? ValueType::any : it->second;
}

// The columns that key a row of this kind.
std::vector<std::string> key_columns(const Project& project, ImportKind kind, bool json) {
  if (kind == ImportKind::leads) return {json ? "id" : project.leads.id};
  if (kind == ImportKind::events) {
    const EventColumns& map = project.events;
    return {json ? "id" : map.id, json ? "lead_id" : map.lead_id, json ? "type" : map.type};
  }
  const OutcomeColumns& map = project.outcomes;
  return {json ? "lead_id" : map.lead_id, json ? "result" : map.result};
}

class Importer {
 public:
  Importer(Store::Impl& store, const Project& project, ImportKind kind,
           const std::filesystem::path& file, const ImportOptions& options)
      : occurrences_in_memory_(options.occurrences_in_memory),
        db_(store.db),
        store_(store),
        project_(project),
        kind_(kind),
        file_(file),
        rows_(store::open_rows(file)),
        rejects_(options.rejects_dir.empty() ? store.path.parent_path() / "rejects"
                                             : options.rejects_dir,
                 !options.rejects_dir.empty(), file, kind_name(kind), *rows_),
        find_lead_(db_.prepare("SELECT id FROM leads WHERE key = ?1")),
        add_lead_(db_.prepare("INSERT OR IGNORE INTO leads(key, first_seen) VALUES (?1, ?2)")),
        first_seen_(db_.prepare("UPDATE leads SET first_seen = ?2 WHERE id = ?1 AND "
                                "(first_seen IS NULL OR first_seen > ?2)")),
        same_version_(db_.prepare(
            "SELECT attrs = ?3 FROM lead_versions WHERE lead = ?1 AND valid_from = ?2")),
        put_version_(db_.prepare(
            "INSERT OR REPLACE INTO lead_versions(lead, valid_from, attrs) VALUES (?1, ?2, ?3)")),
        put_event_(db_.prepare("INSERT OR IGNORE INTO events(lead, ts, seq, type, props, "
                               "source_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")),
        put_outcome_(
            db_.prepare("INSERT OR IGNORE INTO outcomes(lead, ts, result) VALUES (?1, ?2, ?3)")),
        find_event_(db_.prepare("SELECT e.lead, l.key, e.ts, e.seq FROM events e JOIN leads l "
                                "ON l.id = e.lead WHERE e.source_key = ?1")),
        count_occurrence_(prepare_occurrences(db_)),
        put_occurrence_(db_.prepare(
            "INSERT OR REPLACE INTO temp.import_occurrences(digest, n) VALUES (?1, ?2)")),
        key_columns_(key_columns(project, kind, !rows_->is_csv())) {}

  ImportReport run(const ImportProgress& progress);

 private:
  void plan_columns();
  void require_column(const std::string& column, const char* role);
  // Each returns the reason a row is rejected, or nothing; `changed` says whether it wrote.
  std::optional<std::string> lead_row(bool& changed);
  std::optional<std::string> event_row(bool& changed);
  std::optional<std::string> outcome_row(bool& changed);
  std::optional<std::int64_t> existing_lead(const std::string& key);
  std::optional<std::string> nul_in_keys() const;
  std::string event_key(const std::string& lead_key, std::int64_t ts, const std::string& type,
                        const std::string& props);
  std::optional<std::string> id_clash(const std::string& id, std::int64_t lead);
  std::optional<std::string> encode(const Fields& fields, const std::map<std::string, ValueType>*,
                                    bool nested);

  std::int64_t occurrence(const std::string& key);

  std::size_t occurrences_in_memory_;
  std::unordered_map<Digest, std::uint32_t, DigestHash> occurrences_;
  store::Database& db_;
  Store::Impl& store_;
  const Project& project_;
  ImportKind kind_;
  std::filesystem::path file_;
  std::unique_ptr<store::RowSource> rows_;
  store::RejectWriter rejects_;
  Fields attributes_, properties_;
  std::unordered_map<std::string, std::int64_t> lead_ids_;
  store::RecordWriter record_;
  std::vector<std::pair<std::uint32_t, Value>> values_;
  // Events of this file get `seq` = first_seq_ + their line: import order for equal times,
  // and the line an id clash names, without keeping a table of lines.
  std::int64_t first_seq_ = 0;
  // Prepared once per file: a statement compiled per row would cost more than the row.
  store::Statement find_lead_, add_lead_, first_seen_, same_version_, put_version_, put_event_,
      put_outcome_, find_event_, count_occurrence_, put_occurrence_;
  std::vector<std::string> key_columns_;
};

void Importer::require_column(const std::string& column, const char* role) {
  if (!rows_->is_csv() || column.empty()) return;
  auto names = rows_->columns();
  if (std::find(names.begin(), names.end(), column) != names.end()) return;
  std::string hint;
  if (auto near = text::closest_name(column, names)) hint = " (did you mean `" + *near + "`?)";
  throw StoreError(file_.string() + ":1: no column `" + column + "` for " + role + hint +
                   "; set the column names under `import." + kind_name(kind_) +
                   "` in the project file");
}

// Which columns feed attributes or properties. Without a mapping, every column that is not a
// key column is used under its own name (with a schema, only declared names).
void Importer::plan_columns() {
  const Schema* schema = project_.schema ? &*project_.schema : nullptr;
  if (kind_ == ImportKind::leads) {
    require_column(project_.leads.id, "the lead id (`id`)");
    require_column(project_.leads.at, "the version start (`at`)");
    for (const auto& [attr, column] : project_.leads.attributes) {
      require_column(column, ("attribute `" + attr + "`").c_str());
      if (schema && !schema->attributes.empty() && !schema->attributes.count(attr)) {
        throw StoreError(project_.file.string() + ": attribute `" + attr +
                         "` is mapped for import but not declared in the schema");
      }
    }
    attributes_ = project_.leads.attributes;
  } else if (kind_ == ImportKind::events) {
    require_column(project_.events.id, "the event id (`id`)");
    require_column(project_.events.lead_id, "the lead id (`lead_id`)");
    require_column(project_.events.ts, "the event time (`ts`)");
    require_column(project_.events.type, "the event type (`type`)");
    for (const auto& [prop, column] : project_.events.properties) {
      require_column(column, ("property `" + prop + "`").c_str());
    }
    properties_ = project_.events.properties;
  } else {
    require_column(project_.outcomes.lead_id, "the lead id (`lead_id`)");
    require_column(project_.outcomes.ts, "the outcome time (`ts`)");
    require_column(project_.outcomes.result, "the result (`result`)");
  }
}

std::optional<std::int64_t> Importer::existing_lead(const std::string& key) {
  if (auto it = lead_ids_.find(key); it != lead_ids_.end()) return it->second;
  find_lead_.bind(1, key);
  bool found = find_lead_.step();
  std::int64_t id = found ? find_lead_.integer(0) : 0;
  find_lead_.reset();
  if (!found) return std::nullopt;
  if (lead_ids_.size() > 1'000'000) lead_ids_.clear();  // bounded memory on huge files
  lead_ids_.emplace(key, id);
  return id;
}

// Encodes the row's values in name-id order (so equal content gives equal bytes).
std::optional<std::string> Importer::encode(const Fields& fields,
                                            const std::map<std::string, ValueType>* types,
                                            bool nested) {
  values_.clear();
  for (const auto& [name, column] : fields) {
    RowCell cell = nested ? rows_->nested("attrs", column) : rows_->cell(column);
    if (!cell.present()) continue;
    auto converted = store::convert(cell, declared(types, name));
    if (auto* why = std::get_if<std::string>(&converted)) return "`" + name + "`: " + *why;
    values_.emplace_back(store_.name_id(name), std::get<Value>(std::move(converted)));
  }
  std::sort(values_.begin(), values_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  record_.clear();
  for (const auto& [id, value] : values_) record_.add(id, value);
  return std::nullopt;
}

// The cells that key a row (ids, the event type, the result): a NUL in one would be cut off
// by any tool that reads the text as a C string, making two ids look equal.
std::optional<std::string> Importer::nul_in_keys() const {
  for (const auto& column : key_columns_) {
    if (column.empty()) continue;
    RowCell cell = rows_->cell(column);
    const std::string* text = cell.text;
    if (cell.json && cell.json->is_string()) text = &cell.json->get_ref<const std::string&>();
    if (text && text->find('\0') != std::string::npos) {
      return "`" + column + "`: the value contains a NUL character";
    }
  }
  return std::nullopt;
}

std::optional<std::string> Importer::lead_row(bool& changed) {
  bool json = !rows_->is_csv();
  if (json) {
    RowCell attrs = rows_->cell("attrs");
    if (attrs.json && !attrs.json->is_object() && !attrs.json->is_null()) {
      return "`attrs` must be an object of attributes (here it is a " +
             std::string(attrs.json->type_name()) + ")";
    }
  }
  auto key = store::key_text(rows_->cell(project_.leads.id));
  if (!key) return "no lead id in column `" + project_.leads.id + "`";
  std::int64_t valid_from = no_time;
  std::string at_column = json ? "at" : project_.leads.at;
  if (!at_column.empty()) {
    RowCell at = rows_->cell(at_column);
    if (auto text = store::key_text(at)) {
      auto t = store::parse_import_time(*text);
      if (!t) return "`" + at_column + "`: `" + *text + "` is not a date or time";
      valid_from = *t;
    }
  }
  const Schema* schema = project_.schema ? &*project_.schema : nullptr;
  const auto* types = schema && !schema->attributes.empty() ? &schema->attributes : nullptr;
  Fields fields = attributes_;
  if (fields.empty()) {
    for (const auto& c : json ? rows_->nested_keys("attrs") : rows_->columns()) {
      if (!json && (c == project_.leads.id || c == project_.leads.at)) continue;
      if (types && !types->count(c)) continue;
      fields.emplace_back(c, c);
    }
  }
  if (auto why = encode(fields, types, json)) return why;

  add_lead_.bind(1, *key);
  if (valid_from != no_time) add_lead_.bind(2, valid_from);
  add_lead_.run();
  std::int64_t id = *existing_lead(*key);
  if (valid_from != no_time) first_seen_.bind(1, id).bind(2, valid_from).run();
  same_version_.bind(1, id).bind(2, valid_from).bind_blob(3, record_.finish());
  bool same = same_version_.step() && same_version_.integer(0) == 1;
  same_version_.reset();
  if (same) return std::nullopt;
  put_version_.bind(1, id).bind(2, valid_from).bind_blob(3, record_.finish()).run();
  changed = true;
  return std::nullopt;
}

std::optional<std::string> Importer::event_row(bool& changed) {
  bool json = !rows_->is_csv();
  const EventColumns& map = project_.events;
  auto lead_key = store::key_text(rows_->cell(json ? "lead_id" : map.lead_id));
  if (!lead_key) return "no lead id in column `" + (json ? "lead_id" : map.lead_id) + "`";
  auto lead = existing_lead(*lead_key);
  if (!lead) return "no lead `" + *lead_key + "` in the database (import leads first)";
  std::string ts_column = json ? "ts" : map.ts;
  auto ts_text = store::key_text(rows_->cell(ts_column));
  if (!ts_text) return "no time in column `" + ts_column + "`";
  auto ts = store::parse_import_time(*ts_text);
  if (!ts) return "`" + ts_column + "`: `" + *ts_text + "` is not a date or time";
  auto source_type = store::key_text(rows_->cell(json ? "type" : map.type));
  if (!source_type) return "no event type in column `" + (json ? "type" : map.type) + "`";
  std::string type = *source_type;
  if (auto it = map.types.find(type); it != map.types.end()) type = it->second;

  const std::map<std::string, ValueType>* types = nullptr;
  const Schema* schema = project_.schema ? &*project_.schema : nullptr;
  if (schema && !schema->events.empty()) {
    auto it = schema->events.find(type);
    if (it == schema->events.end()) {
      std::string known;
      for (const auto& [name, props] : schema->events) known += (known.empty() ? "" : ", ") + name;
      return "unknown event type `" + type + "` (the schema declares " + known + ")";
    }
    types = &it->second;
  }
  Fields fields;
  std::string id_column = json ? "id" : map.id;
  if (properties_.empty() || json) {
    for (const auto& c : rows_->columns()) {
      if (c == id_column || c == (json ? "lead_id" : map.lead_id) || c == ts_column ||
          c == (json ? "type" : map.type))
        continue;
      if (!types || types->count(c)) fields.emplace_back(c, c);
    }
  } else {
    for (const auto& f : properties_) {
      if (!types || types->count(f.first)) fields.push_back(f);
    }
  }
  if (auto why = encode(fields, types, false)) return why;
  const std::string& props = record_.finish();

  auto id = id_column.empty() ? std::nullopt : store::key_text(rows_->cell(id_column));
  std::string source_key = id ? "i" + *id : event_key(*lead_key, *ts, type, props);
  std::uint32_t type_id = store_.event_type_id(type);
  put_event_.bind(1, *lead).bind(2, std::int64_t(*ts));
  put_event_.bind(3, first_seq_ + std::int64_t(rows_->line()));
  put_event_.bind(4, std::int64_t(type_id)).bind_blob(5, props).bind_blob(6, source_key).run();
  changed = db_.changes() > 0;
  if (!changed && id) return id_clash(source_key, *lead);
  return std::nullopt;
}

// The key of an id-less event: the digest of its content, and for the second and later of
// identical rows in one file, `#N` after it (N = the occurrence). A date-only export can hold
// the same lead, day and type three times: those are three events. Re-importing the file, or
// a later export that holds the same rows, counts them the same way and adds nothing. The
// first occurrence keeps the bare digest, the key of earlier versions, so existing databases
// need no migration.
std::string Importer::event_key(const std::string& lead_key, std::int64_t ts,
                                const std::string& type, const std::string& props) {
  std::string content = lead_key + '\0' + std::to_string(ts) + '\0' + type + '\0' + props;
  std::string key = content_key(content);
  std::int64_t n = occurrence(key);
  if (n > 1) key += "#" + std::to_string(n);
  return key;
}

// A content is counted in exactly one place: in memory when it was first seen while there was
// room, else in the TEMP table.
std::int64_t Importer::occurrence(const std::string& key) {
  Digest digest;
  std::memcpy(&digest.low, key.data() + 1, 8);
  std::memcpy(&digest.high, key.data() + 9, 8);
  if (auto it = occurrences_.find(digest); it != occurrences_.end()) return ++it->second;
  if (occurrences_.size() < occurrences_in_memory_) {
    occurrences_.emplace(digest, 1);
    return 1;
  }
  count_occurrence_.bind_blob(1, key);
  std::int64_t n = count_occurrence_.step() ? count_occurrence_.integer(0) + 1 : 1;
  count_occurrence_.reset();
  put_occurrence_.bind_blob(1, key).bind(2, n).run();
  return n;
}

// An id already in the database: the same event again (nothing to do) when it belongs to the
// same lead; otherwise two leads claim one id, and which is right only the user can tell.
std::optional<std::string> Importer::id_clash(const std::string& source_key, std::int64_t lead) {
  find_event_.bind_blob(1, source_key);
  if (!find_event_.step()) {
    find_event_.reset();
    return std::nullopt;
  }
  std::int64_t other_lead = find_event_.integer(0);
  std::string other_key(find_event_.text(1));
  std::int64_t other_ts = find_event_.integer(2), other_seq = find_event_.integer(3);
  find_event_.reset();
  if (other_lead == lead) return std::nullopt;
  std::string where = other_seq >= first_seq_
                          ? file_.string() + ":" + std::to_string(other_seq - first_seq_)
                          : "an earlier import";
  return "the event id `" + source_key.substr(1) + "` is already used by lead `" + other_key +
         "`'s event at " + format_timestamp(other_ts) + " (" + where + ")";
}

std::optional<std::string> Importer::outcome_row(bool& changed) {
  bool json = !rows_->is_csv();
  const OutcomeColumns& map = project_.outcomes;
  std::string lead_column = json ? "lead_id" : map.lead_id;
  auto lead_key = store::key_text(rows_->cell(lead_column));
  if (!lead_key) return "no lead id in column `" + lead_column + "`";
  auto lead = existing_lead(*lead_key);
  if (!lead) return "no lead `" + *lead_key + "` in the database (import leads first)";
  std::int64_t ts = no_time;
  std::string ts_column = json ? "ts" : map.ts;
  if (!ts_column.empty()) {
    auto text = store::key_text(rows_->cell(ts_column));
    if (text) {
      auto t = store::parse_import_time(*text);
      if (!t) return "`" + ts_column + "`: `" + *text + "` is not a date or time";
      ts = *t;
    } else if (!json) {
      return "no time in column `" + ts_column + "`";
    }
  }
  std::string result_column = json ? "result" : map.result;
  auto result = store::key_text(rows_->cell(result_column));
  if (!result) return "no result in column `" + result_column + "`";
  put_outcome_.bind(1, *lead).bind(2, ts).bind(3, *result).run();
  changed = db_.changes() > 0;
  return std::nullopt;
}

ImportReport Importer::run(const ImportProgress& progress) {
  ImportReport report;
  std::error_code ec;
  std::uint64_t total = std::filesystem::file_size(file_, ec);
  store::Transaction tx(db_, true);
  plan_columns();
  {
    store::Statement seq = db_.prepare("SELECT coalesce(max(seq), 0) + 1 FROM events");
    seq.step();
    first_seq_ = seq.integer(0);
  }
  db_.exec("DELETE FROM temp.import_occurrences");
  while (rows_->next()) {
    ++report.rows;
    std::optional<std::string> why = rows_->problem();
    if (!why) why = nul_in_keys();
    bool changed = false;
    if (!why) {
      switch (kind_) {
        case ImportKind::leads:
          why = lead_row(changed);
          break;
        case ImportKind::events:
          why = event_row(changed);
          break;
        case ImportKind::outcomes:
          why = outcome_row(changed);
          break;
      }
    }
    if (why) {
      ++report.rejected;
      if (report.first_rejects.size() < rejects_shown)
        report.first_rejects.push_back({rows_->line(), *why});
      rejects_.add(rows_->line(), rows_->raw(), *why);
    } else if (changed) {
      ++report.added;
    } else {
      ++report.unchanged;
    }
    if (progress && report.rows % 16384 == 0) progress(rows_->bytes_consumed(), total);
  }
  store::Statement log = db_.prepare(
      "INSERT INTO imports(kind, file, finished_at, rows, added, rejected) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  log.bind(1, std::string_view(kind_name(kind_))).bind(2, file_.string()).bind(3, now_ms());
  log.bind(4, std::int64_t(report.rows)).bind(5, std::int64_t(report.added));
  log.bind(6, std::int64_t(report.rejected)).run();
  // The rejects first: if they cannot be written, the import must not count as done.
  rejects_.finish();
  try {
    tx.commit();
  } catch (...) {
    rejects_.discard();
    throw;
  }
  report.rejects_file = rejects_.rows_path();
  report.reasons_file = rejects_.reasons_path();
  if (progress) progress(total, total);
  return report;
}

}  // namespace

ImportReport Store::import_file(ImportKind kind, const std::filesystem::path& file,
                                const Project& project, const ImportProgress& progress,
                                const ImportOptions& options) {
  if (impl_->mode != Mode::read_write) throw StoreError("the store is open read-only");
  try {
    Importer importer(*impl_, project, kind, file, options);
    return importer.run(progress);
  } catch (const engine::CsvError& e) {
    impl_->forget_interned();
    throw StoreError(file.string() + ":" + std::to_string(e.line()) + ": " + e.message() +
                     "; nothing from this file was imported");
  } catch (...) {
    impl_->forget_interned();  // the transaction rolled back the names it added
    throw;
  }
}

}  // namespace leadscore
