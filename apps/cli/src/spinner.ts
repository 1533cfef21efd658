import { createSpinner } from 'nanospinner';

/** Below this a call feels instant; a spinner that flashes for a few milliseconds is only noise. */
const showAfterMs = 300;

/**
 * Runs `work`, showing a spinner on stderr if it takes longer than a moment — only when stderr is
 * a terminal (never in pipes, logs or tests) and not with --json (scripts want quiet stderr).
 */
export async function withSpinner<T>(label: string, quiet: boolean, work: () => Promise<T>): Promise<T> {
  // A terminal that reports no width (some ptys) would send nanospinner's line count to infinity.
  if (quiet || !process.stderr.isTTY || !(process.stderr.columns > 0)) return work();
  const spinner = createSpinner(label, { stream: process.stderr });
  const timer = setTimeout(() => spinner.start(), showAfterMs);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    // Without a text, stop() erases the spinner's line, so the result prints where it stood.
    if (spinner.isSpinning()) spinner.stop();
  }
}
