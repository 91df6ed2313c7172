// `leadscore score`: one ordered pass over leads, attribute versions and events, each lead fed
// straight from SQLite's row buffers into the evaluator (no per-event allocation), then the
// scores stored and band changes recorded in one short write transaction.
#include <algorithm>
#include <chrono>
#include <limits>

#include "engine/evaluator.hpp"
#include "engine/model_impl.hpp"
#include "engine/store/codec.hpp"
#include "engine/store/migrations.hpp"
#include "engine/store/score_spool.hpp"
#include "engine/store/store_impl.hpp"
#include "engine/text.hpp"

namespace leadscore {
namespace {

using engine::Cell;

Cell to_cell(const store::Field& f) {
  switch (f.tag) {
    case store::Tag::number:
      return Cell::of_number(f.number);
    case store::Tag::string:
      return text::is_blank(f.text) ? Cell::missing() : Cell::of_string(f.text);
    case store::Tag::yes:
      return Cell::of_bool(true);
    case store::Tag::no:
      return Cell::of_bool(false);
    case store::Tag::timestamp:
      return Cell::of_timestamp(double(f.time));
  }
  return Cell::missing();
}

// Name ids of the database mapped onto the program's slots (-1: no rule reads the name).
std::vector<std::int32_t> slots_by_id(const std::vector<std::string>& names,
                                      const std::unordered_map<std::string, std::uint32_t>& slots) {
  std::vector<std::int32_t> out(names.size(), -1);
  for (std::size_t id = 0; id < names.size(); ++id) {
    if (auto it = slots.find(names[id]); it != slots.end()) out[id] = std::int32_t(it->second);
  }
  return out;
}

class ScoreRun {
 public:
  // `model_id` 0 means the model has never been scored: there are no previous scores.
  ScoreRun(Store::Impl& store, const engine::Program& program, Timestamp as_of,
           const std::optional<std::string>& lead_key, std::int64_t model_id)
      : store_(store), evaluator_(program), as_of_(as_of) {
    std::vector<std::string> names = store.all_names();
    attribute_slot_ = slots_by_id(names, program.attribute_slots);
    property_slot_ = slots_by_id(names, program.property_slots);
    std::vector<std::string> types = store.all_event_types();
    event_index_ = slots_by_id(types, program.event_ids);
    any_consumers_ = !program.any_event_consumers.empty();
    engine::Program::PropertyReaders readers = program.property_readers();
    decode_other_types_ = readers.other_types;
    decode_properties_.resize(types.size());
    for (std::size_t id = 0; id < types.size(); ++id) {
      decode_properties_[id] = event_index_[id] >= 0
                                   ? bool(readers.by_type[std::size_t(event_index_[id])])
                                   : readers.other_types;
    }
    grades_.resize(program.groups.size());
    one_lead_ = lead_key.has_value();
    const char* leads_sql = one_lead_ ? "SELECT id, key FROM leads WHERE key = ?1"
                                      : "SELECT id, key FROM leads ORDER BY id";
    leads_.emplace(store.db.prepare(leads_sql));
    if (one_lead_) leads_->bind(1, *lead_key);
    versions_.emplace(store.db.prepare(
        one_lead_ ? "SELECT lead, valid_from, attrs FROM lead_versions WHERE lead = ?1 "
                    "ORDER BY valid_from"
                  : "SELECT lead, valid_from, attrs FROM lead_versions ORDER BY lead, valid_from"));
    events_.emplace(store.db.prepare(
        one_lead_ ? "SELECT lead, ts, type, props FROM events WHERE lead = ?1 ORDER BY ts, seq"
                  : "SELECT lead, ts, type, props FROM events ORDER BY lead, ts, seq"));
    // A model's scores are the key range model * 2^40 + [1, 2^40) (engine/store/SCHEMA.md).
    previous_.emplace(store.db.prepare(
        one_lead_ ? "SELECT lead, band, score FROM scores WHERE key = ?1 + ?2"
                  : "SELECT lead, band, score FROM scores WHERE key BETWEEN ?1 + 1 AND ?1 + ?2 "
                    "ORDER BY key"));
    previous_->bind(1, model_id * store::lead_key_span);
    if (!one_lead_) previous_->bind(2, store::lead_key_span - 1);
  }

