// Parsing of multi-document YAML files into a form the hover, lint and convert code share.
// Each document is parsed on its own (split at `---` lines) and reused from the previous parse when
// its text is unchanged, so an edit in a 1,000-document file re-parses one document.
//
// Two parsers, for speed: the rules read plain values, and only a finding, a hover or a conversion
// needs node ranges. A chunk that holds one plain mapping is read with js-yaml (about ten times
// faster); its `yaml` syntax tree is built the first time something asks for `doc`. Anything else
// (syntax errors, several documents, anchors and aliases, tags, directives) goes straight to `yaml`,
// whose messages and limits are the ones users see.
// Node ranges inside `doc` are relative to the document's chunk; every offset this module hands
// out (and takes) is an offset into the whole file.
//
// A chunk with Go template actions (Helm) is marked `templated`, and so is everything parsed from
// it. The mark is the chunk's, not a document's: a first line like `{{- if .Values.enabled }}` ends
// `yaml`'s document there, and every later line is a stream error that belongs to no document.
import { CORE_SCHEMA, loadAll as loadValues } from 'js-yaml';
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, visit, type Document, type Node, type Pair } from 'yaml';

export type PathSegment = string | number;

export interface ParsedDocument {
  /** The `yaml` document (built on first use); its node ranges are relative to `offset`. */
  readonly doc: Document.Parsed;
  /** Where the document's chunk starts in the file. */
  readonly offset: number;
  /** The document as plain JS (undefined when it is empty). */
  readonly value: unknown;
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  /** Offsets of the document in the file. */
  readonly start: number;
  readonly end: number;
  /** A Go template (Helm), not a manifest: its values and errors are the template's. */
  readonly templated: boolean;
}

export interface ParseProblem {
  message: string;
  start: number;
  end: number;
  severity: 'error' | 'warning';
  /** Found in a Go template, whose text is not YAML until rendered. */
  templated: boolean;
}

export interface ParsedFile {
  text: string;
  documents: ParsedDocument[];
  problems: ParseProblem[];
  /** Parsed chunks by their text, for reuse by the next parse of an edited version. */
  chunks: Map<string, ParsedChunk>;
}

/** One document of a chunk, with chunk-relative offsets. */
interface ChunkDocument {
  value: unknown;
  apiVersion?: string;
  kind?: string;
  name?: string;
  range: [number, number];
  templated: boolean;
  /** The `yaml` syntax tree, parsed on first call and kept with the chunk. */
  syntax(): Document.Parsed;
}

/** One `---`-separated piece of the file, parsed with chunk-relative ranges. */
interface ParsedChunk {
  documents: ChunkDocument[];
  problems: ParseProblem[];
}

/** A chunk document placed in the file. A class, so `doc` stays lazy (a spread would force it). */
class FileDocument implements ParsedDocument {
  constructor(
    private readonly entry: ChunkDocument,
    readonly offset: number,
  ) {}
  get doc(): Document.Parsed {
    return this.entry.syntax();
  }
  get value(): unknown {
    return this.entry.value;
  }
  get apiVersion(): string | undefined {
    return this.entry.apiVersion;
  }
  get kind(): string | undefined {
    return this.entry.kind;
  }
  get name(): string | undefined {
    return this.entry.name;
  }
  get start(): number {
    return this.entry.range[0] + this.offset;
  }
  get end(): number {
    return this.entry.range[1] + this.offset;
  }
  get templated(): boolean {
    return this.entry.templated;
  }
}

/** Start offsets of the chunks: 0, then every line that starts with `---` (a document marker). */
export function chunkStarts(text: string): number[] {
  const starts = [0];
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  for (let m = marker.exec(text); m; m = marker.exec(text)) if (m.index > 0) starts.push(m.index);
  return starts;
}

const YAML_OPTIONS = { keepSourceTokens: false, prettyErrors: false, uniqueKeys: true, logLevel: 'error' } as const;

