// Calibration metrics on cases small enough to work out by hand; each expected value carries its
// computation. Most cases use the ten leads of `sample` below.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "engine/calibration/metrics.hpp"

namespace cal = leadscore::calibration;

namespace {

// Ten leads, deliberately not in score order. Sorted by score descending, ties by input position:
//   score  9  8  8  7  6  5  5  4  3  1
//   input  2  0  6  8  4  3  7  9  1  5
//   conv   1  0  1  1  0  1  0  0  0  0
// Converted scores {9, 8, 7, 5} (m = 4); not converted {8, 6, 5, 4, 3, 1} (n = 6).
const std::vector<double> sample_scores{8, 3, 9, 5, 6, 1, 8, 5, 7, 4};
const std::vector<std::uint8_t> sample_conv{0, 0, 1, 1, 0, 0, 1, 0, 1, 0};

}  // namespace

TEST_SUITE("calibration_metrics") {
  TEST_CASE("AUC counts ties as one half") {
    // Converted {1, 3} against not converted {1, 2}: 3 beats both (2), 1 ties 1 (0.5) and loses
    // to 2 (0): 2.5 / 4 = 0.625.
    const cal::Auc a =
        cal::roc_auc(std::vector<double>{1, 1, 2, 3}, std::vector<std::uint8_t>{1, 0, 0, 1});
    CHECK(a.defined);
    CHECK(a.value == doctest::Approx(0.625));
    CHECK(a.positives == 2);
    CHECK(a.negatives == 2);

    // The sample: 9 beats all six (6); 8 ties 8 and beats five (5.5); 7 beats five (5); 5 ties 5
    // and beats 4, 3, 1 (3.5). (6 + 5.5 + 5 + 3.5) / 24 = 20 / 24.
    CHECK(cal::roc_auc(sample_scores, sample_conv).value == doctest::Approx(20.0 / 24.0));
  }

  TEST_CASE("AUC edge cases: all equal, separated, one class") {
    // Every pair ties: 0.5. All DeLong components are 0.5, so the variance is 0.
    const cal::Auc equal =
        cal::roc_auc(std::vector<double>{2, 2, 2, 2}, std::vector<std::uint8_t>{1, 0, 1, 0});
    CHECK(equal.value == doctest::Approx(0.5));
    CHECK(equal.ci_low == doctest::Approx(0.5));
    CHECK(equal.ci_high == doctest::Approx(0.5));

    // Every converted lead above every other one: 1, and again zero variance.
    const cal::Auc separated = cal::roc_auc(std::vector<double>{0.9, 0.1, 0.8, 0.2},
                                            std::vector<std::uint8_t>{1, 0, 1, 0});
    CHECK(separated.value == doctest::Approx(1.0));
    CHECK(separated.ci_low == doctest::Approx(1.0));
    CHECK(separated.ci_high == doctest::Approx(1.0));

    const cal::Auc one_class =
        cal::roc_auc(std::vector<double>{1, 2, 3}, std::vector<std::uint8_t>{0, 0, 0});
    CHECK_FALSE(one_class.defined);
    CHECK(std::isnan(one_class.value));
    CHECK(one_class.positives == 0);
    CHECK(one_class.negatives == 3);

    // One converted lead: no sample variance for that class, so the interval is all of [0, 1].
    const cal::Auc single =
        cal::roc_auc(std::vector<double>{3, 1, 2}, std::vector<std::uint8_t>{1, 0, 0});
    CHECK(single.value == doctest::Approx(1.0));
    CHECK(single.ci_low == 0.0);
    CHECK(single.ci_high == 1.0);
  }

  TEST_CASE("DeLong interval by hand") {
    // v10 (per converted lead, share of the six non-converted below it, ties half):
    //   9: 6/6, 8: 5.5/6, 7: 5/6, 5: 3.5/6; mean 5/6.
    //   Deviations 1/6, 1/12, 0, -1/4 -> squares 4/144 + 1/144 + 0 + 9/144 = 14/144;
    //   S10 = (14/144) / 3 = 7/216.
    // v01 (per non-converted lead, share of the four converted above it, ties half), in 24ths:
    //   8: 1.5/4 = 9, 6: 3/4 = 18, 5: 3.5/4 = 21, 4, 3, 1: 24 each; mean 20.
    //   Deviations -11, -2, 1, 4, 4, 4 -> squares 174 / 576; S01 = 174 / 576 / 5 = 29/480.
    // Var = S10/4 + S01/6 = 7/864 + 29/2880 = 157/8640 = 0.0181713;
    // low = 5/6 - 1.959964 * sqrt(0.0181713) = 0.833333 - 0.264205 = 0.569128;
    // high = 0.833333 + 0.264205 > 1, clamped to 1.
    const cal::Auc a = cal::roc_auc(sample_scores, sample_conv);
    CHECK(a.ci_low == doctest::Approx(0.569128).epsilon(1e-5));
    CHECK(a.ci_high == 1.0);
  }

  TEST_CASE("DeLong interval contains the AUC and narrows with more leads") {
    double previous_width = 2;
    for (int copies : {1, 4, 16, 64}) {
      // Repeating the sample keeps the AUC at 5/6 (copies tie with each other, half each way)
      // while both classes grow.
      std::vector<double> s;
      std::vector<std::uint8_t> c;
      for (int k = 0; k < copies; ++k) {
        s.insert(s.end(), sample_scores.begin(), sample_scores.end());
        c.insert(c.end(), sample_conv.begin(), sample_conv.end());
      }
      const cal::Auc a = cal::roc_auc(s, c);
      CAPTURE(copies);
      CHECK(a.value == doctest::Approx(20.0 / 24.0));
      CHECK(a.ci_low <= a.value);
      CHECK(a.value <= a.ci_high);
      const double width = a.ci_high - a.ci_low;
      CHECK(width < previous_width);
      previous_width = width;
    }
  }

  TEST_CASE("ROC curve: one point per distinct score, thinned keeping both ends") {
    // Selecting score >= s, tp over 4 and fp over 6:
    //   start (0, 0); 9: tp 1 fp 0; 8: tp 2 fp 1 (a tie: diagonal); 7: 3, 1; 6: 3, 2;
    //   5: 4, 3 (tie); 4: 4, 4; 3: 4, 5; 1: 4, 6.
    const std::vector<cal::RocPoint> roc = cal::roc_curve(sample_scores, sample_conv);
    REQUIRE(roc.size() == 9);
    CHECK(std::isinf(roc[0].threshold));
    const double fp[] = {0, 0, 1, 1, 2, 3, 4, 5, 6};
    const double tp[] = {0, 1, 2, 3, 3, 4, 4, 4, 4};
    const double threshold[] = {9, 8, 7, 6, 5, 4, 3, 1};
    for (std::size_t i = 0; i < roc.size(); ++i) {
      CAPTURE(i);
      CHECK(roc[i].fpr == doctest::Approx(fp[i] / 6));
      CHECK(roc[i].tpr == doctest::Approx(tp[i] / 4));
      if (i > 0) CHECK(roc[i].threshold == threshold[i - 1]);
    }
    // Trapezoids under the curve give the AUC back: the diagonal segments are the half-ties.
    double area = 0;
    for (std::size_t i = 1; i < roc.size(); ++i) {
      area += (roc[i].fpr - roc[i - 1].fpr) * (roc[i].tpr + roc[i - 1].tpr) / 2;
    }
    CHECK(area == doctest::Approx(20.0 / 24.0));

    // Four of nine points: indices round(i * 8 / 3) = 0, 3, 5, 8 -> start, 7, 5, 1.
    const std::vector<cal::RocPoint> four = cal::roc_curve(sample_scores, sample_conv, 4);
    REQUIRE(four.size() == 4);
    CHECK(four[0].fpr == 0.0);
    CHECK(four[0].tpr == 0.0);
    CHECK(four[1].threshold == 7);
    CHECK(four[2].threshold == 5);
    CHECK(four[3].threshold == 1);
    CHECK(four[3].fpr == 1.0);
    CHECK(four[3].tpr == 1.0);

    CHECK(cal::roc_curve(std::vector<double>{1, 2}, std::vector<std::uint8_t>{1, 1}).empty());
  }

  TEST_CASE("KS statistic") {
    // Fractions scoring <= s (converted over 4, not over 6), |difference|:
    //   1: 0, 1/6 -> 1/6;  3: 0, 2/6 -> 1/3;  4: 0, 3/6 -> 1/2;  5: 1/4, 4/6 -> 5/12;
    //   6: 1/4, 5/6 -> 7/12;  7: 2/4, 5/6 -> 1/3;  8: 3/4, 1 -> 1/4;  9: 1, 1 -> 0.
    const cal::Ks ks = cal::ks_statistic(sample_scores, sample_conv);
    CHECK(ks.value == doctest::Approx(7.0 / 12.0));
    CHECK(ks.at_score == 6);

    // Perfect separation: below 5 every non-converted lead, no converted one -> 1 at 2.
    const cal::Ks sep =
        cal::ks_statistic(std::vector<double>{1, 2, 5, 6}, std::vector<std::uint8_t>{0, 0, 1, 1});
    CHECK(sep.value == doctest::Approx(1.0));
    CHECK(sep.at_score == 2);

    // Scores 1 2 3 4 converted 0 1 0 1: at 1: 0 vs 1/2; at 2: 1/2 vs 1/2; at 3: 1/2 vs 1;
    // at 4: 1 vs 1. The maximum 1/2 is reached at 1 and at 3; the lowest score is reported.
    const cal::Ks twice =
        cal::ks_statistic(std::vector<double>{1, 2, 3, 4}, std::vector<std::uint8_t>{0, 1, 0, 1});
    CHECK(twice.value == doctest::Approx(0.5));
    CHECK(twice.at_score == 1);

    const cal::Ks one =
        cal::ks_statistic(std::vector<double>{1, 2}, std::vector<std::uint8_t>{1, 1});
    CHECK(one.value == 0.0);
    CHECK(std::isnan(one.at_score));
  }

  TEST_CASE("deciles: sizes, lift, gain, and ties split by input position") {
    // Three groups of 10 leads: 4, 3, 3 (the first takes the extra). Overall rate 4/10.
    //   1: 9 8 8 7 -> 3 conversions, rate 0.75, lift 1.875, cumulative 3, gain 3/4
    //   2: 6 5 5   -> 1, rate 1/3, lift (1/3)/0.4 = 0.8333, cumulative 4, gain 1
    //   3: 4 3 1   -> 0, rate 0, lift 0, cumulative 4, gain 1
    const std::vector<cal::Decile> d = cal::deciles(sample_scores, sample_conv, 3);
    REQUIRE(d.size() == 3);
    CHECK(d[0].index == 1);
    CHECK(d[0].leads == 4);
    CHECK(d[0].conversions == 3);
    CHECK(d[0].rate == doctest::Approx(0.75));
    CHECK(d[0].lift == doctest::Approx(1.875));
    CHECK(d[0].cumulative_conversions == 3);
    CHECK(d[0].cumulative_gain == doctest::Approx(0.75));
    CHECK(d[0].max_score == 9);
    CHECK(d[0].min_score == 7);
    CHECK(d[1].leads == 3);
    CHECK(d[1].conversions == 1);
    CHECK(d[1].lift == doctest::Approx(0.833333));
    CHECK(d[1].cumulative_gain == doctest::Approx(1.0));
    CHECK(d[1].max_score == 6);
    CHECK(d[1].min_score == 5);
    CHECK(d[2].index == 3);
    CHECK(d[2].conversions == 0);
    CHECK(d[2].lift == 0.0);
    CHECK(d[2].cumulative_conversions == 4);
    CHECK(d[2].min_score == 1);

    // Four groups: 3, 3, 2, 2. The two 5s straddle groups 2 and 3; input 3 (converted) comes
    // before input 7, so group 2 = {7, 6, 5 conv} has 2 conversions and group 3 = {5, 4} none.
    const std::vector<cal::Decile> q = cal::deciles(sample_scores, sample_conv, 4);
    REQUIRE(q.size() == 4);
    CHECK(q[1].conversions == 2);
    CHECK(q[2].conversions == 0);
    CHECK(q[1].min_score == 5);
    CHECK(q[2].max_score == 5);
    CHECK(q[2].leads == 2);

    // All scores equal: the split is purely by input position.
    const std::vector<cal::Decile> tied =
        cal::deciles(std::vector<double>{1, 1, 1, 1}, std::vector<std::uint8_t>{0, 0, 1, 1}, 2);
    REQUIRE(tied.size() == 2);
    CHECK(tied[0].conversions == 0);
    CHECK(tied[1].conversions == 2);
  }

  TEST_CASE("deciles: fewer leads than groups, one class, bad group count") {
    // Three leads in ten groups: three groups of one, the seven empty ones left out.
    const std::vector<cal::Decile> few =
        cal::deciles(std::vector<double>{0.2, 0.9, 0.5}, std::vector<std::uint8_t>{0, 1, 0});
    REQUIRE(few.size() == 3);
    CHECK(few[0].max_score == 0.9);
    CHECK(few[0].lift == doctest::Approx(3.0));  // rate 1 over overall rate 1/3
    CHECK(few[2].index == 3);
    CHECK(few[2].min_score == 0.2);

    // Nobody converted: lift and gain are 0 rather than 0/0.
    const std::vector<cal::Decile> none =
        cal::deciles(std::vector<double>{1, 2, 3, 4}, std::vector<std::uint8_t>{0, 0, 0, 0}, 2);
    REQUIRE(none.size() == 2);
    CHECK(none[0].lift == 0.0);
    CHECK(none[0].cumulative_gain == 0.0);

    CHECK(cal::deciles({}, {}).empty());
    CHECK_THROWS_AS(cal::deciles(sample_scores, sample_conv, 0), std::invalid_argument);
  }

  TEST_CASE("metrics at a threshold") {
    // score >= 6 selects 9 8 8 7 6: 5 leads, 3 converted. precision 3/5, recall 3/4,
    // F1 = 2*3 / (5 + 4) = 2/3.
    const cal::ThresholdMetrics m = cal::at_threshold(sample_scores, sample_conv, 6);
    CHECK(m.leads_selected == 5);
    CHECK(m.true_positives == 3);
    CHECK(m.positives == 4);
    CHECK_FALSE(m.nothing_selected);
    CHECK(m.precision == doctest::Approx(0.6));
    CHECK(m.recall == doctest::Approx(0.75));
    CHECK(m.f1 == doctest::Approx(2.0 / 3.0));

    const cal::ThresholdMetrics none = cal::at_threshold(sample_scores, sample_conv, 10);
    CHECK(none.nothing_selected);
    CHECK(none.precision == 0.0);
    CHECK(none.recall == 0.0);
    CHECK(none.f1 == 0.0);

    // No positives: recall and F1 are 0, precision 0 of 2.
    const cal::ThresholdMetrics nopos =
        cal::at_threshold(std::vector<double>{1, 2}, std::vector<std::uint8_t>{0, 0}, 0);
    CHECK(nopos.leads_selected == 2);
    CHECK(nopos.recall == 0.0);
    CHECK(nopos.f1 == 0.0);
  }

  TEST_CASE("best F1 over distinct scores") {
    // F1 = 2 tp / (selected + 4) at each threshold:
    //   9: 2/5 = 0.4   8: 4/7 = 0.571   7: 6/8 = 0.75   6: 6/9 = 0.667   5: 8/11 = 0.727
    //   4: 8/12   3: 8/13   1: 8/14.  Best: 7.
    const cal::ThresholdMetrics b = cal::best_f1(sample_scores, sample_conv);
    CHECK(b.threshold == 7);
    CHECK(b.f1 == doctest::Approx(0.75));
    CHECK(b.leads_selected == 4);
    CHECK(b.precision == doctest::Approx(0.75));
    CHECK(b.recall == doctest::Approx(0.75));

    // Scores 4 3 2 1 converted 1 0 0 1: F1 at 4 = 2/(1+2) = 2/3, at 3 = 2/4, at 2 = 2/5,
    // at 1 = 4/(4+2) = 2/3. A tie between 4 and 1 goes to the higher threshold.
    const cal::ThresholdMetrics tie =
        cal::best_f1(std::vector<double>{4, 3, 2, 1}, std::vector<std::uint8_t>{1, 0, 0, 1});
    CHECK(tie.threshold == 4);
    CHECK(tie.f1 == doctest::Approx(2.0 / 3.0));

    CHECK(std::isinf(cal::best_f1({}, {}).threshold));
  }

  TEST_CASE("conversions by band, empty bands included") {
    // Band 0: 2 leads, 1 conversion (rate 1/2, share 1/3); band 2: 3 leads, 2 conversions
    // (rate 2/3, share 2/3); bands 1 and 3 empty.
    const std::vector<std::uint32_t> band{0, 0, 2, 2, 2};
    const std::vector<std::uint8_t> conv{1, 0, 1, 1, 0};
    const std::vector<cal::BandRow> rows = cal::by_band(band, conv, 4);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].leads == 2);
    CHECK(rows[0].rate == doctest::Approx(0.5));
    CHECK(rows[0].share_of_conversions == doctest::Approx(1.0 / 3.0));
    CHECK_FALSE(rows[0].empty);
    CHECK(rows[1].empty);
    CHECK(rows[1].leads == 0);
    CHECK(rows[1].rate == 0.0);
    CHECK(rows[1].share_of_conversions == 0.0);
    CHECK(rows[2].conversions == 2);
    CHECK(rows[2].rate == doctest::Approx(2.0 / 3.0));
    CHECK(rows[2].share_of_conversions == doctest::Approx(2.0 / 3.0));
    CHECK(rows[3].empty);

    const std::vector<std::uint32_t> bad{0, 4};
    CHECK_THROWS_AS(cal::by_band(bad, std::vector<std::uint8_t>{0, 1}, 4), std::out_of_range);
  }

  TEST_CASE("score histogram") {
    // [0, 10] in 4 bins of 2.5: edges 0 2.5 5 7.5 10. 0 and 1 -> bin 0; 2.5 (on an edge) ->
    // bin 1; 5 -> bin 2; 10 (the maximum) -> the last bin 3.
    const cal::Histogram h = cal::score_histogram(std::vector<double>{0, 1, 2.5, 5, 10},
                                                  std::vector<std::uint8_t>{1, 0, 0, 1, 1}, 4);
    CHECK(h.edges == std::vector<double>{0, 2.5, 5, 7.5, 10});
    CHECK(h.converted == std::vector<std::size_t>{1, 0, 1, 1});
    CHECK(h.not_converted == std::vector<std::size_t>{1, 1, 0, 0});

    // All equal: a single bin whose edges are that score.
    const cal::Histogram one =
        cal::score_histogram(std::vector<double>{3, 3, 3}, std::vector<std::uint8_t>{1, 0, 0});
    CHECK(one.edges == std::vector<double>{3, 3});
    CHECK(one.converted == std::vector<std::size_t>{1});
    CHECK(one.not_converted == std::vector<std::size_t>{2});

    CHECK(cal::score_histogram({}, {}).edges.empty());
    CHECK_THROWS_AS(cal::score_histogram(sample_scores, sample_conv, 0), std::invalid_argument);
  }

  TEST_CASE("calibration curve: equal-count bins from the lowest score") {
    // Ascending, ties by input position: 1 3 4 5(conv, input 3) | 5 6 7(conv) | 8 8(conv) 9(conv)
    //   bin 1: mean (1+3+4+5)/4 = 3.25, rate 1/4;  bin 2: mean 18/3 = 6, rate 1/3;
    //   bin 3: mean 25/3, rate 2/3.
    const std::vector<cal::CalibrationBin> c =
        cal::calibration_curve(sample_scores, sample_conv, 3);
    REQUIRE(c.size() == 3);
    CHECK(c[0].leads == 4);
    CHECK(c[0].mean_score == doctest::Approx(3.25));
    CHECK(c[0].observed_rate == doctest::Approx(0.25));
    CHECK(c[0].min_score == 1);
    CHECK(c[0].max_score == 5);
    CHECK(c[1].mean_score == doctest::Approx(6.0));
    CHECK(c[1].observed_rate == doctest::Approx(1.0 / 3.0));
    CHECK(c[2].mean_score == doctest::Approx(25.0 / 3.0));
    CHECK(c[2].observed_rate == doctest::Approx(2.0 / 3.0));

    // Two leads in ten bins: two bins of one.
    CHECK(cal::calibration_curve(std::vector<double>{0.3, 0.1}, std::vector<std::uint8_t>{1, 0})
              .size() == 2);
  }

  TEST_CASE("inputs are checked") {
    const std::vector<double> s{1, 2};
    const std::vector<std::uint8_t> one{1};
    CHECK_THROWS_AS(cal::roc_auc(s, one), std::invalid_argument);
    const std::vector<double> nan{1, std::nan("")};
    CHECK_THROWS_AS(cal::ks_statistic(nan, std::vector<std::uint8_t>{0, 1}), std::invalid_argument);
  }
}
