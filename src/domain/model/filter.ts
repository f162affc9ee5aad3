// The Rollouts tree's filter: which workloads to show when a namespace holds thousands. Words of the
// filter all have to match: a bare word is part of the name, `strategy:` (or `s:`) part of the
// strategy's kind or display name, `health:` (or `is:`) the start of its health, or `aborted`. Pure.
import { STRATEGY_NAMES } from '../release/vocabulary';
import { isAborted } from '../release/stopped';
import type { WorkloadView } from './workloads';

export interface WorkloadFilter {
  /** What the user typed, trimmed: the tree says it back. */
  text: string;
  matches(w: WorkloadView): boolean;
}

type Term = (w: WorkloadView) => boolean;

const KEYS: Readonly<Record<string, (value: string) => Term>> = {
  strategy: (v) => (w) => w.strategy.includes(v) || STRATEGY_NAMES[w.strategy].toLowerCase().includes(v),
  health: (v) => (w) => w.health.toLowerCase().startsWith(v) || (v === 'aborted' && isAborted(w)),
};
const SYNONYMS: Readonly<Record<string, string>> = { s: 'strategy', is: 'health' };

/** The filter `text` describes, or what is wrong with it; empty text is no filter (undefined). */
export function parseWorkloadFilter(text: string): WorkloadFilter | { problem: string } | undefined {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return undefined;
  const terms: Term[] = [];
  for (const word of words) {
    const colon = word.indexOf(':');
    if (colon < 0) {
      terms.push((w) => w.name.toLowerCase().includes(word));
      continue;
    }
    const key = SYNONYMS[word.slice(0, colon)] ?? word.slice(0, colon);
    const value = word.slice(colon + 1);
    const term = KEYS[key];
    if (!term) return { problem: `"${word.slice(0, colon)}:" is not a filter: use a name, strategy:<kind>, or health:<healthy|progressing|paused|degraded|aborted>.` };
    if (!value) return { problem: `"${word}" needs a value after the colon.` };
    terms.push(term(value));
  }
  return { text: text.trim(), matches: (w) => terms.every((t) => t(w)) };
}
