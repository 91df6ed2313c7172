// The terminal tables of `leadscore calibrate` and `leadscore diff`.
#include "tools/cli/calibration_text.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

#include "leadscore/escape.hpp"
#include "leadscore/value.hpp"
#include "tools/cli/report.hpp"

namespace leadscore::cli {
namespace {

namespace cal = calibration;

// Columns line up by width; text columns lean left and numbers lean right, as in `eval`.
class Table {
 public:
  // `numeric` has one character per column: 'n' for a right-aligned column.
  Table(std::vector<std::string> header, std::string numeric) : numeric_(std::move(numeric)) {
    rows_.push_back(std::move(header));
  }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  void print(std::ostream& out, std::string_view indent = "  ") const {
    std::vector<std::size_t> width(rows_.front().size(), 0);
    for (const auto& row : rows_) {
      for (std::size_t c = 0; c < row.size() && c < width.size(); ++c)
        width[c] = std::max(width[c], row[c].size());
    }
    for (const auto& row : rows_) {
      std::string line(indent);
      for (std::size_t c = 0; c < width.size(); ++c) {
        const std::string cell = c < row.size() ? row[c] : "";
        const std::string pad(width[c] - cell.size(), ' ');
        if (c > 0) line += "  ";
        line += c < numeric_.size() && numeric_[c] == 'n' ? pad + cell : cell + pad;
      }
      line.erase(line.find_last_not_of(' ') + 1);
      out << line << '\n';
    }
  }

