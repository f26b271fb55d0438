/**
 * The real daemon (the CLI's) serving Ceph's old models: their predictor reads each sample's Ceph day dict,
 * which the daemon builds only for predictors that need it. The daemon's answer must equal the library's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadCephPredictor } from '../../lib/predict/ceph/cephPredictor.js';
import { readCephDeviceHealthMap } from '../../lib/smart/readCephDeviceHealth.js';
import { parseJsonExact, type JsonObject } from '../../lib/util/json.js';
import { describeShared, sharedPath } from '../helpers/shared.js';
import { daemonForSuite, projectRoot } from './helpers/daemonProcess.js';

describeShared('daemon with Ceph models', () => {
  const suite = daemonForSuite({ entry: [join(projectRoot, 'lib/cli/main.ts'), 'daemon'], args: ['--ceph-models', sharedPath('ceph-models')] });
  const samples = parseJsonExact(readFileSync(sharedPath('ceph/diskprediction_local_sample_input.json'), 'utf8')) as JsonObject;

  for (const kind of ['prophetstor', 'redhat'] as const) {
    it(`predicts with ${kind} exactly as the library does`, async () => {
      const expected = loadCephPredictor(kind, sharedPath('ceph-models')).predict(readCephDeviceHealthMap(samples));
      // ProphetStor reads this sample's attributes (without day dicts it would answer Unknown); Red Hat has no
      // model for its vendor and answers Unknown either way.
      if (kind === 'prophetstor') expect(expected.status).not.toBe('Unknown');
      const reply = await suite.client().request('predict', { devid: `ceph-${kind}`, samples, model: kind });
      expect(reply).toMatchObject({ status: expected.status, model: { name: kind } });
      expect(reply['reason'] ?? null).toBe(expected.reason ?? null);
    });
  }
});