/**
 * What the fast reader leaves to `yaml`: anchors, aliases and tags (`&x`, `*x`, `!t`), explicit keys
 * (`? k`), directives and document ends. A false alarm only costs the slower parse.
 */
const NEEDS_FULL_PARSER = /(?:^|[\s,[{])[&*!][^\s,[\]{}]|(?:^|\s)\?(?:[ \t]|$)|^%|^\.\.\.(?:[ \t]|$)/m;
/** Blank and comment lines before a document's content, which `yaml` leaves out of its range. */
const LEADING_TRIVIA = /^(?:[ \t]*(?:#.*)?\r?\n)*/;

/**
 * A Go template action (`{{ … }}`) before any quote or comment on its line makes the chunk a
 * template. Template text inside quoted strings (an alert message in a ConfigMap) does not count.
 */
const TEMPLATE_ACTION = /^[^#"'\n]*\{\{/m;

function parseChunk(chunk: string, fastReader: boolean): ParsedChunk {
  const templated = TEMPLATE_ACTION.test(chunk);
  return (fastReader && !NEEDS_FULL_PARSER.test(chunk) ? readPlainChunk(chunk, templated) : undefined) ?? parseChunkFully(chunk, templated);
}

/** The fast path: a chunk that js-yaml reads as exactly one mapping, without errors. */
function readPlainChunk(chunk: string, templated: boolean): ParsedChunk | undefined {
  let values: unknown[];
  try {
    values = loadValues(chunk, undefined, { schema: CORE_SCHEMA });
  } catch {
    return undefined; // `yaml` says what is wrong, in its words and at its position
  }
  if (values.length !== 1 || !isRecord(values[0])) return undefined;
  let syntax: Document.Parsed | undefined;
  const document: ChunkDocument = {
    ...describe(values[0]),
    range: [LEADING_TRIVIA.exec(chunk)![0].length, chunk.length],
    templated,
    syntax: () => (syntax ??= onlyDocument(chunk)),
  };
  return { documents: [document], problems: [] };
}

function onlyDocument(chunk: string): Document.Parsed {
  const docs = syntaxTrees(chunk).docs;
  if (docs.length !== 1) throw new Error(`expected one YAML document in the chunk, found ${docs.length}`);
  return docs[0];
}

function parseChunkFully(chunk: string, templated: boolean): ParsedChunk {
  const problems: ParseProblem[] = [];
  const documents: ChunkDocument[] = [];
  const { docs, values } = syntaxTrees(chunk);
  docs.forEach((doc, index) => {
    for (const e of doc.errors) problems.push({ message: e.message.split('\n')[0], ...problemRange(e.pos, chunk.length), severity: 'error', templated });
    for (const w of doc.warnings) problems.push({ message: w.message.split('\n')[0], ...problemRange(w.pos, chunk.length), severity: 'warning', templated });
    let value: unknown;
    try {
      value = values ? values[index] : doc.errors.length ? safeToJS(doc) : doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      problems.push({ message: `YAML could not be read: ${(e as Error).message}`, start: doc.range[0], end: doc.range[1], severity: 'error', templated });
      value = undefined;
    }
    documents.push({ ...describe(value), range: [doc.range[0], doc.range[2]], templated, syntax: () => doc });
  });
  return { documents, problems };
}

/** A problem's range, at least one character long and inside the chunk (`yaml` reports an unclosed quote just past the end). */
function problemRange([from, to]: [number, number], length: number): { start: number; end: number } {
  const start = Math.max(0, Math.min(from, length - 1));
  return { start, end: Math.max(start + (length > 0 ? 1 : 0), Math.min(to, length)) };
}

/**
 * The chunk's `yaml` documents. go-yaml (kubectl, the API server) and js-yaml accept a quoted scalar
 * whose continuation lines are indented no deeper than its key, as some published CRDs have it;
 * `yaml` ends the scalar there ("Missing closing 'quote"). When js-yaml reads the chunk, such
 * scalars' line breaks are read as spaces for the syntax tree (the text keeps its length, so every
 * range stays right) and the values are js-yaml's (`values`, one per document).
 */
function syntaxTrees(chunk: string): { docs: Document.Parsed[]; values?: unknown[] } {
  const parse = (text: string) => {
    const parsed = parseAllDocuments(text, YAML_OPTIONS);
    return Array.isArray(parsed) ? parsed : [];
  };
  const docs = parse(chunk);
  if (!docs.some((d) => d.errors.some((e) => e.code === 'MISSING_CHAR' && /^Missing closing ['"]quote/.test(e.message)))) return { docs };
  const unclosed: number[] = [];
  for (const doc of docs) {
    visit(doc, {
      Scalar(_, node) {
        const quote = node.type === 'QUOTE_SINGLE' ? "'" : node.type === 'QUOTE_DOUBLE' ? '"' : undefined;
        const [start, end] = node.range ?? [0, 0];
        if (quote && (end - start < 2 || chunk[end - 1] !== quote)) unclosed.push(start);
      },
    });
  }
  let values: unknown[] | undefined;
  try {
    values = loadValues(chunk, undefined, { schema: CORE_SCHEMA });
  } catch {
    return { docs }; // a quote really left open: `yaml`'s words for it
  }
  const relaxed = parse(joinQuotedLines(chunk, unclosed));
  if (relaxed.length !== values.length || relaxed.some((d) => d.errors.length)) return { docs };
  return { docs: relaxed, values };
}

/** The chunk with the line breaks inside the quoted scalars opening at `quotes` turned into spaces. */
function joinQuotedLines(chunk: string, quotes: number[]): string {
  const chars = chunk.split(''); // UTF-16 units, as the offsets count
  for (const open of quotes) {
    const quote = chunk[open];
    for (let i = open + 1; i < chunk.length; i++) {
      const c = chunk[i];
      if (quote === '"' && c === '\\') i++;
      else if (c === quote && quote === "'" && chunk[i + 1] === "'") i++;
      else if (c === quote) break;
      else if (c === '\n' || c === '\r') chars[i] = ' ';
    }
  }
  return chars.join('');
}

function describe(value: unknown): Pick<ChunkDocument, 'value' | 'apiVersion' | 'kind' | 'name'> {
  const record = isRecord(value) ? value : undefined;
  return {
    value,
    apiVersion: typeof record?.apiVersion === 'string' ? record.apiVersion : undefined,
    kind: typeof record?.kind === 'string' ? record.kind : undefined,
    name: isRecord(record?.metadata) && typeof record.metadata.name === 'string' ? record.metadata.name : undefined,
  };
}

export interface ParseOptions {
  /** Read plain mappings with js-yaml first (default). Off: every chunk through `yaml` (tests compare the two). */
  fastReader?: boolean;
}

/**
 * Parses every document of a YAML file. Never throws: syntax errors become problems. Pass the
 * previous parse of the same file to reuse the documents whose text did not change.
 */
export function parseYamlFile(text: string, previous?: ParsedFile, options: ParseOptions = {}): ParsedFile {
  const fastReader = options.fastReader ?? true;
  const problems: ParseProblem[] = [];
  const documents: ParsedDocument[] = [];
  const chunks = new Map<string, ParsedChunk>();
  const starts = chunkStarts(text);
  starts.forEach((offset, i) => {
    const chunkText = text.slice(offset, starts[i + 1] ?? text.length);
    const chunk = chunks.get(chunkText) ?? previous?.chunks.get(chunkText) ?? parseChunk(chunkText, fastReader);
    chunks.set(chunkText, chunk);
    for (const p of chunk.problems) problems.push({ ...p, start: p.start + offset, end: p.end + offset });
    for (const d of chunk.documents) documents.push(new FileDocument(d, offset));
  });
  return { text, documents, problems, chunks };
}

function safeToJS(doc: Document.Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

export function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The document that contains `offset`, if any. */
export function documentAt(file: ParsedFile, offset: number): ParsedDocument | undefined {
  return file.documents.find((d) => offset >= d.start && offset <= d.end);
}

export interface NodeAtOffset {
  /** Keys and sequence indices from the document root to the node. */
  path: PathSegment[];
  /** Whether the offset is on the key of the last pair rather than its value. */
  onKey: boolean;
  /** Range of the key (or the item for sequences). */
  start: number;
  end: number;
}

/** Finds the deepest map key or value under `offset`, with its path from the root. */
export function nodeAt(parsed: ParsedDocument, fileOffset: number): NodeAtOffset | undefined {
  const found = nodeAtLocal(parsed, fileOffset - parsed.offset);
  return found && { ...found, start: found.start + parsed.offset, end: found.end + parsed.offset };
}

function nodeAtLocal(parsed: ParsedDocument, offset: number): NodeAtOffset | undefined {
  const path: PathSegment[] = [];
  let found: NodeAtOffset | undefined;
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items as Pair[]) {
        const key = pair.key as Node | null;
        const keyName = isScalar(key) ? String(key.value) : undefined;
        if (keyName === undefined) continue;
        const value = pair.value as Node | null;
        if (key?.range && offset >= key.range[0] && offset <= key.range[1]) {
          found = { path: [...path, keyName], onKey: true, start: key.range[0], end: key.range[1] };
          return;
        }
        if (value?.range && offset >= value.range[0] && offset <= value.range[1]) {
          path.push(keyName);
          if (isScalar(value)) {
            found = { path: [...path], onKey: false, start: value.range[0], end: value.range[1] };
          } else {
            visit(value);
          }
          path.pop();
          return;
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const n = item as Node | null;
        if (!found && n?.range && offset >= n.range[0] && offset <= n.range[1]) {
          path.push(index);
          if (isScalar(n)) found = { path: [...path], onKey: false, start: n.range[0], end: n.range[1] };
          else visit(n);
          path.pop();
        }
      });
    }
  };
  visit(parsed.doc.contents);
  return found;
}

/** The YAML node at `path`, or undefined (its ranges are relative to `parsed.offset`). */
export function nodeAtPath(parsed: ParsedDocument, path: PathSegment[]): Node | undefined {
  let node: unknown = parsed.doc.contents;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!isSeq(node)) return undefined;
      node = node.items[segment];
    } else {
      if (!isMap(node)) return undefined;
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment);
      node = pair?.value;
    }
  }
  return (node ?? undefined) as Node | undefined;
}

/** The key node of the pair at `path` (its last segment must be a key). */
export function keyNodeAtPath(parsed: ParsedDocument, path: PathSegment[]): Node | undefined {
  const parent = nodeAtPath(parsed, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!isMap(parent) || typeof last !== 'string') return undefined;
  const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === last);
  return (pair?.key ?? undefined) as Node | undefined;
}

/** Range of the key at `path` if it exists, else of the nearest existing ancestor's key, else the document start. */
export function rangeForPath(parsed: ParsedDocument, path: PathSegment[]): { start: number; end: number } {
  for (let n = path.length; n > 0; n--) {
    const sub = path.slice(0, n);
    const last = sub[sub.length - 1];
    const node = typeof last === 'string' ? keyNodeAtPath(parsed, sub) : nodeAtPath(parsed, sub);
    if (node?.range) return { start: node.range[0] + parsed.offset, end: node.range[1] + parsed.offset };
  }
  return { start: parsed.start, end: Math.min(parsed.end, parsed.start + 1) };
}

/** Value-node range at `path`, falling back to the key range. */
export function valueRangeForPath(parsed: ParsedDocument, path: PathSegment[]): { start: number; end: number } {
  const node = nodeAtPath(parsed, path);
  if (node?.range && isScalar(node)) return { start: node.range[0] + parsed.offset, end: node.range[1] + parsed.offset };
  return rangeForPath(parsed, path);
}

/** Reads a nested value from plain JS by path. */
export function getIn(value: unknown, path: PathSegment[]): unknown {
  let v: any = value;
  for (const s of path) {
    if (v === null || v === undefined) return undefined;
    v = v[s as any];
  }
  return v;
}
