/** "1 file", "2 files": a count with its noun, given in the plural ("files", "drive-days"). */
export function countNoun(n: number, plural: string): string {
  return `${n} ${n === 1 ? plural.replace(/s$/, '') : plural}`;
}
