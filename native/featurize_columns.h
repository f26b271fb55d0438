// C++ twin of lib/features/featurizeColumns.ts: one drive's columnar daily history -> N x F feature matrix.
// Must stay bit-identical to the TypeScript function (test/native/featurizeParity.test.ts checks it against the
// TypeScript source, not a copy): the same loops in the same order, IEEE doubles, no FMA contraction, no fast-math.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace diskpredict {

// What TypeScript tells the addon about the feature layout once, at load (lib/native/featureLayout.ts), so the
// attribute lists have one source of truth.
struct FeatureLayout {
  std::size_t attributes = 0;              // A = FEATURE_ATTRIBUTES.length
  std::vector<std::uint8_t> monotonic;     // per slot: 1 when a fall is a counter reset
  std::vector<std::int32_t> errorSumSlots; // slots summed into the aggregate columns, in order
  std::size_t featureCount = 0;            // F = A * kKinds + kAggregates
};

constexpr std::size_t kKinds = 9;
constexpr std::size_t kAggregates = 6;

// One column of N values; entries at or beyond `length` read as missing (a JS typed array read out of range is
// undefined, which every comparison treats like NaN).
struct ColumnView {
  const double* data = nullptr;
  std::size_t length = 0;
};

struct HistoryView {
  const std::int32_t* days = nullptr;
  std::size_t n = 0;
  const ColumnView* raw = nullptr;   // layout.attributes columns
  const ColumnView* norm = nullptr;  // layout.attributes columns
  double capacityBytes = 0;
  double vendorCode = 0;
};

// Writes n * layout.featureCount values to `out`. `scratch` and `windows` are reused between calls.
void FeaturizeHistory(const FeatureLayout& layout, const HistoryView& history, double* out,
                      std::vector<double>& scratch, std::vector<std::size_t>& windows);

}  // namespace diskpredict
