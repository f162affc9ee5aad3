// A line diff (longest common subsequence) for previews: what a dry-run says an object becomes.

export interface DiffLine {
  op: ' ' | '+' | '-';
  text: string;
}

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = length of the LCS of a[i..] and b[j..]
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i++] });
      j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) out.push({ op: '-', text: a[i++] });
    else out.push({ op: '+', text: b[j++] });
  }
  return out;
}

/** Unified-diff style text with `context` unchanged lines around each change; empty when equal. */
export function unifiedDiff(before: string, after: string, context = 3): string {
  const lines = diffLines(before, after);
  const changed = lines.map((l) => l.op !== ' ');
  if (!changed.some(Boolean)) return '';
  const keep = lines.map((_, i) => changed.slice(Math.max(0, i - context), i + context + 1).some(Boolean));
  const out: string[] = [];
  lines.forEach((l, i) => {
    if (keep[i]) out.push(`${l.op} ${l.text}`);
    else if (i === 0 || keep[i - 1]) out.push('  …');
  });
  return out.join('\n');
}
