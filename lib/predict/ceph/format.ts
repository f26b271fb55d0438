/**
 * What `diskpredict predict --model prophetstor|redhat --json` prints for one device, and the
 * common `Prediction` built from the same verdict.
 */
import { cephLifeExpectancyFor, lifeExpectancyFor } from '../lifeExpectancy.js';
import type { HealthStatus, Prediction, PredictionReason } from '../types.js';
import type { CephVerdict } from './predictCephDump.js';

/** `''` (predictor never called) and `error` (upstream raised) both mean Unknown here. */
export function cephStatus(v: CephVerdict): HealthStatus {
  return v.upstreamVerdict === '' || v.upstreamVerdict === 'error' ? 'Unknown' : v.upstreamVerdict;
}

const REASON_TEXT: Record<string, string> = {
  insufficient_samples: 'fewer than 6 samples: Ceph does not call its predictor',
  insufficient_usable_samples: 'fewer than 6 samples with SMART data: Ceph does not call its predictor',
  too_few_matched_attributes: 'no ProphetStor model matches 3 or more of the attributes every day carries',
  vendor_not_determined: 'vendor not determined from the vendor field or the model name',
  no_model_for_vendor: 'no Red Hat model for this vendor',
  missing_attributes: 'attributes the vendor model needs are missing on some day',
  model_file_missing: 'model file missing',
  scaler_raised: 'the scaler refused the features (upstream raises)',
};

/** Human text for a reason code (`code: detail` codes keep their detail). */
function cephReasonText(v: CephVerdict): string | undefined {
  if (v.reason === null) return undefined;
  const [code, ...rest] = v.reason.split(': ');
  const text = REASON_TEXT[code!];
  if (!text) return v.reason;
  if (code === 'model_file_missing' && v.redhat?.missingFiles?.length) return `${text}: ${v.redhat.missingFiles.join(', ')}`;
  if (code === 'missing_attributes' && v.redhat?.missingAttributes?.length) return `${text}: ${v.redhat.missingAttributes.join(', ')}`;
  return rest.length ? `${text}: ${rest.join(': ')}` : text;
}

/** The per-model detail, JSON-ready. */
function cephDetail(v: CephVerdict): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    upstream: { verdict: v.upstreamVerdict, cli: v.upstreamCli },
    dpl: v.dpl,
  };
  if (v.prophetstor) {
    const p = v.prophetstor;
    detail['prophetstor'] = {
      attributes: p.attributes,
      maxScore: p.maxScore,
      modelsUsed: p.modelsUsed,
      votes: p.votes,
      score: p.score,
      decisions: p.decisions,
    };
  }
  if (v.redhat) {
    const r = v.redhat;
    detail['redhat'] = {
      vendor: r.vendor,
      vendorSource: r.vendorSource,
      windows: r.windows,
      ...(r.missingAttributes ? { missingAttributes: r.missingAttributes } : {}),
      ...(r.missingFiles ? { missingFiles: r.missingFiles } : {}),
      ...(r.error ? { error: r.error } : {}),
    };
  }
  return detail;
}

/** The one JSON object `predict --model prophetstor|redhat --json` prints. */
export function formatCephPrediction(v: CephVerdict): Record<string, unknown> {
  const status = cephStatus(v);
  const reason = cephReasonText(v);
  return {
    status,
    cli: cephLifeExpectancyFor(status),
    ...(reason !== undefined ? { reason, reasonCode: v.reason!.split(': ')[0] } : {}),
    model: { name: v.kind, version: v.modelVersion },
    ...cephDetail(v),
  };
}

function cephReasons(v: CephVerdict): PredictionReason[] {
  if (v.prophetstor) {
    const p = v.prophetstor;
    const n = p.modelsUsed.length;
    const voting = p.modelsUsed.filter((m) => p.votes[m] === 1);
    const why = `${voting.length} of ${n} models voted; score 2^${voting.length} − ${n} = ${p.score}`;
    return voting.map((m) => ({ feature: m, text: `${m} voted failing (${why})`, contribution: 1 }));
  }
  if (v.redhat) {
    const names = ['Good', 'Warning', 'Bad'];
    // the verdict window (oldest six days) first
    return v.redhat.windows
      .map((w, i) => ({
        feature: `window_${i}`,
        text: `days ${i + 1}–${i + 6} (newest first): ${names[w.class] ?? w.class}, p=[${w.proba.join(', ')}]`,
        contribution: w.proba[w.class] ?? 0,
      }))
      .reverse();
  }
  return [];
}

export function cephPrediction(v: CephVerdict): Prediction {
  const status = cephStatus(v);
  const reason = cephReasonText(v);
  return {
    status,
    p14: null,
    p42: null,
    lifeExpectancy: lifeExpectancyFor(status),
    cli: cephLifeExpectancyFor(status),
    reasons: cephReasons(v),
    model: { name: v.kind, version: v.modelVersion },
    samplesUsed: v.dpl.nDayDicts,
    ...(reason !== undefined ? { reason } : status === 'Unknown' ? { reason: 'Ceph model gave Unknown' } : {}),
    detail: cephDetail(v),
  };
}
