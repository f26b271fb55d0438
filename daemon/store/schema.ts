/**
 * The store's schema, as numbered migrations: `PRAGMA user_version` says how many have run. A migration is
 * appended, never edited, once released.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: devices, raw samples, predictions, alert state.
  `
  CREATE TABLE devices (
    devid TEXT PRIMARY KEY,
    first_seen INTEGER NOT NULL
  );
  CREATE TABLE samples (
    devid TEXT NOT NULL REFERENCES devices(devid),
    time INTEGER NOT NULL,          -- sample time, Unix seconds (Ceph devicehealth key precision)
    raw TEXT NOT NULL,              -- the smartctl JSON (or Ceph {"error": ...} entry) exactly as received
    received INTEGER NOT NULL,      -- Unix seconds
    PRIMARY KEY (devid, time)
  ) WITHOUT ROWID;
  CREATE INDEX samples_time ON samples(time);
  CREATE TABLE predictions (
    id INTEGER PRIMARY KEY,
    devid TEXT NOT NULL,
    time INTEGER NOT NULL,          -- when predicted, Unix seconds
    status TEXT NOT NULL,
    p14 REAL,
    p42 REAL,
    model TEXT NOT NULL,
    model_version TEXT NOT NULL
  );
  CREATE INDEX predictions_devid ON predictions(devid, id);
  CREATE INDEX predictions_time ON predictions(time);
  -- per-device alert state, for alerting on status changes (not used by the ops yet)
  CREATE TABLE alert_state (
    devid TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    since INTEGER NOT NULL,
    acknowledged INTEGER NOT NULL DEFAULT 0
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
