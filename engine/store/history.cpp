// One lead's history (for explain and replay), and every lead's in turn (for calibration).
#include "engine/store/codec.hpp"
#include "engine/store/store_impl.hpp"

namespace leadscore {
namespace {

NamedValues decode(std::string_view bytes, const std::vector<std::string>& names) {
  NamedValues out;
  store::RecordReader r(bytes);
  store::Field f;
  while (r.next(f)) {
    const std::string& name = f.name_id < names.size() ? names[f.name_id] : std::string();
    out.emplace_back(name, store::to_value(f));
  }
  return out;
}

// Three cursors walked in lead order alongside the leads themselves.
struct HistoryCursors {
  explicit HistoryCursors(store::Database& db, bool one_lead)
      : leads(db.prepare(one_lead ? "SELECT id, key FROM leads WHERE key = ?1"
                                  : "SELECT id, key FROM leads ORDER BY id")),
        versions(db.prepare(one_lead ? "SELECT lead, valid_from, attrs FROM lead_versions "
                                       "WHERE lead = ?1 ORDER BY valid_from"
                                     : "SELECT lead, valid_from, attrs FROM lead_versions "
                                       "ORDER BY lead, valid_from")),
        events(db.prepare(
            one_lead ? "SELECT e.lead, e.ts, t.name, e.props, e.source_key FROM events e "
                       "JOIN event_types t ON t.id = e.type WHERE e.lead = ?1 ORDER BY e.ts, e.seq"
                     : "SELECT e.lead, e.ts, t.name, e.props, e.source_key FROM events e "
                       "JOIN event_types t ON t.id = e.type ORDER BY e.lead, e.ts, e.seq")),
        outcomes(db.prepare(one_lead ? "SELECT lead, ts, result FROM outcomes WHERE lead = ?1 "
                                       "ORDER BY ts"
                                     : "SELECT lead, ts, result FROM outcomes ORDER BY lead, ts")) {
  }

  store::Statement leads, versions, events, outcomes;
  bool versions_row = false, events_row = false, outcomes_row = false;

  void start() {
    versions_row = versions.step();
    events_row = events.step();
    outcomes_row = outcomes.step();
  }

  // Times come from the file: each is checked into the supported range (store_impl.hpp), so
  // the arithmetic on them later (replay, calibration windows) cannot overflow.
  void fill(const Store::Impl& store, std::int64_t lead, LeadHistory& h,
            const std::vector<std::string>& names) {
    // The message is only built for a bad time: this runs once per event.
    auto time = [&](std::int64_t t, const char* what) {
      return is_stored_time(t)
                 ? t
                 : store.bad_time(t, std::string(what) + " of lead `" + h.lead.id + "`");
    };
    while (versions_row && versions.integer(0) < lead) versions_row = versions.step();
    while (versions_row && versions.integer(0) == lead) {
      AttributeVersion v;
      if (versions.integer(1) != no_time) {
        v.valid_from = time(versions.integer(1), "an attribute version");
      }
      v.values = decode(versions.blob(2), names);
      h.lead.versions.push_back(std::move(v));
      versions_row = versions.step();
    }
    while (events_row && events.integer(0) < lead) events_row = events.step();
    while (events_row && events.integer(0) == lead) {
      Event e;
      e.ts = time(events.integer(1), "an event");
      e.type = events.text(2);
      e.properties = decode(events.blob(3), names);
      h.events.push_back(std::move(e));
      std::string_view key = events.blob(4);
      h.event_ids.push_back(!key.empty() && key[0] == 'i' ? std::string(key.substr(1)) : "");
      events_row = events.step();
    }
    while (outcomes_row && outcomes.integer(0) < lead) outcomes_row = outcomes.step();
    while (outcomes_row && outcomes.integer(0) == lead) {
      StoredOutcome o;
      o.has_time = outcomes.integer(1) != no_time;
      o.ts = o.has_time ? time(outcomes.integer(1), "an outcome") : 0;
      o.result = outcomes.text(2);
      h.outcomes.push_back(std::move(o));
      outcomes_row = outcomes.step();
    }
  }
};

}  // namespace

std::optional<LeadHistory> Store::lead(const std::string& lead_id) {
  store::Transaction read(impl_->db, false);  // one consistent snapshot, names included
  std::vector<std::string> names = impl_->all_names();
  HistoryCursors c(impl_->db, true);
  c.leads.bind(1, lead_id);
  if (!c.leads.step()) return std::nullopt;
  std::int64_t id = c.leads.integer(0);
  c.versions.bind(1, id);
  c.events.bind(1, id);
  c.outcomes.bind(1, id);
  c.start();
  LeadHistory h;
  h.lead.id = lead_id;
  c.fill(*impl_, id, h, names);
  return h;
}

void Store::for_each_lead(const std::function<void(const LeadHistory&)>& each) {
  store::Transaction read(impl_->db, false);
  std::vector<std::string> names = impl_->all_names();
  HistoryCursors c(impl_->db, false);
  c.start();
  LeadHistory h;
  while (c.leads.step()) {
    h.lead.id = c.leads.text(1);
    h.lead.versions.clear();
    h.events.clear();
    h.event_ids.clear();
    h.outcomes.clear();
    c.fill(*impl_, c.leads.integer(0), h, names);
    each(h);
  }
}

}  // namespace leadscore
