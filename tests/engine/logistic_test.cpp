// Penalised logistic regression: closed forms, optimality conditions worked out by hand, and
// recovery of known weights from simulated leads.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/calibration/logistic.hpp"

namespace cal = leadscore::calibration;

namespace {

using Entry = std::pair<std::uint32_t, double>;

// Uniform in [0, 1) from the top 53 bits. The standard distributions may differ between library
// implementations; mt19937_64's raw output does not, so the data is the same everywhere.
double uniform(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

double sigmoid(double eta) {
  return 1 / (1 + std::exp(-eta));
}

// Gradient of the penalised log-likelihood, written out independently of the fitter:
// d/db = sum (y - p), d/dw_j = sum (y - p) x_j - lambda w_j.
std::vector<double> gradient(const cal::SparseMatrix& x, const std::vector<std::uint8_t>& y,
                             const cal::LogisticFit& fit, double lambda) {
  std::vector<double> g(x.cols + 1, 0.0);
  for (std::size_t r = 0; r < x.rows(); ++r) {
    double eta = fit.intercept;
    for (std::size_t e = x.offsets[r]; e < x.offsets[r + 1]; ++e) {
      eta += x.values[e] * fit.weights[x.columns[e]];
    }
    const double resid = y[r] - sigmoid(eta);
    g[0] += resid;
    for (std::size_t e = x.offsets[r]; e < x.offsets[r + 1]; ++e) {
      g[x.columns[e] + 1] += resid * x.values[e];
    }
  }
  for (std::size_t j = 0; j < x.cols; ++j) g[j + 1] -= lambda * fit.weights[j];
  return g;
}

// One binary feature: `n` rows per (x, y) combination given as {x0y0, x0y1, x1y0, x1y1}.
void binary_groups(const int (&n)[4], cal::SparseMatrix& x, std::vector<std::uint8_t>& y) {
  x = cal::SparseMatrix{};
  x.cols = 1;
  y.clear();
  const Entry one[] = {{0, 1.0}};
  for (int cell = 0; cell < 4; ++cell) {
    for (int i = 0; i < n[cell]; ++i) {
      x.add_row(cell >= 2 ? std::span<const Entry>(one) : std::span<const Entry>());
      y.push_back(cell % 2);
    }
  }
}

// A small mixed data set: three sparse features, some rows with none.
void small_mixed(cal::SparseMatrix& x, std::vector<std::uint8_t>& y, bool reversed) {
  std::mt19937_64 rng(7);
  std::vector<std::vector<Entry>> rows;
  std::vector<std::uint8_t> labels;
  for (int r = 0; r < 300; ++r) {
    std::vector<Entry> row;
    double eta = -0.5;
    if (uniform(rng) < 0.4) row.push_back({0, 1.0}), eta += 1.2;
    if (uniform(rng) < 0.3) row.push_back({2, 0.5}), eta -= 0.4;
    if (uniform(rng) < 0.5) {
      const double v = uniform(rng);
      row.push_back({1, v});
      eta += 0.8 * v;
    }
    rows.push_back(row);
    labels.push_back(uniform(rng) < sigmoid(eta) ? 1 : 0);
  }
  x = cal::SparseMatrix{};
  x.cols = 3;
  y.clear();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::size_t r = reversed ? rows.size() - 1 - i : i;
    x.add_row(rows[r]);
    y.push_back(labels[r]);
  }
}

}  // namespace

