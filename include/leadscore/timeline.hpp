// leadscore: a lead's timeline, the score and band right after each event (`leadscore replay`).
//
//   leadscore::Timeline timeline(*model, lead, events, end);
//   while (auto step = timeline.next()) show(*step);
//
// Each step is what Model::explain would give for the events up to that point, as of that
// point's time — the score a CRM would have shown right then — but the timeline gets there in
// one pass over the events instead of explaining every prefix again. Rule states are kept
// and updated as events arrive; what "now" changes (decay, `within` windows, rate limits over
// a window) is updated when time moves. Values that are carried forward rather than summed
// afresh carry a small rounding error with a bound; when a step's shown figures could depend
// on that error (a value within the bound of a rounding or threshold boundary), that one step
// is computed afresh exactly as Model::explain does. So the steps agree with the explanations.
// (The check compares the shown figures at both ends of the bounds and looks for a model
// constant inside a group total's bounds; a limit that tests arithmetic on a decayed group
// total for equality, `when profile * 2 = 30`, is the one case it cannot see.)
//
// Work is linear in the number of events, except for these, which are recomputed as noted:
// rules that read `days_since(...)` in an `on` rule or aggregate condition (each step, since
// the condition depends on "now"), conditions that read lead attributes (again at each new
// attribute version), `decay P% every D` (each step, over the rule's counted events), rate
// limits with `within` (over the window, when an event leaves it) and `sum(...)` of non-whole
// values with `within` (over the window, each step). TimelineStats counts all of it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "leadscore/leadscore.hpp"

namespace leadscore {

struct TimelineStep {
  enum class Kind : std::uint8_t {
    profile,  // the lead's attributes took effect (the first step, or a new version)
    event,    // one event was added
  };
  Kind kind = Kind::event;
  Timestamp at = 0;
  // Kind::event: the index of the event in the span given to the Timeline.
  std::size_t event = 0;
  // Kind::profile: the attribute version that starts here (first attributes, updated), or
  // none when the lead's attributes have no start time (the single `profile` step).
  enum class Profile : std::uint8_t { always, first, updated };
  Profile profile = Profile::always;

  double score = 0;  // rounded to 2 decimals, as Score::score
  std::string band;
  bool band_changed = false;  // against the previous step (the first step: true)
  std::string previous_band;  // empty on the first step

  // Event steps: the rules that counted this event, with the points it was worth.
  // Profile steps: the rules with points that no event is behind (`when` rules).
  struct Fired {
    std::string rule;
    double points = 0;
  };
  std::vector<Fired> fired;
  // Every rule's points at this step (rounded, model order), as Score::rules[k].points.
  std::vector<double> rule_points;
};

// How much work the timeline did; for tests that check it stays linear, and for benchmarks.
struct TimelineStats {
  std::uint64_t steps = 0;
  std::uint64_t events_fed = 0;         // event x rule/aggregate evaluations in the VM
  std::uint64_t terms_recomputed = 0;   // counted events re-summed (see the header comment)
  std::uint64_t exact_steps = 0;        // steps computed afresh because of a boundary
  std::uint64_t exact_step_events = 0;  // the events those steps went through
  std::uint64_t work() const { return events_fed + terms_recomputed + exact_step_events; }
};

class Timeline {
 public:
  // Steps through `events` (taken in time order; equal times keep their order) up to `end`:
  // a profile step before the first event (or at each attribute version's start up to
  // `end`), then one step per event at or before `end`. The model, lead and events must
  // outlive the Timeline.
  Timeline(const Model& model, const Lead& lead, std::span<const Event> events, Timestamp end);
  ~Timeline();
  Timeline(Timeline&&) noexcept;
  Timeline& operator=(Timeline&&) noexcept;

  // The next step, or nothing after the last one.
  std::optional<TimelineStep> next();
  const TimelineStats& stats() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace leadscore
