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
  // 2: alerts on status changes (docs/alerts.md). Migration 1's alert_state was never written: replaced.
  `
  DROP TABLE alert_state;
  CREATE TABLE alert_state (
    devid TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('Good', 'Warning', 'Bad')),  -- the last known status (Unknown never stored)
    since_ms INTEGER NOT NULL,      -- when that status began, Unix ms
    last_alert_ms INTEGER           -- when an event was last raised for the device; NULL if never
  ) WITHOUT ROWID;
  -- events waiting for delivery, one row per event and channel; deleted once delivered or given up
  CREATE TABLE alert_outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('command', 'webhook')),
    devid TEXT NOT NULL,
    event TEXT NOT NULL,            -- the event JSON, as delivered
    created_ms INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    last_error TEXT
  );
  CREATE INDEX alert_outbox_channel ON alert_outbox(channel, id);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
