/**
 * The false-alarm budgets training chooses the default thresholds at (trainModel.ts) and leave-one-model-out runs
 * report against (leaveOneModelOut.ts).
 */

/** Per-drive false-alarm budget of the Bad threshold (p14) and of the gate. */
export const DEFAULT_BAD_FAR = 0.005;
/**
 * Per-drive false-alarm budget of the Warning threshold (p42). 1.75 %, not 2 %: the target is at most 2 % of days
 * `Warning` on drive models never trained on, and a model trained without ST12000NM0008 gave 2.07 % of its control
 * days at 2 % and 1.56 % at 1.75 %, with the same failures caught (docs/model.md).
 */
export const DEFAULT_WARNING_FAR = 0.0175;
/**
 * The per-drive-model Bad thresholds' floor: the p42 threshold at this per-drive rate on the pooled validation drives
 * (until 1.3.0 it was the Warning threshold itself, chosen at the same 2 %). Apart from the Warning threshold so that
 * a lower Warning budget does not also make the quiet drive models' Bad less eager.
 */
export const DRIVE_MODEL_BAD_FLOOR_FAR = 0.02;
