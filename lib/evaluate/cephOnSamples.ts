/**
 * Runs Ceph's ProphetStor / Red Hat predictors over any normalized history (Backblaze rows
 * included) and scores every day in one pass.
 *
 * - Samples that carry no Ceph day dict (Backblaze rows, which never came from smartctl JSON) get
 *   one built from their ATA attributes (cephDayDictFromSample).
 * - Ceph reads at most the newest DPL_MAX_DAYS non-empty day dicts, so day i is scored from the
 *   shortest suffix of samples[0..i] that holds that many (or all of them): the same verdict as
 *   the whole prefix, in linear instead of quadratic time.
 */
import { DPL_MAX_DAYS } from '../models/ceph/dplDayDicts.js';
import { cephDayDictFromSample } from '../smart/cephDayDict.js';
import type { DeviceHistory } from '../smart/types.js';
import type { BatchPredictor, Predictor } from '../predict/types.js';
import type { ScoredDay } from './scoreEachDay.js';

function withDayDicts(history: DeviceHistory): DeviceHistory {
  if (history.samples.every((s) => s.ceph !== undefined)) return history;
  return { ...history, samples: history.samples.map((s) => (s.ceph !== undefined ? s : { ...s, ceph: cephDayDictFromSample(s) })) };
}

export function cephBatchPredictor(ceph: Predictor): BatchPredictor {
  return {
    model: ceph.model,
    predict: (history, options) => ceph.predict(withDayDicts(history), options),
    predictEachDay(history) {
      const h = withDayDicts(history);
      const samples = h.samples;
      return samples.map((sample, i): ScoredDay => {
        let from = i;
        for (let used = 0; from >= 0; from--) {
          if (Object.keys(samples[from]!.ceph!).length > 0 && ++used === DPL_MAX_DAYS) break;
        }
        const start = Math.max(0, from);
        const since = start === 0 ? -Infinity : samples[start]!.time;
        // Error entries are part of what Ceph sees: only those inside the same causal window.
        const errors = h.errors.filter((e) => e.time >= since && e.time <= sample.time);
        const p = ceph.predict({ ...h, samples: samples.slice(start, i + 1), errors }, { now: sample.time });
        const day: ScoredDay = { time: sample.time, p14: p.p14, p42: p.p42, status: p.status };
        if (p.reason !== undefined) day.reason = p.reason;
        return day;
      });
    },
  };
}
