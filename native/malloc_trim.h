// Returning freed heap memory to the system (glibc's malloc_trim, mallopt), for the daemon after a burst of large
// replies.
#pragma once

#include <napi.h>

namespace diskpredict {

// mallocTrim() -> boolean: true when memory was returned; false where the C library has no malloc_trim.
Napi::Value MallocTrim(const Napi::CallbackInfo& info);

// mallocFreeBytes() -> number: bytes glibc holds free in its arenas (mallinfo2's fordblks); -1 where unknown.
Napi::Value MallocFreeBytes(const Napi::CallbackInfo& info);

// fixMallocThresholds(mmapBytes, trimBytes) -> boolean: sets glibc's mmap and trim thresholds (which also stops
// their dynamic growth); false where the C library has no mallopt or refused a value.
Napi::Value FixMallocThresholds(const Napi::CallbackInfo& info);

}  // namespace diskpredict
