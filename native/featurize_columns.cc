#include "featurize_columns.h"

#include <cmath>
#include <limits>

namespace diskpredict {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();  // same bits as JavaScript's NaN
constexpr double kRawMax = 281474976710656.0;                       // 2^48

inline bool IsNaN(double v) { return v != v; }

inline double At(const ColumnView& column, std::size_t i) { return i < column.length ? column.data[i] : kNaN; }

}  // namespace

void FeaturizeHistory(const FeatureLayout& layout, const HistoryView& history, double* out,
                      std::vector<double>& scratch, std::vector<std::size_t>& windows) {
  const std::size_t n = history.n;
  const std::size_t F = layout.featureCount;
  const std::size_t A = layout.attributes;
  const std::int32_t* days = history.days;
  if (scratch.size() < n) scratch.resize(n);
  double* x = scratch.data();

  // Window starts depend only on the days, so they are found once for all attributes (TypeScript recomputes them
  // per attribute; the indices are the same). lo[s] = first index with days >= today - span (> for the 6-day mean).
  if (windows.size() < 4 * n) windows.resize(4 * n);
  std::size_t* lo1s = windows.data();
  std::size_t* lo7s = lo1s + n;
  std::size_t* lo30s = lo7s + n;
  std::size_t* lo6s = lo30s + n;
  {
    // Day arithmetic in 64 bits: TypeScript computes today - 30 in doubles, which cannot overflow.
    std::size_t lo1 = 0, lo7 = 0, lo30 = 0, lo6 = 0;
    for (std::size_t i = 0; i < n; i++) {
      const std::int64_t today = days[i];
      while (days[lo1] < today - 1) lo1++;
      while (days[lo7] < today - 7) lo7++;
      while (days[lo30] < today - 30) lo30++;
      while (days[lo6] <= today - 6) lo6++;
      lo1s[i] = lo1;
      lo7s[i] = lo7;
      lo30s[i] = lo30;
      lo6s[i] = lo6;
    }
  }

  for (std::size_t a = 0; a < A; a++) {
    const ColumnView& rawCol = history.raw[a];
    const ColumnView& normCol = history.norm[a];
    const std::size_t base = a * kKinds;
    const bool monotonic = layout.monotonic[a] == 1;
    bool anyValid = false;
    for (std::size_t i = 0; i < n; i++) {
      const double v = At(rawCol, i);
      x[i] = v >= 0 && v <= kRawMax ? v : kNaN;
      anyValid = anyValid || !IsNaN(x[i]);
    }
    if (!anyValid) {
      // Nothing reported (common: drives report about half the attributes). Every raw-derived column is NaN,
      // exactly what the general loop below would produce.
      for (std::size_t i = 0; i < n; i++) {
        double* row = out + i * F + base;
        const double nv = At(normCol, i);
        row[0] = kNaN;
        row[1] = nv >= 0 && nv <= 255 ? nv : kNaN;
        for (std::size_t k = 2; k < kKinds; k++) row[k] = kNaN;
      }
      continue;
    }
    double grew = kNaN;
    double lastValid = kNaN;
    for (std::size_t i = 0; i < n; i++) {
      const std::size_t lo1 = lo1s[i], lo7 = lo7s[i], lo30 = lo30s[i], lo6 = lo6s[i];
      double* row = out + i * F + base;
      const double xi = x[i];
      row[0] = xi;
      const double nv = At(normCol, i);
      row[1] = nv >= 0 && nv <= 255 ? nv : kNaN;
      const std::size_t starts[3] = {lo1, lo7, lo30};
      for (std::size_t s = 0; s < 3; s++) {
        double d = kNaN;
        if (!IsNaN(xi)) {
          for (std::size_t j = starts[s]; j < i; j++) {
            if (!IsNaN(x[j])) {
              d = xi - x[j];
              break;
            }
          }
          if (monotonic && d < 0) d = kNaN;
        }
        row[2 + s] = d;
      }
      if (!IsNaN(xi)) {
        if (IsNaN(grew)) grew = 0;
        if (!IsNaN(lastValid) && xi > lastValid) grew = 1;
        lastValid = xi;
      }
      row[5] = grew;
      std::size_t count = 0;
      double sum = 0;
      for (std::size_t j = lo6; j <= i; j++) {
        if (!IsNaN(x[j])) {
          sum += x[j];
          count++;
        }
      }
      double mean = kNaN;
      double stdev = kNaN;
      if (count > 0) mean = sum / static_cast<double>(count);
      if (count >= 2) {
        double ss = 0;
        for (std::size_t j = lo6; j <= i; j++) {
          if (!IsNaN(x[j])) {
            const double e = x[j] - mean;
            ss += e * e;
          }
        }
        stdev = std::sqrt(ss / static_cast<double>(count));
      }
      double cv = kNaN;
      if (stdev == 0) {
        cv = 0;
      } else if (!IsNaN(stdev) && mean != 0) {
        cv = stdev / mean;
      }
      row[6] = mean;
      row[7] = stdev;
      row[8] = cv;
    }
  }

  const std::size_t agg = A * kKinds;
  const double capacityTb = history.capacityBytes / 1e12;
  static constexpr std::size_t kSummedKinds[4] = {0, 3, 4, 5};  // raw, delta7, delta30, grew
  for (std::size_t i = 0; i < n; i++) {
    double* row = out + i * F;
    for (std::size_t k = 0; k < 4; k++) {
      double s = kNaN;
      for (const std::int32_t slot : layout.errorSumSlots) {
        const double v = row[static_cast<std::size_t>(slot) * kKinds + kSummedKinds[k]];
        if (!IsNaN(v)) s = IsNaN(s) ? v : s + v;
      }
      row[agg + k] = s;
    }
    row[agg + 4] = capacityTb;
    row[agg + 5] = history.vendorCode;
  }
}

}  // namespace diskpredict
