// Renders calibration and diff reports as one offline HTML page (see calibration_html.hpp).
// Pages are plain string appends: they are small (a few hundred table rows at most), and no
// template engine is worth a dependency for that. Charts and formatting: calibration_svg.hpp.
#include "tools/cli/calibration_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leadscore/value.hpp"
#include "tools/cli/calibration_svg.hpp"

namespace leadscore::cli {
namespace {

using namespace html;

// A plus sign on positive numbers, for points and changes: "+5", "-3", "0".
std::string with_sign(std::string number) {
  const bool positive =
      number != "n/a" && number[0] != '-' && number.find_first_not_of("0.") != std::string::npos;
  return positive ? "+" + number : number;
}

std::string signed_points(double x) {
  return with_sign(trimmed(x, 1));
}

// The lead id as one shell word, so that the replay command can be pasted as it stands.
std::string shell_word(std::string_view id) {
  const bool plain = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("._-:@/+=").find(c) != std::string_view::npos;
  });
  if (plain) return std::string(id);
  std::string out = "'";
  for (char c : id) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// One table row of cells that are already HTML. Bit i of `text_columns` marks column i as text;
// the other columns hold numbers and are right-aligned so that digits line up.
std::string row(std::initializer_list<std::string> cells, unsigned text_columns = 1,
                std::string_view row_class = {}) {
  std::string out = row_class.empty() ? "<tr>" : "<tr class=\"" + std::string(row_class) + "\">";
  unsigned column = 0;
  for (const std::string& cell : cells) {
    out += (text_columns >> column++) & 1u ? "<td>" : "<td class=\"n\">";
    out += cell + "</td>";
  }
  return out + "</tr>\n";
}

std::string head(std::initializer_list<std::string_view> names, unsigned text_columns = 1) {
  std::string out = "<thead><tr>";
  unsigned column = 0;
  for (std::string_view name : names) {
    out += (text_columns >> column++) & 1u ? "<th>" : "<th class=\"n\">";
    out += std::string(name) + "</th>";
  }
  return out + "</tr></thead>\n";
}

std::string figure(const std::string& value, std::string_view key, const std::string& sub = {}) {
  return "<div class=\"fig\"><div class=\"v\">" + value + "</div><div class=\"k\">" +
         std::string(key) + "</div>" + (sub.empty() ? "" : "<div class=\"s\">" + sub + "</div>") +
         "</div>\n";
}

std::string auc_value(const cal::Auc& auc) {
  return auc.defined ? fixed(auc.value, 2) : "n/a";
}
std::string auc_interval(const cal::Auc& auc) {
  return auc.defined ? "95% CI " + fixed(auc.ci_low, 2) + "\u2013" + fixed(auc.ci_high, 2)
                     : "needs converted and unconverted leads";
}

std::string short_fingerprint(const std::string& fingerprint) {
  if (fingerprint.empty()) return "n/a";
  return "<code title=\"" + esc(fingerprint) + "\">" + esc(fingerprint.substr(0, 12)) + "</code>";
}

// Before-outcome scoring sees signals that only exist because a deal was already moving, so its
// figures look better than the model will do on new leads; the page must not let that pass.
std::string mode_block(const cal::CalibrationReport& r) {
  if (r.mode.kind == cal::BacktestMode::Kind::before_outcome) {
    const std::string note =
        !r.mode_note.empty()
            ? r.mode_note
            : "Each lead was scored with what was known just before its outcome, including "
              "signals that appear because the deal was already moving. This flatters the "
              "model; a backtest as of a fixed date gives a fairer picture.";
    return "<div class=\"warn\" role=\"note\"><strong>Read with care: leads were scored just "
           "before their outcome.</strong> " +
           esc(note) + "</div>\n";
  }
  std::string out = "<p class=\"meta\">Scored as of " + esc(format_timestamp(r.mode.as_of)) +
                    "; a lead counts as converted when won within " +
                    trimmed(double(r.mode.horizon) / 86'400'000.0, 1) + " days after that.";
  if (!r.mode_note.empty()) out += " " + esc(r.mode_note);
  return out + "</p>\n";
}

std::string headline(const cal::CalibrationReport& r) {
  const cal::ThresholdMetrics& f1 = r.best_f1;
  const bool has_f1 = std::isfinite(f1.threshold);
  std::string out = "<div class=\"figs\">\n";
  out += figure(count(r.leads), "Leads") + figure(count(r.conversions), "Conversions");
  out += figure(percent(r.base_rate), "Base rate", "share of leads that converted");
  out += figure(auc_value(r.auc), "AUC", auc_interval(r.auc));
  out += figure(fixed(r.ks.value, 2), "KS",
                std::isfinite(r.ks.at_score) ? "widest gap at score " + trimmed(r.ks.at_score)
                                             : "needs converted and unconverted leads");
  out += figure(has_f1 ? "\u2265 " + trimmed(f1.threshold) : "n/a", "Best F1 threshold",
                has_f1 ? "F1 " + fixed(f1.f1, 2) + ", precision " + percent(f1.precision) +
                             ", recall " + percent(f1.recall)
                       : "no lead was scored");
  return out +
         "</div>\n<p>AUC is the chance that a lead that converted scored higher than one "
         "that did not: 0.5 is a coin toss, 1 is perfect. KS is the widest gap between the "
         "score distributions of the two groups.</p>\n";
}

std::string bands_table(const cal::CalibrationReport& r) {
  std::string out = "<table>\n" + head({"Band", "From score", "Leads", "Conversions", "Rate",
                                        "Share of conversions", "Precision", "Recall", "F1"});
  for (const cal::BandSummary& band : r.bands) {
    const auto& t = band.at_threshold;
    out += row({esc(band.name), band.threshold ? "\u2265 " + trimmed(*band.threshold) : "the rest",
                count(band.row.leads), count(band.row.conversions),
                band.row.empty ? "n/a" : percent(band.row.rate),
                percent(band.row.share_of_conversions),
                t && !t->nothing_selected ? percent(t->precision) : "n/a",
                t ? percent(t->recall) : "n/a", t ? fixed(t->f1, 2) : "n/a"});
  }
  return out +
         "</table>\n<p>Precision, recall and F1 count every lead at or above the band's "
         "lower bound as selected.</p>\n";
}

std::string deciles_table(const cal::CalibrationReport& r) {
  if (r.deciles.empty()) return empty_note("No groups: no lead was scored.");
  std::string out = "<table>\n" + head({"Group", "Scores", "Leads", "Conversions", "Rate", "Lift",
                                        "Cumulative share of conversions"});
  for (const cal::Decile& d : r.deciles)
    out += row({count(std::size_t(std::max(d.index, 0))),
                trimmed(d.min_score) + " \u2013 " + trimmed(d.max_score), count(d.leads),
                count(d.conversions), percent(d.rate), fixed(d.lift, 1) + "x",
                percent(d.cumulative_gain)});
  return out + "</table>\n";
}

// Rules whose suggestion is at least this many times larger, or smaller, than today's points
// get a sentence: smaller differences are within what a refit on new data would move anyway.
constexpr double kStrongChange = 1.5;

enum class Advice { none, never_fires, sign_flipped, stronger, weaker };

Advice advice(const cal::RuleWorth& w) {
  if (w.never_fires) return Advice::never_fires;
  if (w.sign_flipped) return Advice::sign_flipped;
  if (w.current_points == 0 || !std::isfinite(w.suggested_points)) return Advice::none;
  const double ratio = w.suggested_points / w.current_points;
  if (ratio >= kStrongChange) return Advice::stronger;
  if (ratio <= 1 / kStrongChange) return Advice::weaker;
  return Advice::none;
}

std::string rule_sentence(const cal::RuleWorth& w, Advice a, std::size_t leads) {
  const std::string name = "<code>" + esc(w.rule) + "</code>";
  if (a == Advice::never_fires)
    return name + " never gave points to any of the " + count(leads) +
           " leads: check its condition, or remove it.";
  std::string evidence =
      w.rate_fired == 0 ? "none of the " + count(w.fired) + " leads it fires for converted"
      : w.lift > 0      ? "its leads convert at " + fixed(w.lift, 1) + "x the base rate"
                        : "its leads convert at " + percent(w.rate_fired);
  return name + " gives " + signed_points(w.current_points) + " but " + evidence +
         ": the history suggests " + signed_points(w.suggested_points) +
         (a == Advice::sign_flipped ? ", the opposite direction." : ".");
}

std::string rules_section(const cal::CalibrationReport& r) {
  std::string out = "<h2>What to change</h2>\n";
  if (r.fit.converged) {
    out += "<p>Suggested points come from a logistic regression fitted to these outcomes (" +
           esc(r.fit.message) + "), scaled to the model's current total point range.</p>\n";
  } else {
    std::string why = r.fit.message.empty() ? "no reason given" : r.fit.message;
    if (why.back() == '.') why.pop_back();  // the sentence below supplies its own
    out += "<div class=\"warn\" role=\"note\"><strong>The fit did not converge:</strong> " +
           esc(why) +
           ". The suggested points are unreliable; do not change the model on their strength."
           "</div>\n";
  }
  if (r.rules.empty()) return out + empty_note("The model has no rules to assess.");
  if (r.leads == 0)
    return out + empty_note("No lead was scored: there is no history to judge the rules by.");
  std::string table = "<table>\n" + head({"Rule", "Group", "Now", "Suggested", "Coverage", "Fired",
                                          "Rate when fired", "Rate otherwise", "Lift", "Note"},
                                         0b1000000011);
  std::string sentences;
  for (const cal::RuleWorth& w : r.rules) {
    const Advice a = advice(w);
    static constexpr std::string_view notes[] = {"", "never fires", "sign flipped",
                                                 "give more weight", "give less weight"};
    const bool flagged = a == Advice::never_fires || a == Advice::sign_flipped;
    const std::string_view row_class = flagged ? "flag" : a == Advice::none ? "" : "adjust";
    std::string rule = "<code>" + esc(w.rule) + "</code>";
    if (!w.label.empty() && w.label != w.rule) rule += "<br>" + esc(w.label);
    table +=
        row({rule, esc(w.group), signed_points(w.current_points), signed_points(w.suggested_points),
             percent(w.coverage), count(w.fired), w.fired ? percent(w.rate_fired) : "n/a",
             percent(w.rate_not_fired), w.lift > 0 ? fixed(w.lift, 1) + "x" : "n/a",
             std::string(notes[static_cast<int>(a)])},
            0b1000000011, row_class);
    // Fit-based advice from a fit that did not converge would only repeat noise.
    if (a == Advice::never_fires || (a != Advice::none && r.fit.converged))
      sentences += "<li>" + rule_sentence(w, a, r.leads) + "</li>\n";
  }
  if (!sentences.empty()) out += "<ul class=\"advice\">\n" + sentences + "</ul>\n";
  return out + table + "</table>\n";
}

std::string review_table(const std::vector<cal::ReviewLead>& leads, std::string_view title,
                         std::string_view none) {
  std::string out = "<h3>" + std::string(title) + "</h3>\n";
  if (leads.empty()) return out + empty_note(none);
  out +=
      "<table>\n" + head({"Lead", "Score", "Band", "Outcome", "Top rules", "Replay it"}, 0b111101);
  for (const cal::ReviewLead& lead : leads) {
    std::string rules;
    for (const auto& [name, points] : lead.top_rules)
      rules += (rules.empty() ? "" : "<br>") + ("<code>" + esc(name) + "</code> ") +
               signed_points(points);
    out += row({esc(lead.lead_id), trimmed(lead.score), esc(lead.band), esc(lead.outcome), rules,
                "<code class=\"cmd\">leadscore replay --lead " + esc(shell_word(lead.lead_id)) +
                    "</code>"},
               0b111101);
  }
  return out + "</table>\n";
}

std::string segments_table(const cal::CalibrationReport& r) {
  std::string warning;
  if (!r.segment_warning.empty()) {
    warning = "<div class=\"warn\" role=\"note\"><strong>By " + esc(r.segment_attribute) +
              ":</strong> " + esc(r.segment_warning) + "</div>\n";
  }
  if (r.segments.empty()) return warning;
  std::string out =
      "<h2>By " + esc(r.segment_attribute) + "</h2>\n" + warning + "<table>\n" +
      head({esc(r.segment_attribute), "Leads", "Mean score", "Conversions", "Rate", "AUC"});
  for (const cal::SegmentRow& s : r.segments)
    out += row({esc(s.segment), count(s.leads), trimmed(s.mean_score), count(s.conversions),
                percent(s.rate), auc_value(s.auc)});
  return out + "</table>\n";
}

}  // namespace

