#include "malloc_trim.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace diskpredict {

Napi::Value MallocTrim(const Napi::CallbackInfo& info) {
#if defined(__GLIBC__)
  // glibc keeps freed chunks in its arenas; with 0 it also gives back free pages in the middle of the heap.
  return Napi::Boolean::New(info.Env(), malloc_trim(0) != 0);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

Napi::Value MallocFreeBytes(const Napi::CallbackInfo& info) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  const struct mallinfo2 mi = mallinfo2();
  return Napi::Number::New(info.Env(), static_cast<double>(mi.fordblks));
#else
  // mallinfo's int fields wrap past 2 GiB, and other C libraries have neither: the caller then trims on its schedule.
  return Napi::Number::New(info.Env(), -1);
#endif
}

Napi::Value FixMallocThresholds(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "fixMallocThresholds(mmapBytes, trimBytes): two numbers").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const int64_t mmapBytes = info[0].As<Napi::Number>().Int64Value();
  const int64_t trimBytes = info[1].As<Napi::Number>().Int64Value();
  if (mmapBytes <= 0 || mmapBytes > (1 << 25) || trimBytes <= 0 || trimBytes > (1 << 30)) {
    Napi::RangeError::New(env, "fixMallocThresholds: mmapBytes in (0, 32 MiB], trimBytes in (0, 1 GiB]").ThrowAsJavaScriptException();
    return env.Undefined();
  }
#if defined(__GLIBC__)
  // By default glibc raises the mmap threshold to the size of each large block freed (up to 32 MiB), so after one
  // burst every later large Buffer lands in the arenas, where freed pages stay resident. A fixed threshold keeps
  // large blocks mmapped (unmapped on free) and a fixed trim threshold gives the heap's top back early.
  const bool ok = mallopt(M_MMAP_THRESHOLD, static_cast<int>(mmapBytes)) == 1 && mallopt(M_TRIM_THRESHOLD, static_cast<int>(trimBytes)) == 1;
  return Napi::Boolean::New(env, ok);
#else
  return Napi::Boolean::New(env, false);
#endif
}

}  // namespace diskpredict
