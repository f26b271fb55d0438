// SO_PEERCRED lookup for the daemon's access check (Linux only; no TypeScript twin is possible).
#pragma once

#include <napi.h>

namespace diskpredict {

// peerCredentials(fd: number) -> { uid, gid, pid }; throws an Error with `code` (e.g. "EBADF") on failure.
Napi::Value PeerCredentials(const Napi::CallbackInfo& info);

}  // namespace diskpredict
