// Expands a VS Code snippet body to the text it gives when every tab stop keeps its default.
// Pure (no `vscode`): used by tests to check that the contributed snippets produce valid manifests.
//
// Follows the snippet grammar of VS Code (editor/contrib/snippet/browser/snippetParser.ts):
//   $1 ${1}            tab stop: takes the value given to the same number elsewhere, else empty
//   ${1:default}       placeholder; the default may hold nested tab stops, placeholders, variables
//   ${1|one,two|}      choice: its first option
//   ${1/re/format/gi}  transformed mirror of tab stop 1 (format: $1 ${1} ${1:/upcase} ${1:+if} ${1:?if:else} ${1:-else} ${1:else})
//   $0 ${0:text}       final tab stop (never mirrored)
//   $NAME ${NAME} ${NAME:default} ${NAME/re/format/}   variables: no editor here, so the default or empty
//   \$ \} \\           escapes; any other backslash is kept as is
// Mirrors take the value of the first placeholder of their number that has content (a default or a
// choice), wherever it appears, as in VS Code. Anything that does not parse stays as literal text.

type TokenType = '$' | ':' | ',' | '{' | '}' | '\\' | '/' | '|' | '+' | '-' | '?' | 'int' | 'name' | 'text' | 'eof';

interface Token {
  type: TokenType;
  text: string;
}

interface TextNode {
  kind: 'text';
  value: string;
}

interface TabStopNode {
  kind: 'tabstop';
  index: number;
  /** The default; for a choice, its first option. */
  children: SnippetNode[];
  transform?: Transform;
}

interface VariableNode {
  kind: 'variable';
  name: string;
  children: SnippetNode[];
  transform?: Transform;
}

type SnippetNode = TextNode | TabStopNode | VariableNode;

interface FormatString {
  group: number;
  shorthand?: string;
  ifValue?: string;
  elseValue?: string;
}

interface Transform {
  regexp: RegExp;
  format: (string | FormatString)[];
}

const SINGLE_CHAR_TOKENS = new Set<string>(['$', ':', ',', '{', '}', '\\', '/', '|', '+', '-', '?']);

