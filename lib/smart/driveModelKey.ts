/** Drive model names compare upper-cased, trimmed, with runs of spaces collapsed ("ST4000DM000", "st4000dm000 "). */
export function driveModelKey(model: string): string {
  return model.trim().replace(/\s+/g, ' ').toUpperCase();
}
