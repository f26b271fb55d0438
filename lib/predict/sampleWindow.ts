/**
 * How many of a device's newest samples a prediction reads: Ceph keeps 180 days of a few samples a day at most.
 * The daemon reads at most this many from its store; the `predict` command keeps at most this many per device
 * while reading a file, so a file of a million rows of one drive costs what 5,000 do (it took 5.4 GB).
 */
export const MAX_SAMPLES_FOR_PREDICTION = 5000;