const isDigit = (ch: string) => ch >= '0' && ch <= '9';
const isNameChar = (ch: string) => ch === '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (SINGLE_CHAR_TOKENS.has(ch)) {
      tokens.push({ type: ch as TokenType, text: ch });
      i += 1;
      continue;
    }
    let j = i + 1;
    let type: TokenType;
    if (isDigit(ch)) {
      type = 'int';
      while (j < source.length && isDigit(source[j])) j++;
    } else if (isNameChar(ch)) {
      type = 'name';
      while (j < source.length && (isNameChar(source[j]) || isDigit(source[j]))) j++;
    } else {
      type = 'text';
      while (j < source.length && !SINGLE_CHAR_TOKENS.has(source[j]) && !isDigit(source[j]) && !isNameChar(source[j])) j++;
    }
    tokens.push({ type, text: source.slice(i, j) });
    i = j;
  }
  tokens.push({ type: 'eof', text: '' });
  return tokens;
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(source: string) {
    this.tokens = tokenize(source);
  }

  parse(): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    while (this.parseItem(nodes)) {
      // keep going until the end
    }
    return nodes;
  }

  private get token(): Token {
    return this.tokens[this.pos];
  }

  private accept(type?: TokenType): Token | undefined {
    const t = this.token;
    if (t.type === 'eof') return undefined;
    if (type !== undefined && t.type !== type) return undefined;
    this.pos += 1;
    return t;
  }

  private backTo(pos: number): false {
    this.pos = pos;
    return false;
  }

  private parseItem(out: SnippetNode[]): boolean {
    return this.parseEscaped(out) || this.parseSimple(out) || this.parseComplexTabStop(out) || this.parseComplexVariable(out) || this.parseAnything(out);
  }

  // \$ \} \\ -> the character; a lone backslash stays
  private parseEscaped(out: SnippetNode[]): boolean {
    if (!this.accept('\\')) return false;
    const escaped = this.accept('$') ?? this.accept('}') ?? this.accept('\\');
    appendText(out, escaped ? escaped.text : '\\');
    return true;
  }

  // $1, $NAME
  private parseSimple(out: SnippetNode[]): boolean {
    const start = this.pos;
    if (!this.accept('$')) return false;
    const t = this.accept('int') ?? this.accept('name');
    if (!t) return this.backTo(start);
    out.push(t.type === 'int' ? { kind: 'tabstop', index: Number(t.text), children: [] } : { kind: 'variable', name: t.text, children: [] });
    return true;
  }

  // ${1}, ${1:children}, ${1|a,b|}, ${1/re/format/options}
  private parseComplexTabStop(out: SnippetNode[]): boolean {
    const start = this.pos;
    if (!this.accept('$') || !this.accept('{')) return this.backTo(start);
    const indexToken = this.accept('int');
    if (!indexToken) return this.backTo(start);
    const node: TabStopNode = { kind: 'tabstop', index: Number(indexToken.text), children: [] };

    if (this.accept(':')) {
      return this.parseChildren(out, node, `\${${indexToken.text}:`);
    }
    if (node.index > 0 && this.accept('|')) {
      const options: string[] = [];
      while (true) {
        const option = this.parseChoiceOption();
        if (option === undefined) return this.backTo(start);
        options.push(option);
        if (this.accept(',')) continue;
        if (this.accept('|') && this.accept('}')) {
          node.children = [{ kind: 'text', value: options[0] }];
          out.push(node);
          return true;
        }
        return this.backTo(start);
      }
    }
    return this.transformOrClose(out, node, start);
  }

  /** The end of `${n` or `${NAME`: a transform `/re/format/options}` or a plain `}`. */
  private transformOrClose(out: SnippetNode[], node: TabStopNode | VariableNode, start: number): boolean {
    if (this.accept('/')) {
      const transform = this.parseTransform();
      if (!transform) return this.backTo(start);
      node.transform = transform;
      out.push(node);
      return true;
    }
    if (this.accept('}')) {
      out.push(node);
      return true;
    }
    return this.backTo(start);
  }

  // ${NAME}, ${NAME:children}, ${NAME/re/format/options}
  private parseComplexVariable(out: SnippetNode[]): boolean {
    const start = this.pos;
    if (!this.accept('$') || !this.accept('{')) return this.backTo(start);
    const nameToken = this.accept('name');
    if (!nameToken) return this.backTo(start);
    const node: VariableNode = { kind: 'variable', name: nameToken.text, children: [] };
    if (this.accept(':')) return this.parseChildren(out, node, `\${${nameToken.text}:`);
    return this.transformOrClose(out, node, start);
  }

  /** Children up to the closing brace; unterminated, the opening is kept as text (as VS Code does). */
  private parseChildren(out: SnippetNode[], node: TabStopNode | VariableNode, opening: string): true {
    while (true) {
      if (this.accept('}')) {
        out.push(node);
        return true;
      }
      if (this.parseItem(node.children)) continue;
      appendText(out, opening);
      for (const child of node.children) {
        if (child.kind === 'text') appendText(out, child.value);
        else out.push(child);
      }
      return true;
    }
  }

  /** One option of a choice: up to an unescaped `,` or `|`; `\,` `\|` `\\` are escapes. */
  private parseChoiceOption(): string | undefined {
    let value = '';
    let empty = true;
    while (this.token.type !== ',' && this.token.type !== '|') {
      let piece: string;
      if (this.accept('\\')) {
        piece = (this.accept(',') ?? this.accept('|') ?? this.accept('\\'))?.text ?? '\\';
      } else {
        const t = this.accept();
        if (!t) return undefined;
        piece = t.text;
      }
      value += piece;
      empty = false;
    }
    return empty ? undefined : value;
  }

  // after "/": regex/format/options}
  private parseTransform(): Transform | undefined {
    let source = '';
    while (!this.accept('/')) {
      if (this.accept('\\')) {
        source += this.accept('/') ? '/' : '\\';
        continue;
      }
      const t = this.accept();
      if (!t) return undefined;
      source += t.text;
    }
    const format: (string | FormatString)[] = [];
    const text = (s: string) => {
      if (typeof format[format.length - 1] === 'string') format[format.length - 1] += s;
      else format.push(s);
    };
    while (!this.accept('/')) {
      if (this.accept('\\')) {
        text((this.accept('\\') ?? this.accept('/'))?.text ?? '\\');
        continue;
      }
      const formatString = this.parseFormatString();
      if (formatString) {
        format.push(formatString);
        continue;
      }
      const t = this.accept();
      if (!t) return undefined;
      text(t.text);
    }
    let flags = '';
    while (!this.accept('}')) {
      const t = this.accept();
      if (!t) return undefined;
      flags += t.text;
    }
    try {
      return { regexp: new RegExp(source, flags), format };
    } catch {
      return undefined;
    }
  }

  // $1 ${1} ${1:/upcase} ${1:+if} ${1:-else} ${1:?if:else} ${1:else}
  private parseFormatString(): FormatString | undefined {
    const start = this.pos;
    if (!this.accept('$')) return undefined;
    const complex = Boolean(this.accept('{'));
    const indexToken = this.accept('int');
    const fail = () => {
      this.pos = start;
      return undefined;
    };
    if (!indexToken) return fail();
    const group = Number(indexToken.text);
    if (!complex || this.accept('}')) return { group };
    if (!this.accept(':')) return fail();
    if (this.accept('/')) {
      const shorthand = this.accept('name');
      if (!shorthand || !this.accept('}')) return fail();
      return { group, shorthand: shorthand.text };
    }
    if (this.accept('+')) {
      const ifValue = this.until('}');
      return ifValue ? { group, ifValue } : fail();
    }
    if (this.accept('-')) {
      const elseValue = this.until('}');
      return elseValue ? { group, elseValue } : fail();
    }
    if (this.accept('?')) {
      const ifValue = this.until(':');
      const elseValue = ifValue ? this.until('}') : undefined;
      return ifValue && elseValue ? { group, ifValue, elseValue } : fail();
    }
    const elseValue = this.until('}');
    return elseValue ? { group, elseValue } : fail();
  }

  /** Raw text up to (and consuming) `type`; `\$`, `\}` and `\\` are escapes, any other backslash fails. */
  private until(type: TokenType): string | undefined {
    let value = '';
    while (!this.accept(type)) {
      if (this.accept('\\')) {
        const escaped = this.accept('$') ?? this.accept('}') ?? this.accept('\\');
        if (!escaped) return undefined;
        value += escaped.text;
        continue;
      }
      const t = this.accept();
      if (!t) return undefined;
      value += t.text;
    }
    return value;
  }

  private parseAnything(out: SnippetNode[]): boolean {
    const t = this.accept();
    if (!t) return false;
    appendText(out, t.text);
    return true;
  }
}