TEST_SUITE("logistic") {
  TEST_CASE("one binary feature without penalty matches the log odds") {
    // x = 0: 30 converted of 100 -> intercept = log(30/70) = log(3/7) = -0.8472979.
    // x = 1: 60 converted of 80  -> log odds log(60/20) = log 3; weight = log 3 - log(3/7)
    //        = log 7 = 1.9459101 (the log odds ratio).
    cal::SparseMatrix x;
    std::vector<std::uint8_t> y;
    binary_groups({70, 30, 20, 60}, x, y);
    const cal::LogisticFit fit = cal::fit_logistic(x, y, {.lambda = 0.0});
    CHECK(fit.converged);
    CHECK(fit.message == "converged in " + std::to_string(fit.iterations) + " iterations");
    CHECK(fit.intercept == doctest::Approx(std::log(3.0 / 7.0)).epsilon(1e-6));
    CHECK(fit.weights.at(0) == doctest::Approx(std::log(7.0)).epsilon(1e-6));
    // At the optimum the log-likelihood is that of the group rates:
    // 30 log 0.3 + 70 log 0.7 + 60 log 0.75 + 20 log 0.25.
    const double expected =
        30 * std::log(0.3) + 70 * std::log(0.7) + 60 * std::log(0.75) + 20 * std::log(0.25);
    CHECK(fit.penalized_log_likelihood == doctest::Approx(expected).epsilon(1e-9));
  }

  TEST_CASE("perfect separation converges to finite weights thanks to the ridge") {
    // y = x, ten rows each. Setting the gradient to zero:
    //   d/db: -10 s(b) + 10 s(-(b + w)) = 0  ->  b = -w/2 (by symmetry)
    //   d/dw:  10 s(-(b + w)) - lambda w = 0 ->  w = 10 s(-w/2) = 10 / (1 + e^(w/2)) with lambda 1
    cal::SparseMatrix x;
    std::vector<std::uint8_t> y;
    binary_groups({10, 0, 0, 10}, x, y);
    const cal::LogisticFit fit = cal::fit_logistic(x, y, {.lambda = 1.0});
    CHECK(fit.converged);
    const double w = fit.weights.at(0);
    CHECK(std::isfinite(w));
    CHECK(w > 0);
    CHECK(w == doctest::Approx(10 / (1 + std::exp(w / 2))).epsilon(1e-9));
    CHECK(fit.intercept == doctest::Approx(-w / 2).epsilon(1e-9));

    // A weaker ridge lets the weight grow, but it stays finite and the fit still converges.
    const cal::LogisticFit weak = cal::fit_logistic(x, y, {.lambda = 1e-3});
    CHECK(weak.converged);
    CHECK(std::isfinite(weak.weights.at(0)));
    CHECK(weak.weights.at(0) > w);
  }

  TEST_CASE("a single class is reported, not fitted") {
    cal::SparseMatrix x;
    std::vector<std::uint8_t> y;
    binary_groups({5, 0, 3, 0}, x, y);  // nobody converted
    const cal::LogisticFit fit = cal::fit_logistic(x, y);
    CHECK_FALSE(fit.converged);
    CHECK(fit.message == "only one class: nothing to fit");
    CHECK(fit.intercept == 0.0);
    CHECK(fit.weights == std::vector<double>{0.0});
    // All eight rows at p = 1/2: 8 * log(1/2).
    CHECK(fit.penalized_log_likelihood == doctest::Approx(8 * std::log(0.5)));
  }

  TEST_CASE("the gradient vanishes at the fit and row order does not matter") {
    cal::SparseMatrix x;
    std::vector<std::uint8_t> y;
    small_mixed(x, y, false);
    const cal::LogisticFit fit = cal::fit_logistic(x, y, {.lambda = 2.0});
    REQUIRE(fit.converged);
    for (double g : gradient(x, y, fit, 2.0)) CHECK(std::abs(g) < 1e-6);

    small_mixed(x, y, true);
    const cal::LogisticFit back = cal::fit_logistic(x, y, {.lambda = 2.0});
    REQUIRE(back.converged);
    CHECK(back.intercept == doctest::Approx(fit.intercept).epsilon(1e-9));
    for (std::size_t j = 0; j < 3; ++j) {
      CHECK(back.weights[j] == doctest::Approx(fit.weights[j]).epsilon(1e-9));
    }
  }

  TEST_CASE("a repeated column in a row counts as the sum of its values") {
    cal::SparseMatrix once;
    cal::SparseMatrix split;
    once.cols = split.cols = 2;
    std::vector<std::uint8_t> y;
    std::mt19937_64 rng(3);
    for (int r = 0; r < 200; ++r) {
      const double a = uniform(rng);
      const double b = uniform(rng);
      const Entry whole[] = {{0, a}, {1, b}};
      const Entry halves[] = {{0, a / 2}, {1, b}, {0, a / 2}};
      once.add_row(whole);
      split.add_row(halves);
      y.push_back(uniform(rng) < sigmoid(2 * a - b) ? 1 : 0);
    }
    const cal::LogisticFit f1 = cal::fit_logistic(once, y);
    const cal::LogisticFit f2 = cal::fit_logistic(split, y);
    CHECK(f1.converged);
    CHECK(f2.converged);
    CHECK(f2.weights[0] == doctest::Approx(f1.weights[0]).epsilon(1e-9));
    CHECK(f2.weights[1] == doctest::Approx(f1.weights[1]).epsilon(1e-9));
  }

  TEST_CASE("recovers generating weights from 100000 simulated leads") {
    // Four rules firing fully (value 1) with different frequencies, one firing partially.
    const double intercept = -1.0;
    const double weights[] = {1.0, -0.5, 2.0, 0.0, -1.5};
    const double fire_rate[] = {0.3, 0.5, 0.1, 0.4, 0.3};
    std::mt19937_64 rng(20240611);
    cal::SparseMatrix x;
    x.cols = 5;
    std::vector<std::uint8_t> y;
    std::vector<Entry> row;
    for (int r = 0; r < 100000; ++r) {
      row.clear();
      double eta = intercept;
      for (std::uint32_t j = 0; j < 5; ++j) {
        if (uniform(rng) >= fire_rate[j]) continue;
        const double v = j == 4 ? 0.25 + 0.75 * uniform(rng) : 1.0;
        row.push_back({j, v});
        eta += weights[j] * v;
      }
      x.add_row(row);
      y.push_back(uniform(rng) < sigmoid(eta) ? 1 : 0);
    }
    const cal::LogisticFit fit = cal::fit_logistic(x, y);
    CHECK(fit.converged);
    CHECK(fit.iterations <= 10);  // Newton with a correct Hessian needs only a handful
    CHECK(fit.intercept == doctest::Approx(intercept).epsilon(0.1));
    for (std::size_t j = 0; j < 5; ++j) {
      CAPTURE(j);
      CHECK(std::abs(fit.weights[j] - weights[j]) < 0.1);
    }
  }

  TEST_CASE("running out of iterations is reported with the last step") {
    cal::SparseMatrix x;
    std::vector<std::uint8_t> y;
    binary_groups({70, 30, 20, 60}, x, y);
    const cal::LogisticFit fit = cal::fit_logistic(x, y, {.lambda = 0.0, .max_iterations = 1});
    CHECK_FALSE(fit.converged);
    CHECK(fit.iterations == 1);
    CHECK(fit.message.rfind("did not converge in 1 iteration (last step ", 0) == 0);
    CHECK(std::isfinite(fit.intercept));
  }

  TEST_CASE("malformed input is rejected") {
    cal::SparseMatrix x;
    x.cols = 1;
    const Entry bad[] = {{1, 1.0}};  // column 1 of a one-column matrix
    x.add_row(bad);
    CHECK_THROWS_AS(cal::fit_logistic(x, std::vector<std::uint8_t>{1}), std::invalid_argument);
    cal::SparseMatrix empty_row;
    empty_row.cols = 1;
    empty_row.add_row({});
    CHECK_THROWS_AS(cal::fit_logistic(empty_row, std::vector<std::uint8_t>{1, 0}),
                    std::invalid_argument);
    CHECK_THROWS_AS(cal::fit_logistic(empty_row, std::vector<std::uint8_t>{1}, {.lambda = -1}),
                    std::invalid_argument);
  }

  TEST_CASE("rescaling weights to points keeps the total point range") {
    // sum |current| = 10 + 5 + 25 = 40, sum |w| = 2 + 1 + 1 = 4 -> c = 10.
    const std::vector<double> w{2, -1, 1};
    const std::vector<double> current{10, -5, 25};
    CHECK(cal::rescale_to_points(w, current) == std::vector<double>{20, -10, 10});

    const std::vector<double> zero{0, 0, 0};
    CHECK(cal::rescale_to_points(zero, current) == zero);
    CHECK_THROWS_AS(cal::rescale_to_points(w, std::vector<double>{1, 2}), std::invalid_argument);
  }
}
