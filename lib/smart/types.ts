/**
 * The one normalized shape every reader (smartctl JSON, Ceph devicehealth dumps, Backblaze CSV)
 * produces and every consumer (features, predictors, daemon store) reads.
 * A field that the source did not report is absent, never zero.
 */
import type { CephDayDict } from './cephDayDict.js';

export type Protocol = 'ata' | 'nvme' | 'scsi';

export type Vendor =
  | 'seagate'
  | 'hgst'
  | 'hitachi'
  | 'wdc'
  | 'toshiba'
  | 'samsung'
  | 'intel'
  | 'micron'
  | 'crucial'
  | 'kingston'
  | 'sandisk'
  | 'hp'
  | 'dell'
  | 'unknown';

/** An exact raw integer: `number` while it is a safe integer, `bigint` above 2^53. */
export type RawInteger = number | bigint;

export interface DeviceIdentity {
  model?: string;
  serial?: string;
  /** World Wide Name as smartctl prints it (16 hex digits), when the device reports one */
  wwn?: string;
  firmware?: string;
  vendor: Vendor;
  protocol?: Protocol;
  capacityBytes?: number;
  /** rpm; 0 = solid state. */
  rotationRate?: number;
  ssd?: boolean;
}

/** Read-only: the smartctl reader shares one frozen object per flag set between attributes. */
export interface AtaAttributeFlags {
  readonly value: number;
  readonly prefailure?: boolean;
  readonly updatedOnline?: boolean;
  readonly performance?: boolean;
  readonly errorRate?: boolean;
  readonly eventCount?: boolean;
  readonly autoKeep?: boolean;
}

export interface AtaAttribute {
  id: number;
  name?: string;
  /** normalized value */
  value?: number;
  worst?: number;
  thresh?: number;
  /** exact raw integer (48-bit on the wire; smartctl may print up to 64 bits) */
  raw?: RawInteger;
  /** smartctl's human text for the raw value, e.g. "37 (Min/Max 21/45)" */
  rawString?: string;
  /** the vendor-packed raw decoded to the number that means something (see lib/smart/rawDecode.ts) */
  decoded?: number;
  whenFailed?: 'now' | 'past';
  flags?: AtaAttributeFlags;
}

export interface NvmeCriticalWarning {
  raw: number;
  availableSpareLow: boolean;
  temperature: boolean;
  reliabilityDegraded: boolean;
  readOnly: boolean;
  volatileBackupFailed: boolean;
  persistentMemoryUnreliable: boolean;
}

export interface NvmeHealth {
  criticalWarning?: NvmeCriticalWarning;
  temperatureC?: number;
  availableSpare?: number;
  availableSpareThreshold?: number;
  percentageUsed?: number;
  dataUnitsRead?: RawInteger;
  dataUnitsWritten?: RawInteger;
  powerCycles?: RawInteger;
  powerOnHours?: RawInteger;
  unsafeShutdowns?: RawInteger;
  mediaErrors?: RawInteger;
  errorLogEntries?: RawInteger;
}

export interface ScsiErrorCounters {
  corrected?: RawInteger;
  uncorrected?: RawInteger;
}

export interface ScsiCounters {
  grownDefects?: number;
  read?: ScsiErrorCounters;
  write?: ScsiErrorCounters;
  verify?: ScsiErrorCounters;
  startStopCycles?: number;
  loadUnloadCycles?: number;
}

export interface SampleSource {
  /** file the sample came from, as given to the reader */
  file?: string;
  /** JSON pointer of the sample inside that file (Ceph dumps) */
  pointer?: string;
  /** 1-based CSV line (Backblaze, Alibaba SSD failure tags) */
  line?: number;
  format: 'smartctl' | 'ceph' | 'backblaze' | 'alibaba-ssd' | 'object';
}

export interface SmartSample {
  device: DeviceIdentity;
  /** milliseconds since the epoch, UTC */
  time: number;
  healthPassed?: boolean;
  powerOnHours?: number;
  temperatureC?: number;
  /**
   * ATA attributes by id, in ascending id order (see ataAttributeMap.ts). Read-only, as `device` is: samples read
   * from one dump share the identity and attribute objects that did not change from the entry before.
   */
  ata?: Map<number, AtaAttribute>;
  nvme?: NvmeHealth;
  scsi?: ScsiCounters;
  /** Backblaze label: the drive was removed as failed on this day */
  failure?: boolean;
  /** smartctl exit status bit mask and its messages, when the source had them */
  smartctlExitStatus?: number;
  messages?: string[];
  /** what Ceph's diskprediction_local would extract from the same source (Ceph model parity) */
  ceph?: CephDayDict;
  source?: SampleSource;
  /** fields present in the source but unusable (wrong type, absurd value) and therefore left out */
  warnings?: SampleWarning[];
}

/** A source field the reader could not use; `pointer` is its RFC 6901 path in the source file. */
export interface SampleWarning {
  pointer: string;
  message: string;
}

/** An entry of a history that carried no SMART data (Ceph's `{"error": …}` samples). */
export interface HistoryError {
  time: number;
  key?: string;
  message: string;
}

/** One device's samples, oldest first, plus the entries that could not be read. */
export interface DeviceHistory {
  devid?: string;
  samples: SmartSample[];
  errors: HistoryError[];
}