  // Calls `each` per lead and `keep` with (lead, score, band, the previous band or nullptr,
  // the previous score) for storing.
  template <typename Each, typename Keep>
  void run(Each&& each, Keep&& keep, ScoreRunReport& report) {
    bool first = true;
    while (leads_->step()) {
      std::int64_t lead = leads_->integer(0);
      // A lead's id is part of its score's key (model * 2^40 + lead): one outside the span
      // would read and write another model's row.
      if (lead < 1 || lead >= store::lead_key_span) {
        store_.damaged("the lead `" + std::string(leads_->text(1)) + "` has the id " +
                       std::to_string(lead) + ", outside 1 to 2^40-1");
      }
      if (first && one_lead_) {
        versions_->bind(1, lead);
        events_->bind(1, lead);
        previous_->bind(2, lead);
      }
      if (first) {
        versions_row_ = versions_->step();
        advance_events();
        previous_row_ = previous_->step();
        first = false;
      }
      score_lead(lead, report);
      double score = evaluator_.finish_quick();
      const std::string& band = evaluator_.band();
      for (std::size_t g = 0; g < grades_.size(); ++g) grades_[g] = evaluator_.grade(g);
      const std::string* previous_band = nullptr;
      double previous_score = 0;
      while (previous_row_ && previous_->integer(0) < lead) previous_row_ = previous_->step();
      if (previous_row_ && previous_->integer(0) == lead) {
        previous_band_.assign(previous_->text(1));
        previous_score = previous_->real(2);
        previous_band = &previous_band_;
      }
      LeadScoreLine line;
      line.lead_id = leads_->text(1);
      line.score = score;
      line.band = band;
      if (previous_band) line.previous_band = *previous_band;
      line.grades = &grades_;
      each(line);
      keep(lead, score, band, previous_band, previous_score);
      ++report.leads;
    }
  }

 private:
  void score_lead(std::int64_t lead, ScoreRunReport& report) {
    evaluator_.begin_resolved(as_of_);
    // The version in force at as_of: the last one starting at or before it. Undated versions
    // carry the smallest start (no_time), so they hold until a dated one begins (spec 8).
    attributes_.clear();
    bool have = false;
    while (versions_row_ && versions_->integer(0) < lead) versions_row_ = versions_->step();
    while (versions_row_ && versions_->integer(0) == lead) {
      const std::int64_t from = versions_->integer(1);
      if (from != no_time && !is_stored_time(from)) bad_time("an attribute version", from);
      if (from <= as_of_) {
        attributes_.assign(versions_->blob(2));
        have = true;
      }
      versions_row_ = versions_->step();
    }
    if (have) {
      store::RecordReader r(attributes_);
      store::Field f;
      while (r.next(f)) {
        if (f.name_id < attribute_slot_.size() && attribute_slot_[f.name_id] >= 0)
          evaluator_.set_attribute(std::uint32_t(attribute_slot_[f.name_id]), to_cell(f));
      }
    }
    // The events cursor stands on this lead's first event (or past it): read each row's lead
    // once, since every column access is a call into SQLite.
    while (events_row_ && event_lead_ < lead) advance_events();
    while (events_row_ && event_lead_ == lead) {
      Timestamp ts = events_->integer(1);
      if (!is_stored_time(ts)) bad_time("an event", ts);
      if (ts <= as_of_) {
        auto type_id = std::size_t(events_->integer(2));
        std::int32_t type = type_id < event_index_.size() ? event_index_[type_id] : -1;
        if (type >= 0 || any_consumers_) {
          evaluator_.clear_properties();
          const bool decode = type_id < decode_properties_.size() ? decode_properties_[type_id]
                                                                  : decode_other_types_;
          if (decode) {
            store::RecordReader r(events_->blob(3));
            store::Field f;
            while (r.next(f)) {
              if (f.name_id < property_slot_.size() && property_slot_[f.name_id] >= 0)
                evaluator_.set_property(std::uint32_t(property_slot_[f.name_id]), to_cell(f));
            }
          }
          evaluator_.add_resolved(type, ts);
        }
        ++report.events;
      }
      advance_events();
    }
  }

