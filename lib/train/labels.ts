/**
 * Labels come only from the future: a row on day d of a drive that failed on day F is positive for
 * horizon H iff 0 ≤ F − d ≤ H. A healthy drive's last CENSOR_DAYS days before the end of its file
 * are left out of training, because whether it failed just after the data ends is unknown.
 */
export const HORIZON_P14 = 14;
export const HORIZON_P42 = 42;
export const CENSOR_DAYS = 14;

/**
 * Rows of a failed drive that are 15..42 days before its failure are left out of the p14 head's
 * training (weight 0): the drive is often already degrading there, and calling those days
 * "healthy" would teach the model that a grown error counter is harmless until two weeks before
 * the end. They still count as negatives for nothing and positives for the p42 head.
 */
export const P14_GRAY_ZONE_DAYS = 42;

export function p14Weight(day: number, failDay: number): number {
  return failDay >= 0 && failDay - day > HORIZON_P14 && failDay - day <= P14_GRAY_ZONE_DAYS ? 0 : 1;
}

export function labelFor(day: number, failDay: number, horizon: number): 0 | 1 {
  return failDay >= 0 && failDay - day >= 0 && failDay - day <= horizon ? 1 : 0;
}

/**
 * Weight of a "quiet" positive p14 row: a failed drive's day 0..14 before failure on which none of
 * the Backblaze-rule error counters (5, 187, 188, 197, 198; the error_raw_sum feature) is above 0.
 * Most such days look exactly like healthy days, so at full weight they are label noise that
 * pulls the trees towards splits on unrelated attributes (temperature, hours, vendor-specific
 * counters), which then flag healthy drives somewhere in their long histories. Down-weighting
 * them (training and early stopping only; calibration uses the plain weights) was chosen by
 * drive-disjoint cross-validation on the non-validation drives.
 */
export const QUIET_POSITIVE_WEIGHT = 0.1;
