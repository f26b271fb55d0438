import { describe, expect, it } from 'vitest';
import { heldOutDrives } from '../../lib/evaluate/loadPredictors.js';
import { splitSide } from '../../lib/evaluate/driveSplit.js';

describe('heldOutDrives', () => {
  it("keeps exactly the validation side of the model's recorded split", () => {
    const keep = heldOutDrives({ training: { seed: 7 }, validation: { split: { validation: 0.3, earlyStop: 0.15 } } })!;
    const serials = Array.from({ length: 2000 }, (_, i) => `SER${i}`);
    const kept = serials.filter(keep);
    expect(kept).toEqual(serials.filter((s) => splitSide(s, 7, { validation: 0.3, earlyStop: 0.15 }) === 'validation'));
    expect(kept.length / serials.length).toBeGreaterThan(0.25);
    expect(kept.length / serials.length).toBeLessThan(0.35);
  });

  it('is undefined when the model does not record its split', () => {
    expect(heldOutDrives(undefined)).toBeUndefined();
    expect(heldOutDrives({ training: { seed: 1 } })).toBeUndefined();
  });
});
