/** A delivery that did not reach its receiver (command failed, webhook refused or silent): retried later. */
export class AlertDeliveryError extends Error {
  override readonly name = 'AlertDeliveryError';
}
