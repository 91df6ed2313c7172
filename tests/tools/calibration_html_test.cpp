#include "tools/cli/calibration_html.hpp"
#include "tools/cli/calibration_svg.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <locale>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace cal = leadscore::calibration;
using leadscore::cli::render_calibration_html;
using leadscore::cli::render_diff_html;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// A rule firing for 200 of 1,000 leads; `lift` sets its conversion rate against a 10% base.
cal::RuleWorth rule(std::string name, double now, double suggested, double lift) {
  return {std::move(name), "intent", "",   now,       0.2,   200,
          0.1 * lift,      0.08,     lift, suggested, false, (now > 0) != (suggested > 0)};
}

// A full report of 1,000 leads, 100 conversions, with text that needs escaping in every kind of
// name the page shows.
cal::CalibrationReport sample() {
  cal::CalibrationReport r;
  r.model_name = "Acme <B2B>";
  r.model_fingerprint = "0123456789abcdef";
  r.mode.kind = cal::BacktestMode::Kind::before_outcome;
  r.mode_note = "Scores use signals seen right before each outcome.";
  r.leads = 1000;
  r.conversions = 100;
  r.base_rate = 0.1;
  r.auc = {0.78, 0.74, 0.82, 100, 900, true};
  r.ks = {0.41, 55};
  r.roc = {{0, 0, kInf}, {0.1, 0.5, 70}, {0.4, 0.8, 40}, {1, 1, 0}};
  const cal::ThresholdMetrics at_70{70, 150, 50, 100, 1.0 / 3, false, 0.5, 0.4};
  const cal::ThresholdMetrics at_40{40, 450, 80, 100, 0.178, false, 0.8, 0.29};
  r.bands = {{"Hot & ready", 70.0, {150, 50, 1.0 / 3, false, 0.5}, at_70},
             {"Warm", 40.0, {300, 30, 0.1, false, 0.3}, at_40},
             {"Cold", std::nullopt, {550, 20, 0.036, false, 0.2}, std::nullopt}};
  r.deciles = {{1, 500, 80, 0.16, 1.6, 80, 0.8, 50, 99}, {2, 500, 20, 0.04, 0.4, 100, 1, 0, 49}};
  r.best_f1 = at_70;
  r.histogram = {{0, 25, 50, 75, 100}, {5, 15, 30, 50}, {400, 300, 150, 50}};
  r.calibration = {{10, 0.02, 500, 0, 49}, {60, 0.12, 300, 50, 79}, {85, 0.3, 200, 80, 99}};
  r.rules = {rule("pricing_page", 5, 12, 2.1), rule("<b>&\"x\"", 4, 4.5, 1.3),
             rule("free_email", 3, -4, 0.6), rule("webinar", 10, 11, 1.5)};
  cal::RuleWorth dead = rule("dead_rule", 8, 0, 0);
  dead.never_fires = true, dead.sign_flipped = false, dead.fired = 0, dead.coverage = 0;
  r.rules.push_back(dead);
  r.fit.converged = true;
  r.fit.message = "converged in 7 iterations";
  r.lost_high = {{"o'neil \"7\"", 96, "Hot & ready", "lost \"price\"", {{"<b>&\"x\"", 4}}}};
  r.won_low = {{"L-2", 3, "Cold", "won", {{"free_email", -3}}}};
  r.segment_attribute = "region";
  r.segments = {{"<EU>", 400, 41.5, 40, 0.1, {0.7, 0.6, 0.8, 40, 360, true}},
                {"US", 600, 44, 60, 0.1, {kNaN, 0, 1, 60, 0, false}}};
  return r;
}

// What metrics.hpp produces with no leads at all.
cal::CalibrationReport no_leads() {
  cal::CalibrationReport r;
  r.model_name = "empty";
  r.auc = {kNaN, 0, 1, 0, 0, false};
  r.ks = {0, kNaN};
  r.best_f1 = {kInf, 0, 0, 0, 0, true, 0, 0};
  r.bands = {{"Hot", 70.0, {0, 0, 0, true, 0}, cal::ThresholdMetrics{70, 0, 0, 0, 0, true, 0, 0}},
             {"Cold", std::nullopt, {0, 0, 0, true, 0}, std::nullopt}};
  r.rules = {rule("a", 5, 0, 0)};
  r.rules[0].never_fires = true;
  r.fit.message = "only one class: nothing to fit";
  return r;
}

