// N-API entry points for the feature function (lib/native/featurize.ts is the only caller).
#pragma once

#include <napi.h>

namespace diskpredict {

// featureSetup(monotonic: Uint8Array, errorSumSlots: Int32Array, featureCount: number): stores the layout.
Napi::Value FeatureSetup(const Napi::CallbackInfo& info);

// featurizeColumns(days, raw[], norm[], capacityBytes, vendorCode, out): one history into `out`.
Napi::Value FeaturizeColumns(const Napi::CallbackInfo& info);

// featurizeBatch(offsets, days, raw[], norm[], capacityBytes[], vendorCode[], out): history h is rows
// offsets[h] .. offsets[h+1]-1 of the columns; its features go to the same rows of `out`.
Napi::Value FeaturizeBatch(const Napi::CallbackInfo& info);

}  // namespace diskpredict
