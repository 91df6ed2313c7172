// L2-regularised logistic regression for calibrating rule points against real outcomes: few
// features (one per rule, typically 5-100) over many leads (up to about a million).
//
// Features are meant to be each rule's contribution for the lead divided by that rule's largest
// absolute contribution, so a feature is 1 when the rule fires fully and a fitted weight reads as
// "log-odds of converting per full firing of the rule". Most rules do not fire for most leads,
// hence the sparse rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace leadscore::calibration {

// Rows in compressed sparse row (CSR) form: row r holds the entries
// (columns[e], values[e]) for e in [offsets[r], offsets[r + 1]). Three flat vectors instead of a
// vector per row, so a million rows cost three allocations rather than a million. A column that
// appears twice in one row counts as the sum of its values; absent columns are 0.
struct SparseMatrix {
  std::size_t cols = 0;                 // number of features k
  std::vector<std::size_t> offsets{0};  // rows() + 1 entries, starting at 0
  std::vector<std::uint32_t> columns;   // each < cols
  std::vector<double> values;           // finite

  std::size_t rows() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  // Appends one row given as (column, value) pairs, in any column order.
  void add_row(std::span<const std::pair<std::uint32_t, double>> entries);
};

struct LogisticOptions {
  double lambda = 1.0;  // penalty (lambda / 2) * sum of squared weights; never on the intercept
  int max_iterations = 50;
  double tolerance = 1e-8;  // converged once the largest |Newton step| component is below this
};

struct LogisticFit {
  double intercept = 0;
  std::vector<double> weights;  // one per column
  int iterations = 0;           // Newton steps taken
  bool converged = false;
  std::string message;  // e.g. "converged in 7 iterations", "only one class: nothing to fit"
  // sum_i [y_i * eta_i - log(1 + exp(eta_i))] - (lambda / 2) * |w|^2 at the returned parameters.
  double penalized_log_likelihood = 0;
};

// Newton's method (IRLS): each iteration accumulates the gradient and the dense (k+1)x(k+1)
// Hessian from each row's nonzeros, O(sum over rows of nnz^2), and solves by Cholesky. The ridge
// keeps the weight block positive definite, so perfectly separated data still has a finite
// optimum; a step that would lower the penalised log-likelihood is halved until it does not, so
// the fit never diverges.
//
// y[i] != 0 means row i converted. With no rows or only one class there is nothing to fit (the
// unpenalised intercept would run to infinity): all parameters are 0 and converged is false.
// Throws std::invalid_argument on a malformed matrix, a row count different from y's, a negative
// or non-finite lambda, or a non-positive max_iterations.
LogisticFit fit_logistic(const SparseMatrix& x, std::span<const std::uint8_t> y,
                         const LogisticOptions& opts = {});

// Suggested points per rule from fitted weights: c * w_j for one positive factor c chosen so that
// sum |c * w_j| equals sum |current_points_j|, i.e. the suggestion spans the same total point
// range as the current model while keeping the weights' proportions and signs. All zeros when
// every weight (or every current point value) is 0. The spans must have the same length
// (std::invalid_argument otherwise).
std::vector<double> rescale_to_points(std::span<const double> weights,
                                      std::span<const double> current_points);

}  // namespace leadscore::calibration
