/** Every fuzz target, in the order a full run takes them. */
import type { FuzzTarget } from '../target.js';
import { alibabaSsdTarget } from './alibabaSsd.js';
import { backblazeTarget } from './backblaze.js';
import { cephTarget } from './ceph.js';
import { framesTarget } from './frames.js';
import { modelFileTarget } from './modelFile.js';
import { ndjsonTarget } from './ndjson.js';
import { pickleTarget } from './pickle.js';
import { smartctlTarget } from './smartctl.js';

export const TARGETS: readonly FuzzTarget[] = [smartctlTarget, cephTarget, backblazeTarget, alibabaSsdTarget, ndjsonTarget, framesTarget, pickleTarget, modelFileTarget];
