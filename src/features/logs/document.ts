// The text of a pod's log document: its last lines and, when the container restarted, those of
// the run before, each under a header saying what it is; a part that could not be read says why.
// Pure (no vscode), so the layout is unit-tested.

/** Lines a log document shows of each run. */
export const LOG_TAIL_LINES = 200;

/** One run's log, or why there is none (a ClusterError's message). */
export type LogPart = { text: string } | { problem: string };

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
