// Returning freed heap memory to the system (glibc's malloc_trim), for the daemon after a burst of large replies.
#pragma once

#include <napi.h>

namespace diskpredict {

// mallocTrim() -> boolean: true when memory was returned; false where the C library has no malloc_trim.
Napi::Value MallocTrim(const Napi::CallbackInfo& info);

}  // namespace diskpredict