function appendText(out: SnippetNode[], value: string): void {
  const last = out[out.length - 1];
  if (last?.kind === 'text') last.value += value;
  else out.push({ kind: 'text', value });
}

// ---- expansion ------------------------------------------------------------------------------

/** The first placeholder of each number (except 0) that has content defines the value of all of them. */
function collectDefaults(nodes: SnippetNode[], defaults: Map<number, SnippetNode[]>): void {
  for (const node of nodes) {
    if (node.kind === 'text') continue;
    if (node.kind === 'tabstop' && node.index !== 0 && node.children.length > 0 && !defaults.has(node.index)) {
      defaults.set(node.index, node.children);
    }
    collectDefaults(node.children, defaults);
  }
}

function render(nodes: SnippetNode[], defaults: Map<number, SnippetNode[]>, active: ReadonlySet<number>): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') {
      out += node.value;
    } else if (node.kind === 'variable') {
      // No editor to resolve from: a transform sees an empty value, as VS Code does for unknown variables.
      out += node.transform ? applyTransform(node.transform, '') : render(node.children, defaults, active);
    } else {
      let value: string;
      if (node.index === 0 || active.has(node.index)) {
        // The final tab stop is never mirrored; a tab stop inside its own default does not recurse.
        value = render(node.children, defaults, active);
      } else {
        const children = defaults.get(node.index) ?? node.children;
        value = render(children, defaults, new Set([...active, node.index]));
      }
      out += node.transform ? applyTransform(node.transform, value) : value;
    }
  }
  return out;
}

function applyTransform(transform: Transform, value: string): string {
  let matched = false;
  let result = value.replace(transform.regexp, (...args: unknown[]) => {
    matched = true;
    // args: match, ...captures, offset, input[, named groups]
    const tail = typeof args[args.length - 1] === 'object' ? 3 : 2;
    return formatGroups(transform.format, args.slice(0, args.length - tail) as (string | undefined)[]);
  });
  if (!matched && transform.format.some((part) => typeof part !== 'string' && Boolean(part.elseValue))) {
    result = formatGroups(transform.format, []);
  }
  return result;
}

function formatGroups(format: (string | FormatString)[], groups: (string | undefined)[]): string {
  return format.map((part) => (typeof part === 'string' ? part : resolveFormat(part, groups[part.group] ?? ''))).join('');
}

function resolveFormat(f: FormatString, value: string): string {
  switch (f.shorthand) {
    case 'upcase':
      return value.toLocaleUpperCase();
    case 'downcase':
      return value.toLocaleLowerCase();
    case 'capitalize':
      return value ? value[0].toLocaleUpperCase() + value.slice(1) : '';
    case 'pascalcase':
      return value ? words(value, (w) => w.charAt(0).toUpperCase() + w.slice(1)) : '';
    case 'camelcase':
      return value ? words(value, (w, i) => (i === 0 ? w.charAt(0).toLowerCase() : w.charAt(0).toUpperCase()) + w.slice(1)) : '';
  }
  if (value && f.ifValue !== undefined) return f.ifValue;
  if (!value && f.elseValue !== undefined) return f.elseValue;
  return value;
}

function words(value: string, map: (word: string, index: number) => string): string {
  const found = value.match(/[a-z0-9]+/gi);
  return found ? found.map(map).join('') : value;
}

/**
 * The text a VS Code snippet body inserts when every tab stop keeps its default: mirrors take the
 * default given to their number elsewhere, a choice its first option, a variable its default (or
 * nothing), and transforms are applied as they are once the user has tabbed past their tab stop.
 * A body given as lines is joined with "\n", as VS Code does.
 */
export function expandSnippet(body: string | string[]): string {
  const source = Array.isArray(body) ? body.join('\n') : body;
  const nodes = new Parser(source).parse();
  const defaults = new Map<number, SnippetNode[]>();
  collectDefaults(nodes, defaults);
  return render(nodes, defaults, new Set());
}
