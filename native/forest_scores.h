// C++ twin of lib/models/gbdt/predict.ts forestScore over many rows: out[i] = baseScore + sum of the leaf values
// reached by row i, trees in order, from 0. Only comparisons and additions, so bit-identical to the TypeScript.
#pragma once

#include <napi.h>

namespace diskpredict {

// forestRawScores(roots, feature, threshold, child, defaultLeft, value, baseScore, matrix, rows, stride, out)
// Layout (lib/native/forestScores.ts): a node's children are child[node] and child[node] + 1; a leaf (feature -1)
// has child[node] == node.
Napi::Value ForestRawScores(const Napi::CallbackInfo& info);

}  // namespace diskpredict