std::string render_calibration_html(const cal::CalibrationReport& r) {
  std::string out = page_open("Calibration: " + r.model_name);
  out += "<h1>Calibration of " + esc(r.model_name) + "</h1>\n<p class=\"meta\">Model fingerprint " +
         short_fingerprint(r.model_fingerprint) + "</p>\n" + mode_block(r) + headline(r);
  out +=
      "<h2>How well scores separate the leads</h2>\n<p>Walking down the scores from the "
      "top, the curve shows how many conversions are found against how many other leads are "
      "picked up on the way. The closer it hugs the top left corner, the better; the dashed "
      "diagonal is what random scores would give.</p>\n" +
      roc_chart(r);
  out +=
      "<h3>Scores of converted and unconverted leads</h3>\n<p>Each colour adds up to 100%. "
      "The further right the blue bars sit from the orange ones, the better the scores tell "
      "the two groups apart.</p>\n" +
      histogram_chart(r.histogram);
  out += "<h2>Conversion by band</h2>\n" + band_chart(r) + bands_table(r);
  out +=
      "<h2>Do scores match reality?</h2>\n<p>Leads in equal groups by score: the group's mean "
      "score against the share that converted. A rising line means higher scores really "
      "convert more.</p>\n" +
      calibration_chart(r);
  out += "<h3>Leads in equal groups by score, highest first</h3>\n" + deciles_table(r);
  out += rules_section(r);
  out +=
      "<h2>Leads to review</h2>\n<p>The leads the scores got most wrong. Paste the command "
      "to replay one and see every rule that fired.</p>\n";
  out += review_table(r.lost_high, "Lost deals that scored highest", "No lost deal in scope.");
  out += review_table(r.won_low, "Won deals that scored lowest", "No won deal in scope.");
  return out + segments_table(r) + "</body>\n</html>\n";
}