  // Out of line: the checks sit in the pass's inner loop. The leads cursor stands on the lead.
  [[noreturn]] void bad_time(const char* what, std::int64_t t) const {
    store_.bad_time(t, std::string(what) + " of lead `" + std::string(leads_->text(1)) + "`");
  }

  void advance_events() {
    events_row_ = events_->step();
    event_lead_ = events_row_ ? events_->integer(0) : 0;
  }

  Store::Impl& store_;
  engine::Evaluator evaluator_;
  Timestamp as_of_;
  bool one_lead_ = false, any_consumers_ = false;
  std::vector<std::int32_t> attribute_slot_, property_slot_, event_index_;
  // By the database's type id: whether a rule fed by such events reads their properties.
  std::vector<bool> decode_properties_;
  bool decode_other_types_ = false;
  std::optional<store::Statement> leads_, versions_, events_, previous_;
  bool versions_row_ = false, events_row_ = false, previous_row_ = false;
  std::int64_t event_lead_ = 0;
  std::string attributes_, previous_band_;
  std::vector<std::string_view> grades_;
};

// Foreign keys are not enforced while a run stores its scores. Every key written is known
// good: lead ids come from `leads` in the same database (leads are never deleted), the run and
// model rows are written in the same transaction. Enforcing them would look each one up again
// and, for a replaced row, twice more: over half the cost of the write. The pragma only takes
// effect outside a transaction, hence a guard around the write transaction.
class ForeignKeysOff {
 public:
  explicit ForeignKeysOff(store::Database& db) : db_(db) { db_.exec("PRAGMA foreign_keys = OFF"); }
  ~ForeignKeysOff() { db_.exec_quietly("PRAGMA foreign_keys = ON"); }
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

 private:
  store::Database& db_;
};

// The largest model id whose key range, model * 2^40 + [1, 2^40), fits in 64 bits.
constexpr std::int64_t max_model_id =
    std::numeric_limits<std::int64_t>::max() / store::lead_key_span - 1;

std::int64_t model_id(store::Database& db, const std::string& model_name) {
  store::Statement find = db.prepare("SELECT id FROM models WHERE name = ?1");
  find.bind(1, model_name);
  if (!find.step()) return 0;
  const std::int64_t id = find.integer(0);
  if (id < 1 || id > max_model_id) {
    throw StoreError("damaged database " + db.path() + ": the model `" + model_name +
                     "` has the id " + std::to_string(id) + ", outside 1 to " +
                     std::to_string(max_model_id) + " (its scores' keys would overflow)");
  }
  return id;
}

// The id of the latest recorded run of any model (0: none yet). Every run that stores scores
// adds its row in the same transaction, so an unchanged value means unchanged scores.
std::int64_t latest_run(store::Database& db) {
  store::Statement s = db.prepare("SELECT coalesce(max(id), 0) FROM score_runs");
  s.step();
  return s.integer(0);
}

// Collects a run's band changes in temp.new_changes: a lead whose band differs from its
// previous stored score, or, once the model has a baseline, a lead with no stored score.
class ChangeCollector {
 public:
  // The first full run of a model only sets the baseline; after it, a lead without a stored
  // score is new, and sales want to hear of a new lead that arrives hot. A one-lead run never
  // calls a lead new: only a full run can tell who arrived since.
  ChangeCollector(store::Database& db, const std::string& model_name, bool one_lead)
      : keep_(db.prepare("INSERT INTO temp.new_changes(lead, old_band, new_band, old_score, "
                         "new_score) VALUES (?1, ?2, ?3, ?4, ?5)")) {
    db.exec("DELETE FROM temp.new_changes");
    store::Statement baseline = db.prepare(
        "SELECT EXISTS (SELECT 1 FROM score_runs WHERE model = ?1 AND one_lead IS NULL)");
    baseline.bind(1, model_name);
    baseline.step();
    has_baseline_ = baseline.integer(0) == 1 && !one_lead;
  }

