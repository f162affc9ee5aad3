// The text of a pod's log document: its last lines and, when the container restarted, those of
// the run before, each under a header saying what it is; a part that could not be read says why.
// Pure (no vscode), so the layout is unit-tested.

import type { LogPart } from '../../domain/panels/logs';

/** Lines a log document shows of each run. */
export const LOG_TAIL_LINES = 200;

export interface PodLogDocument {
  context: string;
  namespace: string;
  pod: string;
  container: string;
  current: LogPart;
  /** Asked for when the container restarted. */
  previous?: LogPart;
}

function part(title: string, p: LogPart): string {
  if ('problem' in p) return `# ${title}: ${p.problem}\n`;
  const body = p.text.endsWith('\n') || !p.text ? p.text : `${p.text}\n`;
  return `# ${title}${body ? '' : ': empty'}\n${body}`;
}

export function podLogDocument(d: PodLogDocument): string {
  const header = `# pod ${d.pod}, container ${d.container} · namespace ${d.namespace} · context ${d.context}\n`;
  const parts = [part(`last ${LOG_TAIL_LINES} lines`, d.current)];
  if (d.previous) parts.push(part(`previous run (before the last restart), last ${LOG_TAIL_LINES} lines`, d.previous));
  return [header, ...parts].join('\n');
}

/** The document's address: one per pod and container (reopening shows the fresh log). */
export function podLogPath(d: Pick<PodLogDocument, 'context' | 'namespace' | 'pod' | 'container'>): string {
  return `/${encodeURIComponent(d.context)}/${encodeURIComponent(d.namespace)}/${encodeURIComponent(d.pod)}/${encodeURIComponent(d.container)}.log`;
}

/** What a followed log keeps: the newest characters, so a chatty container cannot grow the editor without end. */
export const FOLLOW_MAX_CHARS = 1_000_000;

/** `text` with `chunk` appended, cut at a line start to at most `max` characters (the oldest lines go). */
export function appendBounded(text: string, chunk: string, max = FOLLOW_MAX_CHARS): string {
  const all = text + chunk;
  if (all.length <= max) return all;
  const cut = all.indexOf('\n', all.length - max);
  return cut < 0 ? all.slice(all.length - max) : all.slice(cut + 1);
}

/** The first line of a followed log's document, and the line that ends it (why it stopped). */
export function followHeader(d: Pick<PodLogDocument, 'context' | 'namespace' | 'pod' | 'container'>): string {
  return `# following pod ${d.pod}, container ${d.container} · namespace ${d.namespace} · context ${d.context} (last ${LOG_TAIL_LINES} lines, then as they arrive; close this editor to stop)\n`;
}

/** The document's address while following: apart from Show Logs' (which a reopen replaces). */
export function followLogPath(d: Pick<PodLogDocument, 'context' | 'namespace' | 'pod' | 'container'>): string {
  return podLogPath(d).replace(/\.log$/, '.follow.log');
}
