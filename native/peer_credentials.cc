#include "peer_credentials.h"

#include <cerrno>
#include <cstring>
#include <string>

#ifdef __linux__
#include <sys/socket.h>
#include <sys/types.h>
#endif

namespace diskpredict {

namespace {

Napi::Error ErrnoError(Napi::Env env, int err, const char* code) {
  Napi::Error error = Napi::Error::New(env, std::string("peerCredentials: ") + std::strerror(err));
  error.Set("code", Napi::String::New(env, code));
  error.Set("errno", Napi::Number::New(env, err));
  return error;
}

const char* ErrnoCode(int err) {
  switch (err) {
    case EBADF: return "EBADF";
    case ENOTSOCK: return "ENOTSOCK";
    case ENOPROTOOPT: return "ENOPROTOOPT";
    case EINVAL: return "EINVAL";
    default: return "EPEERCRED";
  }
}

}  // namespace

Napi::Value PeerCredentials(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw Napi::TypeError::New(env, "peerCredentials: expected a file descriptor (number)");
  }
  const double fdValue = info[0].As<Napi::Number>().DoubleValue();
  if (!(fdValue >= 0 && fdValue <= 2147483647.0) || fdValue != static_cast<double>(static_cast<int>(fdValue))) {
    throw Napi::RangeError::New(env, "peerCredentials: file descriptor must be a non-negative integer");
  }
  const int fd = static_cast<int>(fdValue);

#ifdef __linux__
  struct ucred credentials {};
  socklen_t length = sizeof(credentials);
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
    const int err = errno;
    throw ErrnoError(env, err, ErrnoCode(err));
  }
  if (length != sizeof(credentials)) {
    throw ErrnoError(env, EINVAL, "EINVAL");
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("uid", Napi::Number::New(env, credentials.uid));
  result.Set("gid", Napi::Number::New(env, credentials.gid));
  result.Set("pid", Napi::Number::New(env, credentials.pid));
  return result;
#else
  (void)fd;
  Napi::Error error = Napi::Error::New(env, "peerCredentials: SO_PEERCRED is only available on Linux");
  error.Set("code", Napi::String::New(env, "ENOSYS"));
  throw error;
#endif
}

}  // namespace diskpredict
