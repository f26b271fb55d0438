/** What every op handler may use. The current config and models are read per request (reload swaps them). */
import type { AlertService } from '../alerts/alertService.js';
import type { DaemonConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { MemoryBudget } from '../memoryBudget.js';
import type { ModelSet } from '../models.js';
import type { Request } from '../protocol/types.js';
import type { OutgoingReply } from '../storedJsonMap.js';
import type { Store } from '../store/store.js';

export interface DaemonContext {
  readonly config: DaemonConfig;
  readonly models: ModelSet;
  readonly store: Store;
  readonly metrics: Metrics;
  /** alerts on status changes: told of every default-model verdict for a named device */
  readonly alerts: AlertService;
  readonly log: Logger;
  readonly startedAtMs: number;
  readonly version: string;
  readonly nativeEnabled: boolean;
  readonly peerCheck: boolean;
  /** open client connections (for metrics) */
  readonly connectionsOpen: number;
  /** re-reads config and models; throws when they cannot be loaded (the old ones stay) */
  reload(): void;
  now(): number;
  /** true once shutdown began: long requests stop at their next slice */
  readonly stopping: boolean;
  /** daemon-wide buffered request and queued reply bytes (for metrics) */
  readonly budget: MemoryBudget;
}

/** Long work (many devices, many stored samples) returns a Promise and yields between slices (WorkSlicer). */
export type OpHandler = (req: Request, ctx: DaemonContext) => OutgoingReply | Promise<OutgoingReply>;
