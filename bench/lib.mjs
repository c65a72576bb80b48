// Bench helpers: interleaved whole-process timing against a baseline measured in the same run, and percentiles.
import { spawnSync } from 'node:child_process';

export function timeOnce(cmd, args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/** Runs A and B alternately `runs` times after a warm-up; returns medians and the median of pairwise ratios. */
export function interleaved(a, b, runs = 21) {
  timeOnce(...a);
  timeOnce(...b);
  const as = [];
  const bs = [];
  const ratios = [];
  for (let i = 0; i < runs; i++) {
    const ta = timeOnce(...a);
    const tb = timeOnce(...b);
    as.push(ta);
    bs.push(tb);
    ratios.push(ta / tb);
  }
  return {
    medianMs: median(as),
    baselineMs: median(bs),
    ratio: median(ratios),
    minRatio: Math.min(...ratios),
    maxRatio: Math.max(...ratios),
  };
}

export function median(values) {
  return percentile(values, 50);
}

export function percentile(values, p) {
  const sorted = [...values].sort((x, y) => x - y);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

export function report(name, figures) {
  const line = Object.entries(figures)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(3)) : v}`)
    .join('  ');
  process.stdout.write(`${name.padEnd(44)} ${line}\n`);
  return { name, ...figures };
}
