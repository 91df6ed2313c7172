// Penalised logistic regression by Newton's method with step halving.
//
// Parameters are theta = (intercept, w_0 .. w_{k-1}); index 0 is the intercept and feature j
// lives at index j + 1. We maximise
//   l(theta) = sum_i [y_i eta_i - log(1 + e^eta_i)] - (lambda / 2) |w|^2,  eta_i = b + x_i . w
// whose gradient is X~^T (y - p) - lambda (0, w) and whose negated Hessian is
// X~^T diag(p (1 - p)) X~ + lambda diag(0, 1, .., 1), X~ being X with a leading column of ones.
#include "engine/calibration/logistic.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace leadscore::calibration {

void SparseMatrix::add_row(std::span<const std::pair<std::uint32_t, double>> entries) {
  if (offsets.empty()) offsets.push_back(0);
  for (const auto& [column, value] : entries) {
    columns.push_back(column);
    values.push_back(value);
  }
  offsets.push_back(columns.size());
}

namespace {

void validate(const SparseMatrix& x, std::span<const std::uint8_t> y, const LogisticOptions& o) {
  if (x.offsets.empty() || x.offsets.front() != 0 || x.offsets.back() != x.columns.size() ||
      x.columns.size() != x.values.size()) {
    throw std::invalid_argument("fit_logistic: offsets, columns and values do not agree");
  }
  if (!std::is_sorted(x.offsets.begin(), x.offsets.end())) {
    throw std::invalid_argument("fit_logistic: row offsets must not decrease");
  }
  for (std::size_t e = 0; e < x.columns.size(); ++e) {
    if (x.columns[e] >= x.cols) throw std::invalid_argument("fit_logistic: column out of range");
    if (!std::isfinite(x.values[e])) {
      throw std::invalid_argument("fit_logistic: feature values must be finite");
    }
  }
  if (x.rows() != y.size()) {
    throw std::invalid_argument("fit_logistic: the matrix and the outcomes differ in row count");
  }
  if (!(o.lambda >= 0) || !std::isfinite(o.lambda)) {
    throw std::invalid_argument("fit_logistic: lambda must be a finite number >= 0");
  }
  if (o.max_iterations <= 0) {
    throw std::invalid_argument("fit_logistic: max_iterations must be positive");
  }
  if (!(o.tolerance >= 0)) throw std::invalid_argument("fit_logistic: tolerance must be >= 0");
}

// log(1 + e^eta) without overflow for large eta or lost digits for very negative eta.
double log1pexp(double eta) {
  return eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta));
}

void linear_predictor(const SparseMatrix& x, const std::vector<double>& theta,
                      std::vector<double>& eta) {
  const std::size_t n = x.rows();
  eta.resize(n);
  for (std::size_t r = 0; r < n; ++r) {
    double s = theta[0];
    for (std::size_t e = x.offsets[r]; e < x.offsets[r + 1]; ++e) {
      s += x.values[e] * theta[x.columns[e] + 1];
    }
    eta[r] = s;
  }
}

double objective(const std::vector<double>& eta, std::span<const std::uint8_t> y,
                 const std::vector<double>& theta, double lambda) {
  double l = 0;
  for (std::size_t r = 0; r < eta.size(); ++r) l += (y[r] ? eta[r] : 0.0) - log1pexp(eta[r]);
  double norm2 = 0;
  for (std::size_t j = 1; j < theta.size(); ++j) norm2 += theta[j] * theta[j];
  return l - 0.5 * lambda * norm2;
}

// Solves A z = b for symmetric positive definite A (row-major, d x d) by Cholesky, A = L L^T.
// Returns false when a pivot is not positive, i.e. A is not (numerically) positive definite.
bool cholesky_solve(std::vector<double> a, std::size_t d, const std::vector<double>& b,
                    std::vector<double>& z) {
  for (std::size_t j = 0; j < d; ++j) {
    double diag = a[j * d + j];
    for (std::size_t k = 0; k < j; ++k) diag -= a[j * d + k] * a[j * d + k];
    if (!(diag > 0)) return false;
    const double ljj = std::sqrt(diag);
    a[j * d + j] = ljj;
    for (std::size_t i = j + 1; i < d; ++i) {
      double s = a[i * d + j];
      for (std::size_t k = 0; k < j; ++k) s -= a[i * d + k] * a[j * d + k];
      a[i * d + j] = s / ljj;
    }
  }
  z = b;
  for (std::size_t i = 0; i < d; ++i) {  // L u = b
    for (std::size_t k = 0; k < i; ++k) z[i] -= a[i * d + k] * z[k];
    z[i] /= a[i * d + i];
  }
  for (std::size_t i = d; i-- > 0;) {  // L^T z = u
    for (std::size_t k = i + 1; k < d; ++k) z[i] -= a[k * d + i] * z[k];
    z[i] /= a[i * d + i];
  }
  return true;
}

// Newton direction H^-1 g. With lambda > 0 the weight block is positive definite, but the
// intercept row can still be nearly singular once every p(1-p) underflows (separated data), and
// with lambda == 0 a feature that is never nonzero leaves a zero row. A growing diagonal jitter
// handles both; it only shortens steps in directions the data does not determine.
std::vector<double> newton_direction(const std::vector<double>& h, std::size_t d,
                                     const std::vector<double>& g) {
  std::vector<double> step;
  if (cholesky_solve(h, d, g, step)) return step;
  double scale = 1;
  for (std::size_t j = 0; j < d; ++j) scale = std::max(scale, std::abs(h[j * d + j]));
  for (double jitter = 1e-12 * scale; jitter < 1e6 * scale; jitter *= 100) {
    std::vector<double> a = h;
    for (std::size_t j = 0; j < d; ++j) a[j * d + j] += jitter;
    if (cholesky_solve(std::move(a), d, g, step)) return step;
  }
  return std::vector<double>(d, 0.0);  // nothing sensible: report a zero step
}

