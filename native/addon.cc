// diskpredict_native: the optional addon. The library works without it (lib/native/ falls back to TypeScript).
#include <napi.h>

#include "featurize_binding.h"
#include "forest_scores.h"
#include "malloc_trim.h"
#include "peer_credentials.h"

#ifndef DISKPREDICT_BUILDER
#define DISKPREDICT_BUILDER "unknown"
#endif

namespace diskpredict {

// Bumped whenever an exported function's signature or semantics change, so the loader refuses a stale build.
constexpr int kInterfaceVersion = 2;

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("interfaceVersion", Napi::Number::New(env, kInterfaceVersion));
  exports.Set("builder", Napi::String::New(env, DISKPREDICT_BUILDER));
  exports.Set("peerCredentials", Napi::Function::New(env, PeerCredentials, "peerCredentials"));
  exports.Set("featureSetup", Napi::Function::New(env, FeatureSetup, "featureSetup"));
  exports.Set("featurizeColumns", Napi::Function::New(env, FeaturizeColumns, "featurizeColumns"));
  exports.Set("featurizeBatch", Napi::Function::New(env, FeaturizeBatch, "featurizeBatch"));
  exports.Set("forestRawScores", Napi::Function::New(env, ForestRawScores, "forestRawScores"));
  // Added without an interface bump: optional on the TypeScript side, so an older build still loads.
  exports.Set("mallocTrim", Napi::Function::New(env, MallocTrim, "mallocTrim"));
  exports.Set("mallocFreeBytes", Napi::Function::New(env, MallocFreeBytes, "mallocFreeBytes"));
  exports.Set("fixMallocThresholds", Napi::Function::New(env, FixMallocThresholds, "fixMallocThresholds"));
  return exports;
}

}  // namespace diskpredict

// NODE_API_MODULE pastes its second argument into an identifier, so it needs an unqualified name.
static Napi::Object InitDiskpredictNative(Napi::Env env, Napi::Object exports) {
  return diskpredict::Init(env, exports);
}

NODE_API_MODULE(diskpredict_native, InitDiskpredictNative)
