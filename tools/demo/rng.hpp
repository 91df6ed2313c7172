// The only source of randomness of the demo generator. Its files must be byte-identical for the
// same arguments on every platform, so every draw goes through std::mt19937_64 (whose output
// sequence the C++ standard pins down) and then through integer arithmetic only: the
// std::*_distribution classes are implemented differently by each standard library, and floating
// point may round differently between compilers and CPUs, so neither is used anywhere.
// Header-only: the helpers are small and called in the inner loops of the activity simulation.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>

namespace leadscore::demo {

// All draws of the generator. Integer arithmetic only, so results do not depend on the
// platform's floating point.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, n), n > 0, without modulo bias: raw values in the incomplete last block are
  // drawn again.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t limit = max - (max % n + 1) % n;  // values above it are redrawn
    std::uint64_t x = engine_();
    while (x > limit) x = engine_();
    return x % n;
  }

  // Uniform in [lo, hi], lo <= hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // True with probability ppm / 1 000 000.
  bool chance_ppm(std::int64_t ppm) { return static_cast<std::int64_t>(below(1000000)) < ppm; }
  // True with probability permille / 1000.
  bool chance(std::int64_t permille) { return chance_ppm(permille * 1000); }

  // Roughly normal with mean 0 and standard deviation 1000 (the sum of twelve uniforms,
  // centred: Irwin-Hall).
  std::int64_t normal_milli() {
    std::int64_t sum = 0;
    for (int i = 0; i < 12; ++i) sum += static_cast<std::int64_t>(below(1000));
    return sum - 5994;
  }

  // Poisson-like count with mean mean_milli / 1000: the number of successes in 64 trials
  // (binomial, close to Poisson for means well below 64).
  int count(std::int64_t mean_milli) {
    const std::int64_t ppm = std::min<std::int64_t>(mean_milli * 1000 / 64, 1000000);
    int n = 0;
    for (int i = 0; i < 64; ++i) n += chance_ppm(ppm) ? 1 : 0;
    return n;
  }

  // An index drawn with the given integer weights.
  std::size_t weighted(std::initializer_list<int> weights) {
    return weighted(weights.begin(), weights.size());
  }
  std::size_t weighted(const int* weights, std::size_t size) {
    std::int64_t total = 0;
    for (std::size_t i = 0; i < size; ++i) total += weights[i];
    std::int64_t x = static_cast<std::int64_t>(below(static_cast<std::uint64_t>(total)));
    for (std::size_t i = 0; i < size; ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return size - 1;
  }

  template <class T, std::size_t N>
  const T& one_of(const std::array<T, N>& items) {
    return items[below(N)];
  }

 private:
  std::mt19937_64 engine_;
};

// Seeds one lead's generator from the run's seed and the lead's number, so a lead's data does
// not depend on how many leads come after it (splitmix64 finaliser).
inline std::uint64_t lead_seed(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

inline std::int64_t clamp64(std::int64_t v, std::int64_t lo, std::int64_t hi) {
  return std::max(lo, std::min(hi, v));
}

}  // namespace leadscore::demo