std::string format_step(double step) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", step);
  return buf;
}

}  // namespace

LogisticFit fit_logistic(const SparseMatrix& x, std::span<const std::uint8_t> y,
                         const LogisticOptions& opts) {
  validate(x, y, opts);
  const std::size_t n = x.rows();
  const std::size_t k = x.cols;
  const std::size_t d = k + 1;
  LogisticFit fit;
  fit.weights.assign(k, 0.0);

  std::vector<double> theta(d, 0.0);
  std::vector<double> eta;
  linear_predictor(x, theta, eta);
  double current = objective(eta, y, theta, opts.lambda);

  const std::size_t positives = static_cast<std::size_t>(
      std::count_if(y.begin(), y.end(), [](std::uint8_t v) { return v != 0; }));
  if (positives == 0 || positives == n) {
    fit.message = n == 0 ? "no rows: nothing to fit" : "only one class: nothing to fit";
    fit.penalized_log_likelihood = current;
    return fit;
  }

  std::vector<double> grad(d);
  std::vector<double> hess(d * d);
  std::vector<double> trial(d);
  std::vector<double> trial_eta;
  double last_step = 0;
  bool stalled = false;
  while (fit.iterations < opts.max_iterations) {
    std::fill(grad.begin(), grad.end(), 0.0);
    std::fill(hess.begin(), hess.end(), 0.0);
    for (std::size_t r = 0; r < n; ++r) {
      // p and 1 - p each from their own exponential, so neither loses digits to cancellation.
      const double e = std::exp(-std::abs(eta[r]));
      const double big = 1 / (1 + e);
      const double small = e / (1 + e);
      const double p = eta[r] >= 0 ? big : small;
      const double wt = big * small;  // p (1 - p)
      const double resid = (y[r] ? 1.0 : 0.0) - p;
      grad[0] += resid;
      hess[0] += wt;
      const std::size_t begin = x.offsets[r];
      const std::size_t end = x.offsets[r + 1];
      for (std::size_t a = begin; a < end; ++a) {
        const std::size_t ca = x.columns[a] + 1;
        const double va = x.values[a];
        grad[ca] += resid * va;
        hess[ca] += wt * va;  // row 0 (intercept) against feature ca
        hess[ca * d + ca] += wt * va * va;
        // Cross terms go to the upper triangle only; a repeated column is its own cross term
        // and, as in (u + v)^2, counts twice.
        for (std::size_t b = a + 1; b < end; ++b) {
          const std::size_t cb = x.columns[b] + 1;
          const double prod = wt * va * x.values[b];
          if (ca == cb) {
            hess[ca * d + ca] += 2 * prod;
          } else {
            hess[std::min(ca, cb) * d + std::max(ca, cb)] += prod;
          }
        }
      }
    }
    for (std::size_t j = 1; j < d; ++j) {
      grad[j] -= opts.lambda * theta[j];
      hess[j * d + j] += opts.lambda;
    }
    for (std::size_t i = 0; i < d; ++i) {
      for (std::size_t j = i + 1; j < d; ++j) hess[j * d + i] = hess[i * d + j];
    }

    const std::vector<double> step = newton_direction(hess, d, grad);
    last_step = 0;
    for (double s : step) last_step = std::max(last_step, std::abs(s));
    ++fit.iterations;

    // Step halving: accept the first fraction of the step that does not lower the objective.
    // The slack forgives rounding noise near the optimum, where the true change is ~0.
    const double slack = 1e-12 * std::max(1.0, std::abs(current));
    bool accepted = false;
    double t = 1;
    for (int halvings = 0; halvings < 60 && !accepted; ++halvings, t *= 0.5) {
      for (std::size_t j = 0; j < d; ++j) trial[j] = theta[j] + t * step[j];
      linear_predictor(x, trial, trial_eta);
      const double value = objective(trial_eta, y, trial, opts.lambda);
      if (value >= current - slack) {
        theta.swap(trial);
        eta.swap(trial_eta);
        current = value;
        accepted = true;
      }
    }
    if (last_step < opts.tolerance) {
      fit.converged = true;
      break;
    }
    if (!accepted) {
      stalled = true;
      break;
    }
  }

  fit.intercept = theta[0];
  std::copy(theta.begin() + 1, theta.end(), fit.weights.begin());
  fit.penalized_log_likelihood = current;
  const std::string iterations =
      std::to_string(fit.iterations) + (fit.iterations == 1 ? " iteration" : " iterations");
  if (fit.converged) {
    fit.message = "converged in " + iterations;
  } else if (stalled) {
    fit.message = "stopped after " + iterations + ": no step improves the fit (last step " +
                  format_step(last_step) + ")";
  } else {
    fit.message =
        "did not converge in " + iterations + " (last step " + format_step(last_step) + ")";
  }
  return fit;
}

std::vector<double> rescale_to_points(std::span<const double> weights,
                                      std::span<const double> current_points) {
  if (weights.size() != current_points.size()) {
    throw std::invalid_argument("rescale_to_points: " + std::to_string(weights.size()) +
                                " weights but " + std::to_string(current_points.size()) +
                                " point values");
  }
  double weight_total = 0;
  double point_total = 0;
  for (double w : weights) weight_total += std::abs(w);
  for (double p : current_points) point_total += std::abs(p);
  std::vector<double> out(weights.size(), 0.0);
  if (weight_total == 0 || point_total == 0) return out;
  const double c = point_total / weight_total;
  for (std::size_t j = 0; j < weights.size(); ++j) out[j] = c * weights[j];
  return out;
}

}  // namespace leadscore::calibration
