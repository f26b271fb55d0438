/**
 * Overrides: what an operator knows about a device or a drive model that the predictor cannot (an attribute that
 * misreports, a count that is old news, a verdict to hold until a replacement arrives). One entry matches a
 * device (serial, WWN or devid) or a drive model and does one thing: ignore an attribute, accept a baseline for
 * it, or force a status.
 */
import type { HealthStatus } from '../types.js';

export type OverrideAction =
  | { kind: 'ignore'; attribute: string }
  | { kind: 'baseline'; attribute: string; value: number }
  | { kind: 'force'; status: ForcedStatus };

export type ForcedStatus = Exclude<HealthStatus, 'Unknown'>;

/** What an entry matches: a device (its serial, WWN or devid) or every drive of a model. */
export type OverrideScope = { device: string } | { model: string };

export interface Override {
  /** short and stable: given in the file, else derived from the entry's content (overrideId) */
  id: string;
  scope: OverrideScope;
  action: OverrideAction;
  note?: string;
  /** ms since the epoch; from then on the entry is ignored */
  expiresAt?: number;
  /** the `expires` text as written (ISO date or date-time) */
  expires?: string;
  /** ISO date-time the entry was added (`override add` writes it) */
  created?: string;
}

/** One override that changed a prediction, as the prediction lists it. */
export interface AppliedOverride {
  id: string;
  /** the device key or model it was matched on */
  device?: string;
  model?: string;
  action: OverrideAction['kind'];
  /** ignore / baseline: the attribute (`smart_5`, `nvme.media_errors`, …) */
  attribute?: string;
  /** baseline: the accepted value, subtracted from the attribute before prediction */
  baseline?: number;
  /** baseline: the attribute's newest value as the drive reported it (before the subtraction) */
  reported?: number;
  /** force: the status forced, and the status the model gave */
  status?: ForcedStatus;
  modelStatus?: HealthStatus;
  note?: string;
  expires?: string;
  /** one line for people, e.g. "reallocated sectors (smart_5): 8 accepted (override 3f2a9c1e), read as 0" */
  text: string;
}