 private:
  std::string numeric_;
  std::vector<std::vector<std::string>> rows_;
};

std::string num(double x, int decimals = 2) {
  return std::isfinite(x) ? format_number(x, decimals) : "n/a";
}
std::string pct(double x) {
  return std::isfinite(x) ? format_number(x * 100, 1) + "%" : "n/a";
}
std::string signed_num(double x, int decimals = 2) {
  std::string s = num(x, decimals);
  return std::isfinite(x) && round_to(x, decimals) > 0 ? "+" + s : s;
}
std::string count(std::size_t n) {
  return std::to_string(n);
}
std::string auc_text(const cal::Auc& a) {
  return a.defined ? num(a.value, 3) : "n/a";
}

void print_header(std::ostream& out, const cal::CalibrationReport& r) {
  const auto& s = r.stats;
  if (r.mode.kind == cal::BacktestMode::Kind::as_of) {
    out << "mode:        " << r.mode_note << '\n';
  } else {
    out << "mode:        before outcome: each decided lead scored 1 ms before its outcome, "
           "open leads at the end of history ("
        << format_timestamp(s.end_of_history) << ")\n"
        << "warning:     " << r.mode_note << '\n';
  }
  out << "leads:       " << s.scored << " scored of " << s.leads_seen << " in the store\n";
  if (s.already_decided)
    out << "             " << s.already_decided << " left out: already won or lost at "
        << format_timestamp(r.mode.as_of) << '\n';
  if (s.created_after)
    out << "             " << s.created_after << " left out: created at or after "
        << format_timestamp(r.mode.as_of) << '\n';
  if (s.undated_decisions) {
    if (r.mode.kind == cal::BacktestMode::Kind::as_of) {
      out << "             " << s.undated_decisions
          << " left out: won or lost without a time (it may lie before the as-of time)\n";
    } else {
      out << "             " << s.undated_decisions
          << " won or lost without a time: scored at the end of history\n";
    }
  }
  if (s.open_at_end)
    out << "             " << s.open_at_end << " without a won or lost outcome: scored at the "
        << "end of history, counted as not converted\n";
  out << "conversions: " << r.conversions << " (base rate " << pct(r.base_rate) << ")\n";
  if (!r.problem.empty()) out << "\nnothing to calibrate: " << r.problem << '\n';
}

void print_ranking(std::ostream& out, const cal::CalibrationReport& r) {
  out << "\nranking\n";
  out << "  AUC      " << auc_text(r.auc);
  if (r.auc.defined)
    out << "  (95% CI " << num(r.auc.ci_low, 3) << " to " << num(r.auc.ci_high, 3) << ")";
  out << "  " << r.auc.positives << " converted, " << r.auc.negatives << " not\n";
  out << "  KS       " << (r.auc.defined ? num(r.ks.value, 3) : "n/a");
  if (std::isfinite(r.ks.at_score)) out << "  at score " << num(r.ks.at_score);
  out << '\n';
  const auto& f = r.best_f1;
  if (f.positives == 0) return;  // no conversion to recall: any threshold scores 0
  out << "  best F1  " << num(f.f1, 3);
  if (!f.nothing_selected)
    out << "  at score >= " << num(f.threshold) << ": precision " << pct(f.precision) << ", recall "
        << pct(f.recall) << ", " << f.leads_selected << " leads selected";
  out << '\n';
}

void print_bands(std::ostream& out, const cal::CalibrationReport& r) {
  if (r.bands.empty()) return;
  out << "\nconversion by band (precision, recall and F1 selecting the band and those above)\n";
  Table t({"band", "from", "leads", "conversions", "rate", "share", "precision", "recall", "F1"},
          "lnnnnnnnn");
  for (const auto& b : r.bands) {
    const auto* m = b.at_threshold ? &*b.at_threshold : nullptr;
    t.add({b.name, b.threshold ? num(*b.threshold) : "-", count(b.row.leads),
           count(b.row.conversions), b.row.empty ? "-" : pct(b.row.rate),
           pct(b.row.share_of_conversions), m && !m->nothing_selected ? pct(m->precision) : "-",
           m ? pct(m->recall) : "-", m ? num(m->f1, 3) : "-"});
  }
  t.print(out);
}

void print_deciles(std::ostream& out, const cal::CalibrationReport& r) {
  if (r.deciles.empty()) return;
  out << "\ndeciles (highest scores first)\n";
  Table t({"decile", "scores", "leads", "conversions", "rate", "lift", "cumulative gain"},
          "nlnnnnn");
  for (const auto& d : r.deciles) {
    t.add({count(std::size_t(d.index)), num(d.min_score) + " to " + num(d.max_score),
           count(d.leads), count(d.conversions), pct(d.rate), num(d.lift), pct(d.cumulative_gain)});
  }
  t.print(out);
}

void print_rules(std::ostream& out, const cal::CalibrationReport& r) {
  if (r.rules.empty()) return;
  out << "\nrule worth (suggested points: logistic fit rescaled to the model's point range; "
      << (r.fit.message.empty() ? std::string(r.fit.converged ? "converged" : "not converged")
                                : r.fit.message)
      << ")\n";
  Table t({"rule", "group", "coverage", "rate fired", "rate not fired", "lift", "points",
           "suggested", "flags"},
          "llnnnnnnl");
  for (const auto& w : r.rules) {
    std::string flags;
    if (w.never_fires) flags = "never fires";
    if (w.sign_flipped) flags += std::string(flags.empty() ? "" : ", ") + "sign flips";
    t.add({w.rule, w.group, pct(w.coverage), w.fired ? pct(w.rate_fired) : "-",
           pct(w.rate_not_fired), w.fired ? num(w.lift) : "-", signed_num(w.current_points),
           r.fit.converged ? signed_num(w.suggested_points) : "-", flags});
  }
  t.print(out);
}

void print_review(std::ostream& out, const char* title, const std::vector<cal::ReviewLead>& list) {
  out << '\n' << title << '\n';
  if (list.empty()) out << "  none\n";
  for (const auto& l : list) {
    out << "  " << escape_controls(l.lead_id) << "  score " << num(l.score) << "  " << l.band;
    if (!l.outcome.empty()) out << "  " << escape_controls(l.outcome);
    out << '\n';
    if (!l.top_rules.empty()) {
      out << "      ";
      for (std::size_t i = 0; i < l.top_rules.size(); ++i)
        out << (i ? ", " : "") << l.top_rules[i].first << " " << signed_num(l.top_rules[i].second);
      out << '\n';
    }
    out << "      " << replay_command(l.lead_id) << '\n';
  }
}

void print_segments(std::ostream& out, const cal::CalibrationReport& r) {
  if (r.segment_attribute.empty()) return;
  const std::string attribute = escape_controls(r.segment_attribute);
  out << "\nby " << attribute << " (at scoring time)\n";
  Table t({attribute, "leads", "mean score", "conversions", "rate", "AUC"}, "lnnnnn");
  const std::size_t shown = std::min(r.segments.size(), text_segments_shown);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& s = r.segments[i];
    t.add({escape_controls(s.segment), count(s.leads), num(s.mean_score), count(s.conversions),
           pct(s.rate), auc_text(s.auc)});
  }
  t.print(out);
  if (shown < r.segments.size())
    out << "  (" << r.segments.size() - shown << " smaller segments: see --json)\n";
}

}  // namespace

