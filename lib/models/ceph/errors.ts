/** A Ceph model directory or converted model file that cannot be used. */
export class CephModelError extends Error {
  override readonly name = 'CephModelError';
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}