  void consider(std::int64_t lead, double score, std::string_view band,
                const std::string* previous_band, double previous_score) {
    if (previous_band ? *previous_band == band : !has_baseline_) return;
    keep_.bind(1, lead).bind(3, band).bind(5, score);
    if (previous_band) keep_.bind(2, *previous_band).bind(4, previous_score);
    keep_.run();
    ++count_;
  }

  std::uint64_t count() const { return count_; }

 private:
  store::Statement keep_;
  bool has_baseline_ = false;
  std::uint64_t count_ = 0;
};

// Another run stored scores between this run's read and its write: the band changes found
// against the snapshot would repeat that run's changes, against scores it already replaced.
// Finds them again against the scores stored now; the caller holds the write lock, so these
// stay the previous scores until this run commits. Returns the number of changes.
std::uint64_t collect_changes_again(store::Database& db, store::ScoreSpool& scores,
                                    const std::string& model_name, bool one_lead) {
  ChangeCollector changes(db, model_name, one_lead);
  const std::int64_t first_key = model_id(db, model_name) * store::lead_key_span;
  store::Statement stored = db.prepare(
      "SELECT lead, band, score FROM scores WHERE key BETWEEN ?1 + 1 AND ?1 + ?2 ORDER BY key");
  stored.bind(1, first_key).bind(2, store::lead_key_span - 1);
  bool row = first_key != 0 && stored.step();  // model 0: never stored, no previous scores
  std::string previous_band;
  scores.for_each([&](const store::ScoreSpool::Entry& e) {
    while (row && stored.integer(0) < e.lead) row = stored.step();
    const bool found = row && stored.integer(0) == e.lead;
    if (found) previous_band.assign(stored.text(1));
    changes.consider(e.lead, e.score, scores.band(e.band), found ? &previous_band : nullptr,
                     found ? stored.real(2) : 0);
  });
  return changes.count();
}

// The text of an INSERT storing `rows` scores: ?1 is the model's first key, ?2 the model, ?3
// the run, and each row binds its lead, score and band.
std::string insert_scores_sql(std::size_t rows) {
  std::string sql = "INSERT OR REPLACE INTO scores(key, model, lead, run, score, band) VALUES ";
  for (std::size_t r = 0; r < rows; ++r) {
    const std::string lead = "?" + std::to_string(4 + 3 * r);
    sql += r ? ", (" : "(";
    sql += "?1 + " + lead + ", ?2, " + lead + ", ?3, ?" + std::to_string(5 + 3 * r) + ", ?" +
           std::to_string(6 + 3 * r) + ")";
  }
  return sql;
}

// A stored score is replaced where it lies (same key, same row size); a lead scored for the
// first time is inserted; in lead order, so the writes walk the table once. Rows go in
// batches: one statement execution per row costs more than storing the row.
void write_scores(store::Database& db, store::ScoreSpool& scores, std::int64_t model,
                  std::int64_t run) {
  constexpr std::size_t batch = 128;
  std::optional<store::Statement> full, tail;
  std::size_t pending = 0, left = scores.size();
  store::Statement* current = nullptr;
  scores.for_each([&](const store::ScoreSpool::Entry& e) {
    if (pending == 0) {
      const std::size_t rows = std::min(batch, left);
      std::optional<store::Statement>& slot = rows == batch ? full : tail;
      if (!slot) slot.emplace(db.prepare(insert_scores_sql(rows).c_str()));
      current = &*slot;
      current->bind(1, model * store::lead_key_span).bind(2, model).bind(3, run);
    }
    const int first = int(4 + 3 * pending);
    current->bind(first, e.lead).bind(first + 1, e.score).bind(first + 2, scores.band(e.band));
    ++pending;
    --left;
    if (pending == batch || left == 0) {
      current->run();
      pending = 0;
    }
  });
}

}  // namespace

ScoreRunReport Store::score(const Model& model, const std::string& model_name, Timestamp as_of,
                            const std::optional<std::string>& lead_id,
                            const std::function<void(const LeadScoreLine&)>& each) {
  if (impl_->mode != Mode::read_write) {
    throw StoreError(impl_->path.string() + ": the store is open read-only");
  }
  store::Database& db = impl_->db;
  ScoreRunReport report;
  auto started = std::chrono::steady_clock::now();
  // The pass reads one snapshot and holds no write lock, so an import can run meanwhile.
  // Scores wait in a spool (memory, spilling to a temporary file) and band changes in a
  // private temporary table; one short write transaction stores them at the end. Two runs
  // at once are serialised by that transaction's lock (see the check at its start).
  db.exec(
      "CREATE TEMP TABLE IF NOT EXISTS new_changes (lead INTEGER PRIMARY KEY, old_band TEXT, "
      "new_band TEXT NOT NULL, old_score REAL, new_score REAL NOT NULL)");
  store::ScoreSpool scores;
  std::int64_t runs_seen = 0;
  {
    store::Transaction read(db, false);
    runs_seen = latest_run(db);  // the first read: this snapshot's
    ChangeCollector changes(db, model_name, lead_id.has_value());
    ScoreRun run(*impl_, *model.impl().program, as_of, lead_id, model_id(db, model_name));
    run.run(
        each,
        [&](std::int64_t lead, double score, const std::string& band,
            const std::string* previous_band, double previous_score) {
          scores.add(lead, score, band);
          changes.consider(lead, score, band, previous_band, previous_score);
        },
        report);
    report.band_changes = changes.count();
    read.commit();
  }
  auto scanned = std::chrono::steady_clock::now();
  {
    ForeignKeysOff unchecked(db);
    store::Transaction write(db, true);
    // Runs are serialised by the write lock, taken only now so that the pass does not hold
    // it: if a run committed since the snapshot, its scores are the previous ones.
    if (latest_run(db) != runs_seen) {
      report.band_changes = collect_changes_again(db, scores, model_name, lead_id.has_value());
    }
    store::Statement add_run = db.prepare(
        "INSERT INTO score_runs(model, fingerprint, as_of, recorded_at, leads, one_lead) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    add_run.bind(1, model_name).bind(2, model.fingerprint()).bind(3, std::int64_t(as_of));
    add_run.bind(4, now_ms()).bind(5, std::int64_t(report.leads));
    if (lead_id) add_run.bind(6, *lead_id);
    add_run.run();
    report.run_id = db.last_insert_rowid();
    store::Statement add_model = db.prepare("INSERT OR IGNORE INTO models(name) VALUES (?1)");
    add_model.bind(1, model_name).run();
    const std::int64_t model = model_id(db, model_name);
    store::Statement changes = db.prepare(
        "INSERT INTO band_changes(run, lead, old_band, new_band, old_score, new_score) "
        "SELECT ?1, lead, old_band, new_band, old_score, new_score FROM temp.new_changes");
    changes.bind(1, report.run_id).run();
    write_scores(db, scores, model, report.run_id);
    write.commit();
  }
  db.exec("DELETE FROM temp.new_changes");
  const std::chrono::duration<double> scan = scanned - started;
  const std::chrono::duration<double> store = std::chrono::steady_clock::now() - scanned;
  report.scan_seconds = scan.count();
  report.store_seconds = store.count();
  return report;
}

}  // namespace leadscore
