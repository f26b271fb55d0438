/** A failed SO_PEERCRED lookup: `code` is the errno name (EBADF, ENOTSOCK, …) or ENOSYS off Linux. */
export class PeerCredentialsError extends Error {
  override readonly name = 'PeerCredentialsError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
