/** Runs one registered CLI subcommand in-process, capturing stdout and the exit code it set. */
import { Command } from 'commander';

export async function runCommand(
  register: (program: Command) => void,
  name: string,
  args: string[],
): Promise<{ out: string; code: number | undefined }> {
  const program = new Command().exitOverride();
  register(program);
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'diskpredict', name, ...args]);
  } finally {
    process.stdout.write = write;
  }
  const code = process.exitCode as number | undefined;
  process.exitCode = before;
  return { out, code };
}
