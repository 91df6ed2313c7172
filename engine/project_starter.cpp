// The file `leadscore init` writes: every key of leadscore.yaml, explained where it stands.
#include "leadscore/project.hpp"

namespace leadscore {

std::string starter_project_text() {
  return R"yaml(# leadscore project file. Paths are relative to this file.

# The SQLite database that holds leads, events, outcomes and scores.
database: leadscore.db

# The models `leadscore score` can run; the first is the default.
# An entry is a path, or {name: ..., file: ...} to store scores under another name.
models:
  - model.score

# List files (`in file "..."`) are read only from inside a model's own folder. Name other
# folders here to allow them (the command line's --allow-files DIR does the same).
# allow_files: [../shared-lists]

# What the data holds. With a schema, `leadscore check` refuses names a model misspells, and
# `leadscore import` rejects rows whose values have the wrong type.
# Types: number, string, boolean, timestamp, any.
schema:
  attributes:
    employees: number
    industry: string
    job_title: string
    country: string
  events:
    page_view: {url: string}
    download: {asset: string}
    email_open: {campaign: string}
    email_click: {campaign: string, url: string}
    webinar: {attended: boolean}
    unsubscribe: {}

# Which values of an outcome's result mean won (converted) and lost. Matching ignores case.
# Other values (open stages) are stored but count as neither.
outcomes:
  won: [won, closed won, converted]
  lost: [lost, closed lost]

# Column names of your CSV exports. JSON Lines files use the fixed keys instead:
#   leads     {"id": "L1", "at": "2026-01-05T10:00:00Z", "attrs": {"employees": 800}}
#   events    {"id": "E9", "lead_id": "L1", "ts": "2026-03-01T12:00:00Z", "type": "page_view", "url": "/pricing"}
#   outcomes  {"lead_id": "L1", "ts": "2026-04-01", "result": "won"}
import:
  leads:
    id: id                 # the column holding the lead's id
    # at: updated_at       # optional: when this row's attributes start to hold
    # attributes:          # optional: attribute name -> column; without it every other
    #   employees: "Number of Employees"   # column is read under its own name
  events:
    id: id                 # optional; without it events are keyed by their content
    lead_id: lead_id
    ts: ts
    type: type
    # types:               # optional: rename event types as they arrive
    #   "Page View": page_view
    # properties:          # optional: property name -> column
    #   url: "Page URL"
  outcomes:
    lead_id: lead_id
    ts: ts
    result: result
)yaml";
}

}  // namespace leadscore