namespace {

// Row and column labels: the bands as listed, then any band that only the migration names, so
// that no count is ever dropped from the matrix.
std::vector<std::string> with_extra(std::vector<std::string> bands,
                                    const std::vector<cal::BandMove>& moves, bool from) {
  for (const cal::BandMove& m : moves) {
    const std::string& name = from ? m.from : m.to;
    if (std::find(bands.begin(), bands.end(), name) == bands.end()) bands.push_back(name);
  }
  return bands;
}

std::string migration_table(const cal::DiffReport& d) {
  if (d.migration.empty()) return empty_note("No lead was scored by both models.");
  std::map<std::pair<std::string, std::string>, const cal::BandMove*> cells;
  for (const cal::BandMove& m : d.migration) cells[{m.from, m.to}] = &m;
  const std::vector<std::string> rows = with_extra(d.old_bands, d.migration, true);
  const std::vector<std::string> columns = with_extra(d.new_bands, d.migration, false);
  std::string out =
      "<table class=\"matrix\">\n<thead><tr><th>Old band \u2193 / new band \u2192</th>";
  for (const std::string& column : columns) out += "<th class=\"n\">" + esc(column) + "</th>";
  out += "</tr></thead>\n";
  for (const std::string& from : rows) {
    out += "<tr><th scope=\"row\">" + esc(from) + "</th>";
    for (const std::string& to : columns) {
      const auto it = cells.find({from, to});
      out += from == to ? "<td class=\"n same\">" : "<td class=\"n\">";
      if (it == cells.end() || it->second->leads == 0) {
        out += "\u2013</td>";
        continue;
      }
      out += "<strong>" + count(it->second->leads) + "</strong><br>" + percent(it->second->rate) +
             " converted</td>";
    }
    out += "</tr>\n";
  }
  return out +
         "</table>\n<p>Each cell: leads that moved from the row's band to the column's, and "
         "the share of them that converted. Shaded cells kept their band name.</p>\n";
}

std::string moved_table(const cal::DiffReport& d) {
  if (d.moved.empty()) return empty_note("No lead changed band.");
  std::string out =
      "<p>The " + count(d.moved.size()) + " largest score changes among the " +
      count(d.moved_total) + " leads that changed band.</p>\n<table>\n" +
      head({"Lead", "Old band", "New band", "Old score", "New score", "Change", "Converted"},
           0b1000111);
  for (const cal::DiffReport::Moved& m : d.moved)
    out += row({esc(m.lead_id), esc(m.from), esc(m.to), trimmed(m.old_score), trimmed(m.new_score),
                signed_points(m.new_score - m.old_score), m.converted ? "yes" : "no"},
               0b1000111);
  return out + "</table>\n";
}

}  // namespace

