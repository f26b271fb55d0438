import type { JsonObject } from '../../util/json.js';

/** A decoded request: a map with a string `op`. */
export type Request = JsonObject;

/** A reply map: JSON data (bigint allowed). */
export type Reply = JsonObject;
