// Building blocks of the --html pages (calibration_html.cpp): locale-independent number text,
// HTML escaping, the page's head and style sheet, and the inline SVG charts. Header-only because
// only calibration_html.cpp and its tests use it, so no build file has to list a second source.
#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "engine/calibration/report.hpp"

namespace leadscore::cli::html {

namespace cal = calibration;

// ---- Text and numbers ------------------------------------------------------------------------

// Safe in element content and in quoted attribute values alike.
inline std::string esc(std::string_view text) {
  static constexpr std::string_view special = "&<>\"'";
  static constexpr std::string_view entity[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
  std::string out;
  out.reserve(text.size());
  for (const char& c : text) {
    const std::size_t at = special.find(c);
    out += at == std::string_view::npos ? std::string_view(&c, 1) : entity[at];
  }
  return out;
}

// std::to_chars rather than printf or streams: neither the C nor the C++ locale can turn the
// decimal point into a comma. Anything not finite is an undefined figure, shown as "n/a".
inline std::string fixed(double x, int decimals) {
  if (!std::isfinite(x)) return "n/a";
  std::array<char, 400> buffer;  // the longest finite double in fixed notation fits
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x,
                                       std::chars_format::fixed, decimals);
  if (ec != std::errc()) return "n/a";
  std::string out(buffer.data(), end);
  // "-0.0" would read as a real negative value.
  if (out[0] == '-' && out.find_first_not_of("-0.") == std::string::npos) out.erase(0, 1);
  return out;
}

// Like fixed() without trailing zeros: 12, 2.5, 0.25.
inline std::string trimmed(double x, int decimals = 2) {
  std::string out = fixed(x, decimals);
  if (out.find('.') == std::string::npos) return out;
  out.erase(out.find_last_not_of('0') + 1);
  if (out.back() == '.') out.pop_back();
  return out;
}

inline std::string percent(double share, int decimals = 1) {
  const std::string digits = fixed(share * 100, decimals);
  return digits == "n/a" ? digits : digits + "%";
}

// Grouped by commas (12,345) so that large counts read at a glance from the back of the room.
inline std::string count(std::size_t n) {
  std::array<char, 32> buffer;
  const std::string digits(buffer.data(), std::to_chars(buffer.data(), buffer.data() + 32, n).ptr);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// At most `max` code points, cut with an ellipsis: band names under a bar must not collide.
inline std::string shorten(std::string_view text, std::size_t max) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool starts_point = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts_point && ++points == max) return std::string(text.substr(0, i)) + "\u2026";
  }
  return std::string(text);
}

inline std::string empty_note(std::string_view why) {
  return "<p class=\"empty\">" + std::string(why) + "</p>\n";
}

// ---- Page shell --------------------------------------------------------------------------

