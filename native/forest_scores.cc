#include "forest_scores.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace diskpredict {

namespace {

struct Forest {
  const std::int32_t* roots;
  std::size_t trees;
  const std::int32_t* feature;
  const double* threshold;
  const std::int32_t* child;
  const std::uint8_t* defaultLeft;
  const double* value;
  std::size_t nodes;
};

template <typename T>
Napi::TypedArrayOf<T> Typed(const Napi::Value& value, napi_typedarray_type type, const char* what) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    throw Napi::TypeError::New(value.Env(), std::string("forestRawScores: ") + what + " has the wrong type");
  }
  return value.As<Napi::TypedArrayOf<T>>();
}

std::size_t Count(const Napi::Value& value, const char* what) {
  if (!value.IsNumber()) throw Napi::TypeError::New(value.Env(), std::string("forestRawScores: ") + what + " must be a number");
  const double v = value.As<Napi::Number>().DoubleValue();
  if (!(v >= 0 && v <= 9007199254740991.0) || v != static_cast<double>(static_cast<std::uint64_t>(v))) {
    throw Napi::RangeError::New(value.Env(), std::string("forestRawScores: ") + what + " must be a non-negative integer");
  }
  return static_cast<std::size_t>(v);
}

// Every read the traversal can make stays in bounds and every path ends: children lie after their parent (the model
// format guarantees it; the TypeScript loader checks it too), features index inside a row. Returns the longest
// root-to-leaf path, in steps.
std::size_t Validate(Napi::Env env, const Forest& forest, std::size_t stride) {
  for (std::size_t t = 0; t < forest.trees; t++) {
    if (forest.roots[t] < 0 || static_cast<std::size_t>(forest.roots[t]) >= forest.nodes) {
      throw Napi::RangeError::New(env, "forestRawScores: root " + std::to_string(t) + " out of range");
    }
  }
  for (std::size_t node = 0; node < forest.nodes; node++) {
    const std::int32_t f = forest.feature[node];
    const std::int64_t c = forest.child[node];
    const bool ok = f < 0 ? c == static_cast<std::int64_t>(node)
                          : static_cast<std::size_t>(f) < stride && c > static_cast<std::int64_t>(node) &&
                                static_cast<std::uint64_t>(c) + 1 < forest.nodes;
    if (!ok) throw Napi::RangeError::New(env, "forestRawScores: malformed node " + std::to_string(node));
  }
  // Children come after parents, so one pass in index order finds every node's depth below the roots.
  std::vector<std::int32_t> depth(forest.nodes, -1);
  for (std::size_t t = 0; t < forest.trees; t++) depth[static_cast<std::size_t>(forest.roots[t])] = 0;
  std::int32_t deepest = 0;
  for (std::size_t node = 0; node < forest.nodes; node++) {
    if (depth[node] < 0 || forest.feature[node] < 0) continue;
    const std::int32_t below = depth[node] + 1;
    std::int32_t& l = depth[static_cast<std::size_t>(forest.child[node])];
    std::int32_t& r = depth[static_cast<std::size_t>(forest.child[node]) + 1];
    l = std::max(l, below);
    r = std::max(r, below);
    deepest = std::max(deepest, below);
  }
  return static_cast<std::size_t>(deepest);
}

constexpr std::size_t kBlock = 16;

// Rows [first, first + count) through every tree, in lock-step: each row's walk is an independent chain of loads,
// so a block keeps the CPU busy where one walk would wait on each load. Steps are arithmetic, not jumps (tree paths
// are unpredictable): the next node is child + goesRight, and a leaf's child is itself. Each row's sum still adds
// its trees' leaf values in tree order, from 0, like forestScore, so the result is bit-identical.
void ScoreBlock(const Forest& forest, std::size_t depth, const double* data, std::size_t stride, std::size_t first,
                std::size_t count, double baseScore, double* result) {
  double sums[kBlock] = {};
  std::size_t nodes[kBlock];
  const double* rows[kBlock];
  for (std::size_t r = 0; r < count; r++) rows[r] = data + (first + r) * stride;
  for (std::size_t t = 0; t < forest.trees; t++) {
    const std::size_t root = static_cast<std::size_t>(forest.roots[t]);
    for (std::size_t r = 0; r < count; r++) nodes[r] = root;
    for (std::size_t level = 0; level < depth; level++) {
      for (std::size_t r = 0; r < count; r++) {
        const std::size_t node = nodes[r];
        const std::int32_t f = forest.feature[node];
        const std::uint32_t internal = f >= 0;
        const double v = rows[r][static_cast<std::size_t>(f) & -static_cast<std::size_t>(internal)];  // leaf: 0
        // goesRight in lib/models/gbdt/predict.ts: not v <= threshold, and v present or the default is right.
        const std::uint32_t right = static_cast<std::uint32_t>(!(v <= forest.threshold[node])) &
                                    (static_cast<std::uint32_t>(v == v) | (forest.defaultLeft[node] ^ 1u));
        nodes[r] = static_cast<std::size_t>(forest.child[node]) + (right & internal);
      }
    }
    for (std::size_t r = 0; r < count; r++) sums[r] += forest.value[nodes[r]];
  }
  for (std::size_t r = 0; r < count; r++) result[first + r] = baseScore + sums[r];
}

}  // namespace

Napi::Value ForestRawScores(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 11) throw Napi::TypeError::New(env, "forestRawScores: expected 11 arguments");
  Napi::Int32Array roots = Typed<std::int32_t>(info[0], napi_int32_array, "roots");
  Napi::Int32Array feature = Typed<std::int32_t>(info[1], napi_int32_array, "feature");
  Napi::Float64Array threshold = Typed<double>(info[2], napi_float64_array, "threshold");
  Napi::Int32Array child = Typed<std::int32_t>(info[3], napi_int32_array, "child");
  Napi::Uint8Array defaultLeft = Typed<std::uint8_t>(info[4], napi_uint8_array, "defaultLeft");
  Napi::Float64Array value = Typed<double>(info[5], napi_float64_array, "value");
  if (!info[6].IsNumber()) throw Napi::TypeError::New(env, "forestRawScores: baseScore must be a number");
  const double baseScore = info[6].As<Napi::Number>().DoubleValue();
  Napi::Float64Array matrix = Typed<double>(info[7], napi_float64_array, "matrix");
  const std::size_t rows = Count(info[8], "rows");
  const std::size_t stride = Count(info[9], "stride");
  Napi::Float64Array out = Typed<double>(info[10], napi_float64_array, "out");

  const std::size_t nodes = feature.ElementLength();
  if (threshold.ElementLength() != nodes || child.ElementLength() != nodes || defaultLeft.ElementLength() != nodes ||
      value.ElementLength() != nodes) {
    throw Napi::RangeError::New(env, "forestRawScores: node arrays differ in length");
  }
  if (rows > 0 && (stride == 0 || matrix.ElementLength() / stride < rows)) {
    throw Napi::RangeError::New(env, "forestRawScores: matrix holds fewer than rows x stride values");
  }
  if (out.ElementLength() < rows) throw Napi::RangeError::New(env, "forestRawScores: out is shorter than rows");
  const Forest forest{roots.Data(),  roots.ElementLength(), feature.Data(), threshold.Data(),
                      child.Data(), defaultLeft.Data(),   value.Data(),   nodes};
  const std::size_t depth = Validate(env, forest, stride);

  for (std::size_t first = 0; first < rows; first += kBlock) {
    ScoreBlock(forest, depth, matrix.Data(), stride, first, std::min(kBlock, rows - first), baseScore, out.Data());
  }
  return env.Undefined();
}

}  // namespace diskpredict
