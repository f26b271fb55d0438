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

}  // namespace diskpredict