// Three leads that all scored 20 and none converted: one class, one distinct score.
cal::CalibrationReport one_class() {
  cal::CalibrationReport r = no_leads();
  r.leads = 3;
  r.best_f1 = {20, 3, 0, 0, 0, false, 0, 0};
  r.bands[1].row = {3, 0, 0, false, 0};
  r.deciles = {{1, 1, 0, 0, 0, 0, 0, 20, 20}, {2, 1, 0, 0, 0, 0, 0, 20, 20}};
  r.histogram = {{20, 20}, {0}, {3}};
  r.calibration = {{20, 0, 3, 20, 20}};
  r.segments = {{"x", 3, 20, 0, 0, {kNaN, 0, 1, 0, 3, false}}};
  return r;
}

cal::DiffReport diff() {
  cal::DiffReport d;
  d.old_model = sample();
  d.new_model = sample();
  d.old_model.model_name = "v1";
  d.new_model.model_name = "v2";
  d.old_model.auc = {0.71, 0.67, 0.75, 100, 900, true};
  d.new_model.auc = {0.76, 0.72, 0.80, 100, 900, true};
  d.old_bands = {"Hot", "Cold"};
  d.new_bands = {"Hot", "Warm", "Cold"};
  d.migration = {{"Hot", "Hot", 40, 20, 0.5},
                 {"Hot", "Warm", 7, 2, 2.0 / 7},
                 {"Cold", "Hot", 3, 2, 2.0 / 3},
                 {"Cold", "Cold", 945, 76, 0.08},
                 {"Legacy", "Cold", 5, 0, 0}};
  d.moved = {{"m<1>", "Hot", "Warm", 72, 55, true}, {"m2", "Cold", "Hot", 30, 71, false}};
  d.moved_total = 10;
  return d;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// From the last `<tr` before `needle` to the end of that row.
std::string row_with(const std::string& html, const std::string& needle) {
  const auto at = html.find(needle);
  if (at == std::string::npos) return {};
  const auto start = html.rfind("<tr", at);
  return html.substr(start, html.find("</tr>", at) + 5 - start);
}

// Checks that the chart elements nest properly, are closed, sit inside an <svg>, and carry only
// plain finite numbers in their geometry. Returns what is wrong, or "" when nothing is; counts the
// <svg> elements in `svgs`.
std::string svg_problem(const std::string& html, int& svgs) {
  static const std::set<std::string> tracked{"svg",  "g",        "path",   "rect", "line",
                                             "text", "polyline", "circle", "title"};
  static const std::set<std::string> geometry{"x",      "y",      "x1", "y1",     "x2",
                                              "y2",     "cx",     "cy", "r",      "width",
                                              "height", "points", "d",  "viewBox"};
  static const std::regex attribute(R"(([A-Za-z][A-Za-z0-9-]*)="([^"]*)\")");
  static const std::regex plain_numbers(R"(^[-0-9. ,]*$)");
  std::vector<std::string> open;
  svgs = 0;
  for (std::size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    const bool closing = html.compare(at + 1, 1, "/") == 0;
    std::size_t name_end = at + 1 + closing;
    while (name_end < html.size() && std::isalpha(static_cast<unsigned char>(html[name_end])))
      ++name_end;
    const std::string name = html.substr(at + 1 + closing, name_end - at - 1 - closing);
    const std::size_t end = html.find('>', at);
    if (end == std::string::npos) return "unterminated tag at " + std::to_string(at);
    const bool inside_svg = !open.empty();
    // <title> is only an SVG element inside an <svg>; the page has its own in <head>.
    if (!tracked.count(name) || (name == "title" && !inside_svg)) continue;
    if (closing) {
      if (open.empty() || open.back() != name) return "unexpected </" + name + ">";
      open.pop_back();
      continue;
    }
    if (name == "svg") {
      if (inside_svg) return "nested <svg>";
      ++svgs;
    } else if (!inside_svg) {
      return "<" + name + "> outside an <svg>";
    }
    const std::string tag = html.substr(at, end - at);
    for (std::sregex_iterator it(tag.begin(), tag.end(), attribute), last; it != last; ++it) {
      const std::string key = (*it)[1], value = (*it)[2];
      if (!geometry.count(key)) continue;
      if (!std::regex_match(value, plain_numbers)) return key + "=\"" + value + "\"";
      if ((key == "width" || key == "height" || key == "r") && value.starts_with("-"))
        return "negative " + key;
    }
    if (html[end - 1] != '/') open.push_back(name);
  }
  return open.empty() ? "" : "<" + open.back() + "> never closed";
}

void check_clean(const std::string& html, int min_svgs) {
  std::string lower = html;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  CHECK_FALSE(contains(lower, "nan"));
  CHECK_FALSE(contains(lower, "inf"));
  int svgs = 0;
  CHECK(svg_problem(html, svgs) == "");
  CHECK(svgs >= min_svgs);
  CHECK(html.starts_with("<!DOCTYPE html>\n"));
  CHECK(html.ends_with("</html>\n"));
}

// Makes the global C++ locale write decimal commas and group with dots, for one test.
struct CommaDecimals : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return '.'; }
  std::string do_grouping() const override { return "\3"; }
};
struct GlobalLocale {
  explicit GlobalLocale(const std::locale& l) : saved(std::locale::global(l)) {}
  ~GlobalLocale() { std::locale::global(saved); }
  std::locale saved;
};

}  // namespace

