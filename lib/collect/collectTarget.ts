/** A device to read: smartctl's name and, when known, its `-d` type (given, not auto-detected, so probing cannot wake it). */
export interface CollectTarget {
  name: string;
  type?: string;
}

/** `--devices` entries: `NAME` or `NAME:TYPE` (e.g. `/dev/sda:sat`, `/dev/bus/0:megaraid,3`). */
export function parseTarget(text: string): CollectTarget {
  const colon = text.lastIndexOf(':');
  if (colon > 0 && colon < text.length - 1) return { name: text.slice(0, colon), type: text.slice(colon + 1) };
  return { name: text };
}

export function targetLabel(t: CollectTarget): string {
  return t.type !== undefined ? `${t.name}:${t.type}` : t.name;
}