// Sized for a projector (large type, black on white, thick lines) and for paper. Series use the
// Okabe-Ito palette (blue, orange, vermillion), which stays distinct under the common forms of
// colour blindness; warnings and flags also carry words, never colour alone.
inline constexpr std::string_view kStyle = R"css(
*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0 auto;max-width:1400px;padding:24px 40px;color:#111;background:#fff;
font:22px/1.45 system-ui,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
h1{font-size:40px;margin:0 0 8px}
h2{font-size:32px;margin:48px 0 12px;border-bottom:3px solid #111;padding-bottom:4px}
h3{font-size:26px;margin:28px 0 8px}
.meta{color:#333}
.warn{border:4px solid #D55E00;background:#FFF1E0;padding:16px 20px;margin:20px 0;font-size:24px}
.figs{display:flex;flex-wrap:wrap;gap:16px;margin:20px 0}
.fig{flex:1 1 220px;border:2px solid #111;padding:12px 16px}
.fig .v{font-size:44px;font-weight:700}
.fig .k{font-size:20px;font-weight:700;text-transform:uppercase}
.fig .s{font-size:18px;color:#333}
table{border-collapse:collapse;margin:12px 0;font-size:20px}
th,td{padding:6px 12px;border-bottom:1px solid #999;text-align:left;vertical-align:top}
th{background:#eee;border-bottom:2px solid #111}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.flag td{background:#FFF1E0;font-weight:600}
tr.flag td:first-child{border-left:8px solid #D55E00}
tr.adjust td:first-child{border-left:8px solid #0072B2}
td.same{background:#EAF3FA}
code{font-family:ui-monospace,Consolas,"DejaVu Sans Mono",monospace;font-size:.95em}
code.cmd{background:#f0f0f0;padding:2px 6px;white-space:nowrap;user-select:all}
svg.chart{display:block;width:100%;max-width:1000px;height:auto;margin:12px 0}
svg.square{max-width:620px}
svg text{font-size:18px;fill:#111}
.grid{stroke:#ccc;stroke-width:1}.axis{stroke:#111;stroke-width:2}
.diag{stroke:#555;stroke-width:2;stroke-dasharray:8 6}
.curve{fill:none;stroke:#0072B2;stroke-width:4}.dot{fill:#0072B2;stroke:#fff;stroke-width:2}
.won{fill:#0072B2}.lost{fill:#E69F00}
.base{stroke:#D55E00;stroke-width:3;stroke-dasharray:12 6}
.empty{font-style:italic;color:#333}
@media print{body{font-size:12pt;max-width:none;padding:0}h2{break-after:avoid}
table,svg,.figs{break-inside:avoid}.fig .v{font-size:24pt}}
)css";

inline std::string page_open(std::string_view title) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         esc(title) + "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
}

// ---- SVG charts --------------------------------------------------------------------------------
// Charts draw in their own viewBox and the page scales them to the screen. Every coordinate goes
// through Plot, which clamps to the plot area and maps anything undefined to its edge, so no
// NaN or infinity can reach an attribute.

inline constexpr double kLeft = 90, kRight = 24, kTop = 56, kBottom = 76;

inline std::string coord(double v) {
  return std::isfinite(v) ? fixed(v, 1) : "0";
}

// Where `v` lies in [lo, hi], clamped to [0, 1]; 0 when the range is empty or undefined.
inline double fraction(double v, double lo, double hi) {
  if (!(hi > lo) || !std::isfinite(v) || !std::isfinite(hi - lo)) return 0;
  return std::clamp((v - lo) / (hi - lo), 0.0, 1.0);
}

// The smallest of 1, 2, 2.5, 5 times a power of ten that is at least `x`: an axis top that
// divides into five readable steps. 1 when there is nothing to show.
inline double nice_top(double x) {
  if (!(x > 0) || !std::isfinite(x)) return 1;
  const double step = std::pow(10.0, std::floor(std::log10(x)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * step >= x * (1 - 1e-12)) return m * step;
  return 10 * step;
}

enum class Unit { number, percent };
inline std::string tick(double v, Unit unit) {
  return unit == Unit::percent ? trimmed(v * 100, 2) + "%" : trimmed(v, 2);
}

struct Plot {
  double width, height, x_lo, x_hi, y_lo, y_hi;
  double px(double x) const { return kLeft + fraction(x, x_lo, x_hi) * (width - kLeft - kRight); }
  double py(double y) const {
    return height - kBottom - fraction(y, y_lo, y_hi) * (height - kTop - kBottom);
  }
};

inline std::string line(double x1, double y1, double x2, double y2, std::string_view cls) {
  return "<line class=\"" + std::string(cls) + "\" x1=\"" + coord(x1) + "\" y1=\"" + coord(y1) +
         "\" x2=\"" + coord(x2) + "\" y2=\"" + coord(y2) + "\"/>\n";
}

inline std::string rect(double x, double y, double w, double h, std::string_view cls) {
  return "<rect class=\"" + std::string(cls) + "\" x=\"" + coord(x) + "\" y=\"" + coord(y) +
         "\" width=\"" + coord(std::max(w, 0.0)) + "\" height=\"" + coord(std::max(h, 0.0)) +
         "\"/>\n";
}

inline std::string text(double x, double y, std::string_view content,
                        std::string_view anchor = "middle") {
  return "<text x=\"" + coord(x) + "\" y=\"" + coord(y) + "\" text-anchor=\"" +
         std::string(anchor) + "\">" + esc(content) + "</text>\n";
}

inline std::string svg_open(const Plot& p, std::string_view label, std::string_view cls = "chart") {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"" + std::string(cls) +
         "\" viewBox=\"0 0 " + coord(p.width) + " " + coord(p.height) +
         "\" role=\"img\" aria-label=\"" + esc(label) + "\"><title>" + esc(label) + "</title>\n";
}

// Grid lines and labels dividing the y range into five equal steps, the axes and both axis titles;
// the x labels are the caller's, since bar charts label categories rather than values.
inline std::string frame(const Plot& p, Unit y_unit, std::string_view x_title,
                         std::string_view y_title) {
  std::string out;
  for (int i = 0; i <= 5; ++i) {
    const double v = p.y_lo + (p.y_hi - p.y_lo) * i / 5, y = p.py(v);
    out += line(kLeft, y, p.width - kRight, y, "grid") +
           text(kLeft - 10, y + 6, tick(v, y_unit), "end");
  }
  out += line(kLeft, kTop, kLeft, p.height - kBottom, "axis");
  out += line(kLeft, p.height - kBottom, p.width - kRight, p.height - kBottom, "axis");
  out += text((kLeft + p.width - kRight) / 2, p.height - 12, x_title);
  out += "<text x=\"0\" y=\"0\" text-anchor=\"middle\" transform=\"translate(22 " +
         coord((kTop + p.height - kBottom) / 2) + ") rotate(-90)\">" + esc(y_title) + "</text>\n";
  return out;
}

inline std::string x_ticks(const Plot& p, Unit unit) {
  std::string out;
  for (int i = 0; i <= 5; ++i) {
    const double v = p.x_lo + (p.x_hi - p.x_lo) * i / 5;
    out += text(p.px(v), p.height - kBottom + 26, tick(v, unit));
  }
  return out;
}

// From `lo` to at least `hi` in five round steps, for an axis that need not start at 0.
inline std::pair<double, double> nice_range(double lo, double hi) {
  double step = nice_top((hi - lo) / 5);
  for (int i = 0; i < 4; ++i) {
    const double start = std::floor(lo / step) * step;
    if (start + 5 * step >= hi) return {start, start + 5 * step};
    step = nice_top(step * 1.01);  // the next round step up
  }
  return {lo, hi};
}

// A row of colour keys above the plot area, where no bar or label can sit under it.
inline std::string legend(
    std::initializer_list<std::pair<std::string_view, std::string_view>> items) {
  std::string out;
  double x = kLeft;
  for (const auto& [cls, label] : items) {
    out += rect(x, 12, 22, 22, cls) + text(x + 30, 30, label, "start");
    x += 70 + 11 * double(label.size());  // about the label's width at 18px
  }
  return out;
}

inline std::string roc_chart(const cal::CalibrationReport& r) {
  if (r.roc.empty())
    return empty_note("No ROC curve: it needs both converted and unconverted leads.");
  const Plot p{620, 560, 0, 1, 0, 1};
  std::string out = svg_open(p, "ROC curve", "chart square");
  out += frame(p, Unit::number, "False positive rate: unconverted leads selected",
               "True positive rate: conversions found");
  out += x_ticks(p, Unit::number) + line(p.px(0), p.py(0), p.px(1), p.py(1), "diag");
  out += text(p.px(0.62), p.py(0.5), "random order", "start");
  out += "<polyline class=\"curve\" points=\"";
  for (const cal::RocPoint& point : r.roc)
    out += coord(p.px(point.fpr)) + "," + coord(p.py(point.tpr)) + " ";
  return out + "\"/>\n</svg>\n";
}

inline std::string histogram_chart(const cal::Histogram& h) {
  const std::size_t bins = std::min(h.converted.size(), h.not_converted.size());
  if (bins == 0) return empty_note("No score histogram: no lead was scored.");
  std::size_t won = 0, other = 0;
  for (std::size_t i = 0; i < bins; ++i) won += h.converted[i], other += h.not_converted[i];
  // Each group as a share of itself: conversions are rare, and raw counts would flatten them.
  auto share = [](std::size_t n, std::size_t total) {
    return total ? double(n) / double(total) : 0.0;
  };
  double top = 0;
  for (std::size_t i = 0; i < bins; ++i)
    top = std::max({top, share(h.converted[i], won), share(h.not_converted[i], other)});
  const Plot p{1000, 440, 0, double(bins), 0, nice_top(top)};
  std::string out = svg_open(p, "Score distribution of converted and unconverted leads");
  out += frame(p, Unit::percent, "Score", "Share of the group's leads");
  for (std::size_t i = 0; i < bins; ++i) {
    const double x = p.px(double(i)), slot = p.px(double(i + 1)) - x;
    const double a = p.py(share(h.converted[i], won)), b = p.py(share(h.not_converted[i], other));
    out += rect(x + slot * 0.1, a, slot * 0.4, p.py(0) - a, "won");
    out += rect(x + slot * 0.5, b, slot * 0.4, p.py(0) - b, "lost");
  }
  if (h.edges.size() == bins + 1 && h.edges.front() == h.edges.back()) {
    out += text(p.px(double(bins) / 2), p.height - kBottom + 26,
                "every lead scored " + trimmed(h.edges[0]));
  } else if (h.edges.size() == bins + 1) {
    const std::size_t step = (bins + 7) / 8;  // at most nine labels across the axis
    for (std::size_t i = 0; i <= bins; i += step)
      out += text(p.px(double(i)), p.height - kBottom + 26, trimmed(h.edges[i]));
  }
  out += legend({{"won", "converted"}, {"lost", "not converted"}});
  return out + "</svg>\n";
}

inline std::string band_chart(const cal::CalibrationReport& r) {
  if (r.bands.empty() || r.leads == 0) return empty_note("No band chart: no lead was scored.");
  double top = r.base_rate;
  for (const cal::BandSummary& band : r.bands) top = std::max(top, band.row.rate);
  const Plot p{1000, 440, 0, double(r.bands.size()), 0, nice_top(top)};
  std::string out = svg_open(p, "Conversion rate by band");
  out += frame(p, Unit::percent, "Band", "Conversion rate");
  for (std::size_t i = 0; i < r.bands.size(); ++i) {
    const cal::BandSummary& band = r.bands[i];
    const double x = p.px(double(i)), slot = p.px(double(i + 1)) - x, y = p.py(band.row.rate);
    out += rect(x + slot * 0.2, y, slot * 0.6, p.py(0) - y, "won");
    out += text(x + slot / 2, y - 8, band.row.empty ? "no leads" : percent(band.row.rate));
    out += text(x + slot / 2, p.height - kBottom + 26, shorten(band.name, 16));
  }
  const double base = p.py(r.base_rate);
  out += line(kLeft, base, p.width - kRight, base, "base");
  out += text(p.width - kRight, base - 8, "all leads " + percent(r.base_rate), "end");
  return out + "</svg>\n";
}

inline std::string calibration_chart(const cal::CalibrationReport& r) {
  if (r.calibration.empty()) return empty_note("No calibration curve: no lead was scored.");
  double lo = r.calibration.front().mean_score, hi = lo, top = 0;
  for (const cal::CalibrationBin& bin : r.calibration) {
    lo = std::min(lo, bin.mean_score), hi = std::max(hi, bin.mean_score);
    top = std::max(top, bin.observed_rate);
  }
  // Scores between 0 and 1 can be read as probabilities: then the diagonal is the ideal.
  const bool probabilities = lo >= 0 && hi <= 1;
  if (probabilities) lo = 0, hi = 1, top = 1;
  if (!(hi > lo)) lo -= 1, hi += 1;  // one distinct score: centre it
  std::tie(lo, hi) = nice_range(lo, hi);
  const Plot p{1000, 440, lo, hi, 0, nice_top(top)};
  std::string out = svg_open(p, "Observed conversion rate against mean score");
  out += frame(p, Unit::percent, "Mean score of the group", "Observed conversion rate");
  out += x_ticks(p, Unit::number);
  if (probabilities) {
    out += line(p.px(0), p.py(0), p.px(1), p.py(1), "diag");
    out += text(p.px(0.62), p.py(0.5), "score = rate", "start");
  }
  std::string points, dots;
  for (const cal::CalibrationBin& bin : r.calibration) {
    const double x = p.px(bin.mean_score), y = p.py(bin.observed_rate);
    points += coord(x) + "," + coord(y) + " ";
    dots += "<circle class=\"dot\" cx=\"" + coord(x) + "\" cy=\"" + coord(y) + "\" r=\"8\"/>\n";
  }
  return out + "<polyline class=\"curve\" points=\"" + points + "\"/>\n" + dots + "</svg>\n";
}

}  // namespace leadscore::cli::html