TEST_SUITE("calibration_html") {
  TEST_CASE("the page is one self-contained HTML5 document without scripts or links") {
    for (const std::string& html : {render_calibration_html(sample()), render_diff_html(diff())}) {
      CHECK(html.starts_with("<!DOCTYPE html>"));
      CHECK(contains(html, "<meta charset=\"utf-8\">"));
      CHECK(contains(html, "<style>"));
      std::string rest =
          std::regex_replace(html, std::regex("xmlns=\"http://www.w3.org/2000/svg\""), "");
      CHECK_FALSE(contains(rest, "http://"));
      CHECK_FALSE(contains(rest, "https://"));
      CHECK_FALSE(contains(rest, "<script"));
      CHECK_FALSE(contains(rest, "javascript:"));
      CHECK_FALSE(contains(rest, "<link"));
      CHECK_FALSE(contains(rest, "@import"));
      CHECK_FALSE(contains(rest, "url("));
      CHECK_FALSE(contains(rest, "src="));
      CHECK_FALSE(std::regex_search(rest, std::regex(R"(\son[a-z]+=)")));
    }
  }

  TEST_CASE("all text from the report is escaped, quotes included") {
    const std::string html = render_calibration_html(sample());
    CHECK(contains(html, "<code>&lt;b&gt;&amp;&quot;x&quot;</code>"));
    CHECK_FALSE(contains(html, "<b>"));
    CHECK_FALSE(contains(html, "&\"x\""));
    CHECK(contains(html, "<td>o&#39;neil &quot;7&quot;</td>"));
    CHECK_FALSE(contains(html, "o'neil"));
    // The replay command quotes the id for the shell, then for HTML.
    CHECK(contains(html, "leadscore replay --lead &#39;o&#39;\\&#39;&#39;neil &quot;7&quot;&#39;"));
    CHECK(contains(html, "leadscore replay --lead L-2</code>"));
    CHECK(contains(html, "Acme &lt;B2B&gt;"));
    CHECK(contains(html, "&lt;EU&gt;"));
    CHECK(contains(html, "lost &quot;price&quot;"));
    CHECK(contains(html, ">Hot &amp; ready</text>"));  // the band name in the chart too
    // Every ampersand left starts an entity: nothing slipped through unescaped.
    CHECK_FALSE(std::regex_search(html, std::regex("&(?!(amp|lt|gt|quot|#39);)")));
  }

  TEST_CASE("flagged and strongly mis-weighted rules get a highlighted row and a sentence") {
    const std::string html = render_calibration_html(sample());
    CHECK(row_with(html, "<td><code>dead_rule</code>").starts_with("<tr class=\"flag\">"));
    CHECK(contains(row_with(html, "<td><code>dead_rule</code>"), "never fires"));
    CHECK(contains(html, "<li><code>dead_rule</code> never gave points to any of the 1,000 leads"));
    CHECK(row_with(html, "<td><code>free_email</code>").starts_with("<tr class=\"flag\">"));
    CHECK(contains(html,
                   "<code>free_email</code> gives +3 but its leads convert at 0.6x the base "
                   "rate: the history suggests -4, the opposite direction."));
    CHECK(contains(html,
                   "<code>pricing_page</code> gives +5 but its leads convert at 2.1x the base "
                   "rate: the history suggests +12."));
    CHECK(row_with(html, "<td><code>pricing_page</code>").starts_with("<tr class=\"adjust\">"));
    // Close to its suggestion: a plain row, no sentence.
    CHECK(row_with(html, "<td><code>webinar</code>").starts_with("<tr><td>"));
    CHECK_FALSE(contains(html, "<code>webinar</code> gives"));
    CHECK(contains(html, "converged in 7 iterations"));
    CHECK_FALSE(contains(html, "unreliable"));
  }

  TEST_CASE("a fit that did not converge shows its message and calls the suggestions unreliable") {
    cal::CalibrationReport r = sample();
    r.fit.converged = false;
    r.fit.message = "stopped after 50 iterations";
    const std::string html = render_calibration_html(r);
    CHECK(contains(html, "The fit did not converge:</strong> stopped after 50 iterations."));
    CHECK(contains(html, "The suggested points are unreliable"));
    // Advice that rests on the fit is withheld; a rule that never fires needs no fit.
    CHECK_FALSE(contains(html, "the history suggests"));
    CHECK(contains(html, "<code>dead_rule</code> never gave points"));
  }

  TEST_CASE("an undefined AUC reads n/a, a defined one its value and interval") {
    cal::CalibrationReport r = sample();
    const std::string defined = render_calibration_html(r);
    CHECK(contains(defined, "<div class=\"v\">0.78</div><div class=\"k\">AUC"));
    CHECK(contains(defined, "95% CI 0.74\u20130.82"));
    CHECK(contains(row_with(defined, "<td>US</td>"), "<td class=\"n\">n/a</td>"));
    r.auc = {0.5, 0, 1, 0, 1000, false};  // `defined` rules, whatever the value says
    const std::string html = render_calibration_html(r);
    CHECK(contains(html, "<div class=\"v\">n/a</div><div class=\"k\">AUC"));
    CHECK_FALSE(contains(html, "95% CI"));
  }

  TEST_CASE("before-outcome scoring is flagged at the top; as-of scoring states its dates") {
    cal::CalibrationReport r = sample();
    std::string html = render_calibration_html(r);
    const auto warning = html.find("<div class=\"warn\" role=\"note\"><strong>Read with care");
    REQUIRE(warning != std::string::npos);
    CHECK(warning < html.find("<h2>"));
    const auto note = html.find(r.mode_note);
    CHECK((note > warning && note < html.find("</div>", warning)));

    r.mode = {cal::BacktestMode::Kind::as_of, 1735689600000, 90LL * 86'400'000};
    r.mode_note.clear();
    html = render_calibration_html(r);
    CHECK_FALSE(contains(html, "Read with care"));
    CHECK(contains(html, "Scored as of 2025-01-01T00:00:00Z"));
    CHECK(contains(html, "won within 90 days"));
  }

  TEST_CASE("charts are balanced SVG with plain finite coordinates") {
    const std::string html = render_calibration_html(sample());
    check_clean(html, 4);
    CHECK(contains(html, "<polyline class=\"curve\""));
    CHECK(contains(html, "class=\"diag\""));  // the ROC diagonal

    // The checker itself catches what it is for.
    int svgs = 0;
    CHECK(svg_problem("<svg><g><rect/></svg>", svgs) == "unexpected </svg>");
    CHECK(svg_problem("<svg><text>a</text>", svgs) == "<svg> never closed");
    CHECK(svg_problem("<rect x=\"1\"/>", svgs) == "<rect> outside an <svg>");
    CHECK(svg_problem("<svg><line x1=\"nan\"/></svg>", svgs) == "x1=\"nan\"");
    CHECK(svg_problem("<svg><rect width=\"-2\"/></svg>", svgs) == "negative width");
    CHECK(svg_problem("<svg><g></g><polyline points=\"1,2 3,4\"/></svg>", svgs) == "");
  }

  TEST_CASE("degenerate reports give complete pages without NaN, infinity or broken SVG") {
    SUBCASE("no leads") {
      const std::string html = render_calibration_html(no_leads());
      check_clean(html, 0);
      CHECK(contains(html, "No ROC curve"));
      CHECK(contains(html, "<div class=\"v\">n/a</div><div class=\"k\">Best F1 threshold"));
      CHECK(contains(html, "<div class=\"k\">KS</div><div class=\"s\">needs converted"));
      CHECK(contains(html, "only one class: nothing to fit. The suggested points are unreliable"));
      CHECK(contains(html, "No lead was scored: there is no history to judge the rules by."));
    }
    SUBCASE("one class and one distinct score") {
      const std::string html = render_calibration_html(one_class());
      check_clean(html, 3);  // histogram, bands and calibration; no ROC
      CHECK(contains(html, "No ROC curve"));
    }
    SUBCASE("a histogram and curves with broken sizes and undefined values") {
      cal::CalibrationReport r = one_class();
      r.histogram = {{}, {1, 2}, {3}};
      r.roc = {{kNaN, kInf, kNaN}};
      r.base_rate = kNaN;
      r.calibration = {{kInf, kNaN, 3, 0, 0}};
      check_clean(render_calibration_html(r), 4);
    }
    SUBCASE("an empty diff") {
      const std::string html = render_diff_html(cal::DiffReport{});
      check_clean(html, 0);
      CHECK(contains(html, "No lead was scored by both models."));
      CHECK(contains(html, "No lead changed band."));
    }
  }

  TEST_CASE("numbers ignore the global C++ locale") {
    const GlobalLocale comma(std::locale(std::locale::classic(), new CommaDecimals));
    const std::string html = render_calibration_html(sample());
    CHECK(contains(html, ">0.78<"));
    CHECK(contains(html, ">10.0%<"));
    CHECK(contains(html, ">1,000<"));
    CHECK_FALSE(contains(html, "0,78"));
    CHECK_FALSE(contains(html, "1.000"));
  }

  TEST_CASE("number text and chart primitives stay plain and finite") {
    using namespace leadscore::cli::html;
    CHECK(fixed(2.345, 1) == "2.3");
    CHECK(fixed(-0.0001, 2) == "0.00");
    CHECK(fixed(kNaN, 2) == "n/a");
    CHECK(fixed(-kInf, 2) == "n/a");
    CHECK(trimmed(2.50) == "2.5");
    CHECK(trimmed(12.0) == "12");
    CHECK(percent(0.125) == "12.5%");
    CHECK(percent(kNaN) == "n/a");
    CHECK(count(0) == "0");
    CHECK(count(999) == "999");
    CHECK(count(1234567) == "1,234,567");
    CHECK(nice_top(0.13) == doctest::Approx(0.2));
    CHECK(nice_top(0) == 1);
    CHECK(fraction(5, 3, 3) == 0);
    CHECK(fraction(kNaN, 0, 1) == 0);
    // Chart primitives never write a negative size or a non-number, whatever they are given.
    CHECK(rect(1, kNaN, -5, -2, "won") ==
          "<rect class=\"won\" x=\"1.0\" y=\"0\" width=\"0.0\" height=\"0.0\"/>\n");
    CHECK(line(kInf, 2, 3, 4, "grid") ==
          "<line class=\"grid\" x1=\"0\" y1=\"2.0\" x2=\"3.0\" y2=\"4.0\"/>\n");
  }

  TEST_CASE("the diff page shows both AUCs, the migration matrix and the moved leads") {
    const std::string html = render_diff_html(diff());
    check_clean(html, 0);
    CHECK(contains(html, "<div class=\"v\">0.71</div><div class=\"k\">AUC old"));
    CHECK(contains(html, "<div class=\"v\">0.76</div><div class=\"k\">AUC new"));
    CHECK(contains(html, "<div class=\"v\">+0.05</div><div class=\"k\">AUC change"));
    CHECK(contains(html,
                   "<th>Old band \u2193 / new band \u2192</th><th class=\"n\">Hot</th><th "
                   "class=\"n\">Warm</th><th class=\"n\">Cold</th>"));
    // Each row lists its cells in column order: Hot, Warm, Cold.
    const std::regex cell(R"(<td class="n( same)?">(<strong>([0-9,]+)</strong><br>([0-9.]+%))?)");
    auto cells = [&](const std::string& band) {
      const std::string r = row_with(html, "<th scope=\"row\">" + band + "</th>");
      std::vector<std::string> out;
      for (std::sregex_iterator it(r.begin(), r.end(), cell), end; it != end; ++it)
        out.push_back((*it)[3].matched ? std::string((*it)[3]) + " " + std::string((*it)[4]) : "-");
      return out;
    };
    CHECK(cells("Hot") == std::vector<std::string>{"40 50.0%", "7 28.6%", "-"});
    CHECK(cells("Cold") == std::vector<std::string>{"3 66.7%", "-", "945 8.0%"});
    CHECK(cells("Legacy") == std::vector<std::string>{"-", "-", "5 0.0%"});
    CHECK(
        contains(row_with(html, "<th scope=\"row\">Hot</th>"), "<td class=\"n same\"><strong>40"));
    CHECK(contains(html, "The 2 largest score changes among the 10 leads that changed band."));
    CHECK(row_with(html, "<td>m&lt;1&gt;</td>") ==
          "<tr><td>m&lt;1&gt;</td><td>Hot</td><td>Warm</td><td class=\"n\">72</td><td "
          "class=\"n\">55</td><td class=\"n\">-17</td><td>yes</td></tr>");
  }
}