std::string replay_command(const std::string& lead_id) {
  const bool plain = !lead_id.empty() && lead_id.find_first_not_of(
                                             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs"
                                             "tuvwxyz0123456789_.:@/+-=,") == std::string::npos;
  if (plain && lead_id.front() != '-') return "leadscore replay --lead " + lead_id;
  if (escape_controls(lead_id) != lead_id) {
    // Control characters must not reach the terminal, and inside '...' they could not be
    // typed back: bash's $'...' reads the escapes, so the command still works when pasted.
    std::string inner;
    for (char c : lead_id) inner += c == '\\' ? "\\\\" : c == '\'' ? "\\'" : std::string(1, c);
    return "leadscore replay --lead $'" + escape_controls(inner) + "'";
  }
  std::string quoted = "'";
  for (char c : lead_id) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return "leadscore replay --lead " + quoted + "'";
}

void print_calibration_text(std::ostream& out, const calibration::CalibrationReport& r) {
  out << "model:       " << escape_controls(r.model_name) << "  (fingerprint "
      << r.model_fingerprint << ")\n";
  print_header(out, r);
  if (r.leads == 0) return;
  print_ranking(out, r);
  print_bands(out, r);
  print_deciles(out, r);
  print_rules(out, r);
  print_review(out, "lost deals with the highest scores", r.lost_high);
  print_review(out, "won deals with the lowest scores", r.won_low);
  print_segments(out, r);
}

void print_diff_text(std::ostream& out, const calibration::DiffReport& d) {
  const auto& o = d.old_model;
  const auto& n = d.new_model;
  out << "old model:   " << escape_controls(o.model_name) << "  AUC " << auc_text(o.auc)
      << "  (fingerprint " << o.model_fingerprint << ")\n"
      << "new model:   " << escape_controls(n.model_name) << "  AUC " << auc_text(n.auc)
      << "  (fingerprint " << n.model_fingerprint << ")\n";
  if (o.auc.defined && n.auc.defined)
    out << "AUC change:  " << signed_num(n.auc.value - o.auc.value, 3) << '\n';
  print_header(out, o);
  if (o.leads == 0) return;

  out << "\nband migration (leads and their conversion rate; rows: old bands, columns: new)\n";
  std::vector<std::string> header{"old \\ new"};
  header.insert(header.end(), d.new_bands.begin(), d.new_bands.end());
  Table t(header, "l" + std::string(d.new_bands.size(), 'n'));
  for (const auto& from : d.old_bands) {
    std::vector<std::string> row{from};
    for (const auto& to : d.new_bands) {
      auto it = std::find_if(d.migration.begin(), d.migration.end(),
                             [&](const auto& m) { return m.from == from && m.to == to; });
      row.push_back(it == d.migration.end() ? "-" : count(it->leads) + " (" + pct(it->rate) + ")");
    }
    t.add(std::move(row));
  }
  t.print(out);

  out << "\nleads whose band changes: " << d.moved_total;
  if (d.moved_total > text_moved_shown)
    out << " (the " << text_moved_shown << " with the largest score change; all in --json)";
  out << '\n';
  if (d.moved.empty()) return;
  Table m({"lead", "old score", "new score", "change", "from", "to", "converted"}, "lnnnlll");
  for (std::size_t i = 0; i < d.moved.size() && i < text_moved_shown; ++i) {
    const auto& x = d.moved[i];
    m.add({escape_controls(x.lead_id), num(x.old_score), num(x.new_score),
           signed_num(x.new_score - x.old_score), x.from, x.to, x.converted ? "yes" : "no"});
  }
  m.print(out);
}

}  // namespace leadscore::cli
