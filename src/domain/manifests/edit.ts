// The one way Switchyard edits a value in a YAML file the user keeps (the Git path): the text of the
// scalar changes and nothing else, so comments, quoting, indentation and key order stay as they
// were; a key that is not there yet is added through the `yaml` Document API (which keeps comments)
// and only the lines that changed are replaced. An inline patch (`patch: |` in a kustomization) is
// edited inside its block scalar the same way, its lines re-indented. Pure.
import { isScalar, parseDocument, Scalar, stringify, type Document } from 'yaml';
import type { TextEdit } from '../lint/rules';
import { nodeAtPath, parseYamlFile, type PathSegment } from '../yaml/documents';
import type { TextSource } from './locate';

export interface ValueChange {
  path: PathSegment[];
  /** The new value; undefined removes the key. */
  value?: unknown;
}

export class EditError extends Error {}

/** The edits that make `changes` in the document `source` names of `text` (a file's whole text). */
export function editYaml(text: string, source: Pick<TextSource, 'document' | 'inline'>, changes: readonly ValueChange[]): TextEdit[] {
  const file = parseYamlFile(text);
  const doc = file.documents[source.document];
  if (!doc) throw new EditError(`The file has no document ${source.document + 1}.`);
  if (doc.doc.errors.length) throw new EditError(`The file has YAML errors; fix them first: ${doc.doc.errors[0].message.split('\n')[0]}`);
  if (source.inline) {
    const node = nodeAtPath(doc, source.inline);
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) throw new EditError(`No inline patch at ${source.inline.join('.')}.`);
    return editBlockScalar(text, node, doc.offset, changes);
  }
  const inPlace = changes.every((c) => c.value !== undefined && isScalar(nodeAtPath(doc, c.path)) && !isCollectionValue(c.value));
  if (inPlace) {
    return changes.map((c) => {
      const node = nodeAtPath(doc, c.path) as Scalar;
      return { start: node.range![0] + doc.offset, end: node.range![1] + doc.offset, newText: scalarSource(node, c.value) };
    });
  }
  const start = doc.doc.range[0] + doc.offset;
  const end = doc.doc.range[1] + doc.offset;
  const edited = parseDocument(text.slice(start, end), { keepSourceTokens: false });
  for (const c of changes) {
    if (c.value === undefined) edited.deleteIn(c.path);
    else edited.setIn(c.path, edited.createNode(c.value));
  }
  return [minimalEdit(text, start, end, printed(edited, text.slice(start, end)))];
}

function isCollectionValue(v: unknown): boolean {
  return typeof v === 'object' && v !== null;
}

/** The new value written as the old scalar was: same quotes when it stays a string. */
function scalarSource(node: Scalar, value: unknown): string {
  if (typeof value === 'string') {
    if (node.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
    if (node.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  }
  return stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
}

/** A document printed back; its trailing newline as the original had it. */
function printed(doc: Document, original: string): string {
  const out = doc.toString({ lineWidth: 0, indentSeq: !/^\s*\w[^\n]*:\s*\n-/m.test(original) });
  return original.endsWith('\n') ? out : out.replace(/\n$/, '');
}

/** One edit replacing only what differs between `text[start, end)` and `next` (whole lines). */
function minimalEdit(text: string, start: number, end: number, next: string): TextEdit {
  const old = text.slice(start, end);
  let head = 0;
  while (head < old.length && head < next.length && old[head] === next[head]) head++;
  head = old.lastIndexOf('\n', head - 1) + 1;
  let tail = 0;
  while (tail < old.length - head && tail < next.length - head && old[old.length - 1 - tail] === next[next.length - 1 - tail]) tail++;
  return { start: start + head, end: end - tail, newText: next.slice(head, next.length - tail) };
}

/**
 * Edits inside a literal block scalar: the patch's own text is edited as a YAML file, then each of
 * its offsets is mapped to the kustomization's (same line, shifted by the block's indentation).
 */
function editBlockScalar(text: string, node: Scalar, docOffset: number, changes: readonly ValueChange[]): TextEdit[] {
  if (node.type !== Scalar.BLOCK_LITERAL) throw new EditError('The inline patch is not a literal block (`|`): Switchyard edits only those.');
  const inner = node.value as string;
  const innerEdits = editYaml(inner, { document: 0 }, changes);
  const start = node.range![0] + docOffset;
  const firstLine = text.indexOf('\n', start) + 1; // the header line (`|`, `|-`) ends here
  const indent = /^[ \t]*/.exec(text.slice(firstLine))![0];
  // The start of each inner line in the file: the block's lines, one for one, past their indentation.
  const lineStarts: number[] = [];
  let at = firstLine;
  for (let i = 0; i < inner.split('\n').length; i++) {
    const nl = text.indexOf('\n', at);
    const lineEnd = nl === -1 ? text.length : nl;
    lineStarts.push(at + Math.min(indent.length, /^[ \t]*/.exec(text.slice(at, lineEnd))![0].length));
    at = lineEnd + 1;
  }
  const map = (offset: number) => {
    const before = inner.slice(0, offset);
    const line = before.split('\n').length - 1;
    return lineStarts[line] + (offset - (before.lastIndexOf('\n') + 1));
  };
  return innerEdits.map((e) => ({ start: map(e.start), end: map(e.end), newText: e.newText.replace(/\n(?=.)/g, `\n${indent}`) }));
}
