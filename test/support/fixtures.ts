import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYamlFile, type ParsedFile } from '../../src/domain/yaml/documents';

const root = join(__dirname, '..', '..', 'test', 'fixtures');

export function fixtureText(name: string): string {
  return readFileSync(join(root, name), 'utf8');
}

/** Every YAML fixture, as `folder/file` names for `fixtureText` (the lint, cluster and Helm ones alike). */
export function yamlFixtureNames(): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(root, d.name)).filter((f) => f.endsWith('.yaml')).map((f) => `${d.name}/${f}`));
}

export function fixture(name: string): ParsedFile {
  return parseYamlFile(fixtureText(name));
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: { start: number; end: number; newText: string }[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

/** Offset of the n-th occurrence (0-based) of `needle`. */
export function offsetOf(text: string, needle: string, nth = 0): number {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" #${nth} not found`);
  }
  return at;
}