std::string render_diff_html(const cal::DiffReport& d) {
  const cal::CalibrationReport& a = d.old_model;
  const cal::CalibrationReport& b = d.new_model;
  std::string out = page_open("Model comparison: " + a.model_name + " vs " + b.model_name);
  out += "<h1>" + esc(a.model_name) + " against " + esc(b.model_name) + "</h1>\n";
  out += "<p class=\"meta\">Old: " + esc(a.model_name) + " " +
         short_fingerprint(a.model_fingerprint) + "; new: " + esc(b.model_name) + " " +
         short_fingerprint(b.model_fingerprint) + "</p>\n";
  out += mode_block(b) + "<div class=\"figs\">\n" + figure(count(b.leads), "Leads") +
         figure(count(b.conversions), "Conversions") +
         figure(auc_value(a.auc), "AUC old", auc_interval(a.auc)) +
         figure(auc_value(b.auc), "AUC new", auc_interval(b.auc)) +
         figure(a.auc.defined && b.auc.defined ? with_sign(fixed(b.auc.value - a.auc.value, 2))
                                               : "n/a",
                "AUC change") +
         figure(count(d.moved_total), "Changed band",
                b.leads ? percent(double(d.moved_total) / double(b.leads)) + " of leads" : "") +
         "</div>\n";
  out += "<h2>Where leads moved</h2>\n" + migration_table(d);
  out += "<h2>Leads that changed band</h2>\n" + moved_table(d);
  return out + "</body>\n</html>\n";
}

}  // namespace leadscore::cli
