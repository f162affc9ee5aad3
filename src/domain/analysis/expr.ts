// The subset of expr-lang (github.com/antonmedv/expr v1.15.5, the version Argo Rollouts v1.9.2
// builds with) that AnalysisTemplate conditions use, with expr's semantics: its operator table and
// precedence, a type check before running (expr compiles against the environment's types, so
// `true or result < 1` with a list `result` is an error even though `or` would short-circuit), int
// vs float (`/` and `**` give floats, `%` needs ints), negative indexes counting from the end,
// closures with `#`. Argo's environment: `result`, `isNaN`, `isInf`, `asInt`, `asFloat`, `isNil`,
// `default`. Anything outside the subset throws UnsupportedExpression, never a guess. Pure.

/** expr's int is Go's int: a bigint here, so `5 % 2` and `len(result) == 0` behave as ints; floats are numbers. */
export type ExprValue = bigint | number | string | boolean | null | readonly ExprValue[];

/** What expr itself would reject (at compile or run time): Argo records the measurement as Error. */
export class ExprError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExprError';
  }
}

/** Valid expr this evaluator does not implement: no verdict can be given. */
export class UnsupportedExpression extends Error {
  constructor(what: string) {
    super(`this expression is not supported: ${what}`);
    this.name = 'UnsupportedExpression';
  }
}

// ---------- tokens ----------

type Token = { kind: 'number' | 'string' | 'ident' | 'op' | 'bracket' | 'eof'; value: string; at: number; literal?: ExprValue };

const OPERATORS = ['not in', '**', '==', '!=', '<=', '>=', '&&', '||', '??', '..', '?.', '<', '>', '+', '-', '*', '/', '%', '^', '!', '?', ':', ',', '.', '#', '|', ';', '='];
const WORD_OPERATORS = new Set(['not', 'and', 'or', 'in', 'matches', 'contains', 'startsWith', 'endsWith', 'let']);

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    const at = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9_]*(\.(?!\.)[0-9_]*)?([eE][+-]?[0-9_]+)?)/.exec(src.slice(i))!;
      const text = m[0];
      const clean = text.replace(/_/g, '');
      const isFloat = !/^0[xXoObB]/.test(text) && /[.eE]/.test(text);
      let literal: ExprValue;
      if (isFloat) literal = Number(clean);
      else {
        try { literal = BigInt(clean); } catch { throw new ExprError(`bad number syntax: "${text}" (1:${at + 1})`); }
      }
      if (typeof literal === 'number' && Number.isNaN(literal)) throw new ExprError(`bad number syntax: "${text}" (1:${at + 1})`);
      tokens.push({ kind: 'number', value: text, at, literal });
      i += text.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let out = '';
      for (;;) {
        if (j >= src.length) throw new ExprError(`literal not terminated (1:${at + 1})`);
        const d = src[j];
        if (d === c) break;
        if (d === '\\') {
          const e = src[j + 1];
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v', [c]: c };
          if (e in simple) { out += simple[e]; j += 2; continue; }
          throw new UnsupportedExpression(`the escape \\${e} in a string`);
        }
        out += d;
        j++;
      }
      tokens.push({ kind: 'string', value: src.slice(i, j + 1), at, literal: out });
      i = j + 1;
      continue;
    }
    if (c === '`') throw new UnsupportedExpression('raw `strings`');
    const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i));
    if (word) {
      const w = word[0];
      // "not in" is one operator when the words follow each other
      const notIn = w === 'not' ? /^not\s+in\b/.exec(src.slice(i)) : null;
      if (notIn) { tokens.push({ kind: 'op', value: 'not in', at }); i += notIn[0].length; continue; }
      tokens.push({ kind: WORD_OPERATORS.has(w) ? 'op' : 'ident', value: w, at });
      i += w.length;
      continue;
    }
    if ('()[]{}'.includes(c)) { tokens.push({ kind: 'bracket', value: c, at }); i++; continue; }
    const op = OPERATORS.find((o) => o !== 'not in' && src.startsWith(o, i));
    if (!op) throw new ExprError(`unrecognized character: U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${c}' (1:${at + 1})`);
    tokens.push({ kind: 'op', value: op, at });
    i += op.length;
  }
  tokens.push({ kind: 'eof', value: '', at: src.length });
  return tokens;
}

// ---------- syntax ----------

export type Node =
  | { type: 'literal'; value: ExprValue; at: number }
  | { type: 'name'; name: string; at: number }
  | { type: 'pointer'; at: number }
  | { type: 'array'; items: Node[]; at: number }
  | { type: 'unary'; op: string; operand: Node; at: number }
  | { type: 'binary'; op: string; left: Node; right: Node; at: number }
  | { type: 'conditional'; cond: Node; then: Node; else: Node; at: number }
  | { type: 'index'; target: Node; index: Node; at: number }
  | { type: 'call'; name: string; args: Node[]; at: number }
  | { type: 'closure'; body: Node; at: number };

// expr's table (parser/operator): precedence and associativity.
const BINARY: Record<string, { precedence: number; right?: true }> = {
  '|': { precedence: 0 }, or: { precedence: 10 }, '||': { precedence: 10 }, and: { precedence: 15 }, '&&': { precedence: 15 },
  '==': { precedence: 20 }, '!=': { precedence: 20 }, '<': { precedence: 20 }, '>': { precedence: 20 }, '>=': { precedence: 20 }, '<=': { precedence: 20 },
  in: { precedence: 20 }, 'not in': { precedence: 20 }, matches: { precedence: 20 }, contains: { precedence: 20 }, startsWith: { precedence: 20 }, endsWith: { precedence: 20 },
  '..': { precedence: 25 }, '+': { precedence: 30 }, '-': { precedence: 30 }, '*': { precedence: 60 }, '/': { precedence: 60 }, '%': { precedence: 60 },
  '**': { precedence: 100, right: true }, '^': { precedence: 100, right: true }, '??': { precedence: 500 },
};
const UNARY: Record<string, number> = { not: 50, '!': 50, '-': 90, '+': 90 };
const CLOSURE_BUILTINS = new Set(['all', 'none', 'any', 'one', 'filter', 'map', 'count']);
/** expr's other builtins (valid names, not implemented here). */
const OTHER_BUILTINS = new Set('find findIndex findLast findLastIndex groupBy reduce type abs ceil floor round int float string trim trimPrefix trimSuffix upper lower split splitAfter replace repeat join indexOf lastIndexOf hasPrefix hasSuffix max min sum mean median toJSON fromJSON now duration date first last get take keys values toPairs fromPairs sort sortBy'.split(' '));
/** Argo's environment besides `result` (utils/evaluate EvalCondition). */
const ARGO_FUNCTIONS = new Set(['isNaN', 'isInf', 'asInt', 'asFloat', 'isNil', 'default']);

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private get current(): Token {
    return this.tokens[this.i];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private is(kind: Token['kind'], value?: string): boolean {
    return this.current.kind === kind && (value === undefined || this.current.value === value);
  }
  private expect(kind: Token['kind'], value: string): void {
    if (!this.is(kind, value)) throw this.unexpected();
    this.next();
  }
  private unexpected(): ExprError {
    const t = this.current;
    return new ExprError(t.kind === 'eof' ? `unexpected end of expression (1:${t.at + 1})` : `unexpected token ${t.kind === 'op' || t.kind === 'bracket' ? 'Operator' : t.kind}("${t.value}") (1:${t.at + 1})`);
  }

  parse(): Node {
    const node = this.expression(0);
    if (!this.is('eof')) throw this.unexpected();
    return node;
  }

  private expression(precedence: number): Node {
    if (precedence === 0 && this.is('op', 'let')) throw new UnsupportedExpression('let');
    let left = this.primary();
    let previous = '';
    for (;;) {
      const t = this.current;
      if (t.kind !== 'op') break;
      if (t.value === 'not' && this.tokens[this.i + 1]?.kind === 'op') throw new UnsupportedExpression(`not ${this.tokens[this.i + 1].value}`);
      const op = BINARY[t.value];
      if (!op || op.precedence < precedence) break;
      this.next();
      if (t.value === '|') throw new UnsupportedExpression('the pipe operator |');
      if (previous === '??' && t.value !== '??') throw new ExprError(`Operator (${t.value}) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses. (1:${t.at + 1})`);
      const right = this.expression(op.right ? op.precedence : op.precedence + 1);
      left = { type: 'binary', op: t.value, left, right, at: t.at };
      previous = t.value;
    }
    if (precedence === 0) left = this.conditional(left);
    return left;
  }

  private conditional(node: Node): Node {
    while (this.is('op', '?')) {
      const at = this.next().at;
      if (this.is('op', ':')) {
        this.next();
        node = { type: 'conditional', cond: node, then: node, else: this.expression(0), at };
      } else {
        const then = this.expression(0);
        this.expect('op', ':');
        node = { type: 'conditional', cond: node, then, else: this.expression(0), at };
      }
    }
    return node;
  }

  private primary(): Node {
    const t = this.current;
    if (t.kind === 'op' && UNARY[t.value] !== undefined) {
      this.next();
      return this.postfix({ type: 'unary', op: t.value, operand: this.expression(UNARY[t.value]), at: t.at });
    }
    if (this.is('bracket', '(')) {
      this.next();
      const inner = this.expression(0);
      this.expect('bracket', ')');
      return this.postfix(inner);
    }
    if (t.kind === 'op' && (t.value === '#' || t.value === '.')) {
      if (this.depth === 0) throw new ExprError(`cannot use pointer accessor outside closure (1:${t.at + 1})`);
      if (t.value === '.') throw new UnsupportedExpression('the member accessor . in a closure');
      this.next();
      if (this.is('ident')) throw new UnsupportedExpression(`#${this.current.value}`);
      return this.postfix({ type: 'pointer', at: t.at });
    }
    if (t.kind === 'number' || t.kind === 'string') {
      this.next();
      return this.postfix({ type: 'literal', value: t.literal!, at: t.at });
    }
    if (t.kind === 'ident') {
      this.next();
      if (t.value === 'true' || t.value === 'false') return this.postfix({ type: 'literal', value: t.value === 'true', at: t.at });
      if (t.value === 'nil') return this.postfix({ type: 'literal', value: null, at: t.at });
      if (this.is('bracket', '(')) return this.postfix(this.call(t));
      return this.postfix({ type: 'name', name: t.value, at: t.at });
    }
    if (this.is('bracket', '[')) {
      this.next();
      const items: Node[] = [];
      while (!this.is('bracket', ']')) {
        if (items.length) {
          this.expect('op', ',');
          if (this.is('bracket', ']')) break; // a trailing comma
        }
        items.push(this.expression(0));
      }
      this.next();
      return this.postfix({ type: 'array', items, at: t.at });
    }
    if (this.is('bracket', '{')) throw new UnsupportedExpression('map literals');
    throw this.unexpected();
  }

  private call(name: Token): Node {
    this.expect('bracket', '(');
    const args: Node[] = [];
    if (CLOSURE_BUILTINS.has(name.value)) {
      args.push(this.expression(0));
      this.expect('op', ',');
      const at = this.current.at;
      const braces = this.is('bracket', '{');
      if (braces) this.next();
      this.depth++;
      const body = this.expression(0);
      this.depth--;
      if (braces) this.expect('bracket', '}');
      args.push({ type: 'closure', body, at });
    } else {
      while (!this.is('bracket', ')')) {
        if (args.length) this.expect('op', ',');
        args.push(this.expression(0));
      }
    }
    this.expect('bracket', ')');
    return { type: 'call', name: name.value, args, at: name.at };
  }

  private postfix(node: Node): Node {
    for (;;) {
      if (this.is('bracket', '[')) {
        const at = this.next().at;
        if (this.is('op', ':')) throw new UnsupportedExpression('slices [a:b]');
        const index = this.expression(0);
        if (this.is('op', ':')) throw new UnsupportedExpression('slices [a:b]');
        this.expect('bracket', ']');
        node = { type: 'index', target: node, index, at };
      } else if (this.is('op', '.') || this.is('op', '?.')) {
        throw new UnsupportedExpression('member access with .');
      } else return node;
    }
  }
}

export function parseExpr(src: string): Node {
  return new Parser(tokenize(src)).parse();
}

// ---------- types (expr's checker, for the subset) ----------

type Type = { t: 'int' | 'float' | 'bool' | 'string' | 'nil' | 'any' } | { t: 'array'; of: Type };
const INT: Type = { t: 'int' };
const FLOAT: Type = { t: 'float' };
const BOOL: Type = { t: 'bool' };
const STRING: Type = { t: 'string' };
const ANY: Type = { t: 'any' };

function typeName(ty: Type): string {
  switch (ty.t) {
    case 'int': return 'int';
    case 'float': return 'float64';
    case 'bool': return 'bool';
    case 'string': return 'string';
    case 'nil': return 'nil';
    case 'any': return 'interface {}';
    case 'array': return `[]${typeName(ty.of)}`;
  }
}

function typeOfValue(v: ExprValue): Type {
  if (v === null) return { t: 'nil' };
  if (typeof v === 'bigint') return INT;
  if (typeof v === 'number') return FLOAT;
  if (typeof v === 'boolean') return BOOL;
  if (typeof v === 'string') return STRING;
  // Argo hands over []float64; an array literal is []interface {}
  return { t: 'array', of: v.length && v.every((x) => typeof x === 'number') ? FLOAT : ANY };
}

const isNumber = (ty: Type) => ty.t === 'int' || ty.t === 'float';
const isAny = (ty: Type) => ty.t === 'any';
const numberOrAny = (ty: Type) => isNumber(ty) || isAny(ty);

interface Scope {
  result: Type;
  pointer?: Type;
}

function check(node: Node, scope: Scope): Type {
  const at = ` (1:${node.at + 1})`;
  switch (node.type) {
    case 'literal':
      return typeOfValue(node.value);
    case 'pointer':
      return scope.pointer ?? ANY;
    case 'array':
      node.items.forEach((n) => check(n, scope));
      return { t: 'array', of: ANY };
    case 'name':
      if (node.name === 'result') return scope.result;
      if (ARGO_FUNCTIONS.has(node.name) || CLOSURE_BUILTINS.has(node.name) || OTHER_BUILTINS.has(node.name)) throw new UnsupportedExpression(`${node.name} used as a value`);
      throw new ExprError(`unknown name ${node.name}${at}`);
    case 'unary': {
      const ty = check(node.operand, scope);
      if (node.op === 'not' || node.op === '!') {
        if (ty.t === 'bool' || isAny(ty)) return BOOL;
      } else if (numberOrAny(ty)) return ty;
      throw new ExprError(`invalid operation: ${node.op} (mismatched type ${typeName(ty)})${at}`);
    }
    case 'conditional': {
      const c = check(node.cond, scope);
      if (c.t !== 'bool' && !isAny(c)) throw new ExprError(`non-bool expression (type ${typeName(c)}) used as condition${at}`);
      const a = check(node.then, scope);
      const b = check(node.else, scope);
      return a.t === b.t && a.t !== 'array' ? a : ANY;
    }
    case 'index': {
      const target = check(node.target, scope);
      const index = check(node.index, scope);
      if (target.t === 'array') {
        if (index.t !== 'int' && !isAny(index)) throw new ExprError(`array elements can only be selected using an integer (got ${typeName(index)})${at}`);
        return target.of;
      }
      if (isAny(target)) return ANY;
      if (target.t === 'string') throw new UnsupportedExpression('indexing a string');
      throw new ExprError(`type ${typeName(target)} does not support indexing${at}`);
    }
    case 'binary':
      return checkBinary(node, check(node.left, scope), check(node.right, scope), at);
    case 'call':
      return checkCall(node, scope, at);
    case 'closure':
      return check(node.body, scope);
  }
}

function checkBinary(node: Extract<Node, { type: 'binary' }>, l: Type, r: Type, at: string): Type {
  const mismatch = () => new ExprError(`invalid operation: ${node.op} (mismatched types ${typeName(l)} and ${typeName(r)})${at}`);
  const either = isAny(l) || isAny(r);
  switch (node.op) {
    case 'or': case '||': case 'and': case '&&':
      if ((l.t === 'bool' || isAny(l)) && (r.t === 'bool' || isAny(r))) return BOOL;
      throw mismatch();
    case '==': case '!=':
      // expr's isComparable: nil, the same kind, two numbers, or an interface on either side
      if (l.t === 'nil' || r.t === 'nil' || either || (isNumber(l) && isNumber(r))) return BOOL;
      if (l.t === r.t) {
        if (l.t === 'array') throw new UnsupportedExpression('comparing lists with == or !=');
        return BOOL;
      }
      throw mismatch();
    case '<': case '>': case '<=': case '>=':
      if ((numberOrAny(l) && numberOrAny(r)) || (l.t === 'string' && r.t === 'string') || (either && (l.t === 'string' || r.t === 'string'))) return BOOL;
      throw mismatch();
    case '+':
      if (l.t === 'int' && r.t === 'int') return INT;
      if (isNumber(l) && isNumber(r)) return FLOAT;
      if (l.t === 'string' && r.t === 'string') return STRING;
      if (either && l.t !== 'array' && r.t !== 'array') return ANY;
      throw mismatch();
    case '-': case '*':
      if (l.t === 'int' && r.t === 'int') return INT;
      if (isNumber(l) && isNumber(r)) return FLOAT;
      if (numberOrAny(l) && numberOrAny(r)) return ANY;
      throw mismatch();
    case '/': case '**': case '^':
      if (numberOrAny(l) && numberOrAny(r)) return FLOAT;
      throw mismatch();
    case '%':
      if ((l.t === 'int' || isAny(l)) && (r.t === 'int' || isAny(r))) return INT;
      throw mismatch();
    case 'in': case 'not in':
      if (r.t === 'array' || isAny(r)) return BOOL;
      throw mismatch();
    case '??':
      return l.t === r.t ? l : ANY;
    case 'contains': case 'startsWith': case 'endsWith':
      if ((l.t === 'string' || isAny(l)) && (r.t === 'string' || isAny(r))) return BOOL;
      throw mismatch();
    default:
      throw new UnsupportedExpression(`the operator ${node.op}`);
  }
}

function checkCall(node: Extract<Node, { type: 'call' }>, scope: Scope, at: string): Type {
  const argc = (n: number) => {
    if (node.args.length !== n) throw new ExprError(`${node.args.length < n ? 'not enough' : 'too many'} arguments to call ${node.name}${at}`);
  };
  if (CLOSURE_BUILTINS.has(node.name)) {
    const collection = check(node.args[0], scope);
    if (collection.t !== 'array' && !isAny(collection)) throw new ExprError(`builtin ${node.name} takes only array (got ${typeName(collection)})${at}`);
    const element = collection.t === 'array' ? collection.of : ANY;
    const body = check(node.args[1], { ...scope, pointer: element });
    if (node.name === 'map') return { t: 'array', of: body };
    if (body.t !== 'bool' && !isAny(body)) throw new ExprError(`predicate should return boolean (got ${typeName(body)})${at}`);
    if (node.name === 'filter') return { t: 'array', of: element };
    return node.name === 'count' ? INT : BOOL;
  }
  const args = node.args.map((a) => check(a, scope));
  switch (node.name) {
    case 'len':
      argc(1);
      if (args[0].t === 'array' || args[0].t === 'string' || isAny(args[0])) return INT;
      throw new ExprError(`invalid argument for len (type ${typeName(args[0])})${at}`);
    case 'isNaN': case 'isInf':
      argc(1);
      // math.IsNaN takes a float64; what expr does with an int argument is left out of the subset
      if (args[0].t === 'float') return BOOL;
      if (isAny(args[0])) return BOOL;
      if (args[0].t === 'int') throw new UnsupportedExpression(`${node.name} of an int`);
      throw new ExprError(`cannot use ${typeName(args[0])} as argument (type float64) to call ${node.name}${at}`);
    case 'asInt':
      argc(1);
      return INT;
    case 'asFloat':
      argc(1);
      return FLOAT;
    case 'isNil':
      argc(1);
      return BOOL;
    case 'default':
      argc(2);
      return ANY;
  }
  if (OTHER_BUILTINS.has(node.name)) throw new UnsupportedExpression(`the function ${node.name}()`);
  throw new ExprError(`unknown func ${node.name}${at}`);
}

// ---------- evaluation ----------

const isInt = (v: ExprValue): v is bigint => typeof v === 'bigint';
const isNum = (v: ExprValue): v is bigint | number => typeof v === 'bigint' || typeof v === 'number';
const toFloat = (v: bigint | number) => (typeof v === 'bigint' ? Number(v) : v);
const int64 = (v: bigint) => BigInt.asIntN(64, v);

function goType(v: ExprValue): string {
  return typeName(typeOfValue(v));
}

/**
 * expr's runtime.Equal: numbers by value across int and float, else reflect.DeepEqual, which is
 * false for values of different types (a list and a number, a list and nil: Argo's result is never
 * a nil list). Two lists compare by their Go types too ([]float64 vs []interface {}): not done here.
 */
function equal(a: ExprValue, b: ExprValue): boolean {
  if (isNum(a) && isNum(b)) return isInt(a) && isInt(b) ? a === b : toFloat(a) === toFloat(b);
  if (Array.isArray(a) && Array.isArray(b)) throw new UnsupportedExpression('comparing lists with == or !=');
  return a === b;
}

function truth(v: ExprValue, what: string): boolean {
  if (typeof v !== 'boolean') throw new ExprError(`${what}: expected bool, got ${goType(v)}`);
  return v;
}

interface Env {
  result: ExprValue;
  pointer?: ExprValue;
}

function run(node: Node, env: Env): ExprValue {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'pointer':
      return env.pointer ?? null;
    case 'name':
      return env.result;
    case 'array':
      return node.items.map((n) => run(n, env));
    case 'closure':
      return run(node.body, env);
    case 'unary': {
      const v = run(node.operand, env);
      if (node.op === 'not' || node.op === '!') return !truth(v, 'not');
      if (!isNum(v)) throw new ExprError(`invalid operation: ${node.op} ${goType(v)}`);
      return node.op === '+' ? v : isInt(v) ? int64(-v) : -v;
    }
    case 'conditional':
      return truth(run(node.cond, env), 'condition') ? run(node.then, env) : run(node.else, env);
    case 'index': {
      const target = run(node.target, env);
      const index = run(node.index, env);
      if (!Array.isArray(target)) throw new ExprError(`cannot fetch ${String(index)} from ${goType(target)}`);
      if (!isInt(index)) throw new ExprError(`array index must be an int, got ${goType(index)}`);
      let i = Number(index);
      if (i < 0) i += target.length; // expr counts a negative index from the end
      if (i < 0 || i >= target.length) throw new ExprError(`index out of range: ${index} (array length is ${target.length})`);
      return target[i];
    }
    case 'binary':
      return binary(node, env);
    case 'call':
      return call(node, env);
  }
}

function binary(node: Extract<Node, { type: 'binary' }>, env: Env): ExprValue {
  const op = node.op;
  if (op === 'or' || op === '||') return truth(run(node.left, env), op) || truth(run(node.right, env), op);
  if (op === 'and' || op === '&&') return truth(run(node.left, env), op) && truth(run(node.right, env), op);
  if (op === '??') {
    const l = run(node.left, env);
    return l === null ? run(node.right, env) : l;
  }
  const l = run(node.left, env);
  const r = run(node.right, env);
  const mismatch = () => new ExprError(`invalid operation: ${op} (mismatched types ${goType(l)} and ${goType(r)})`);
  switch (op) {
    case '==': return equal(l, r);
    case '!=': return !equal(l, r);
    case '<': case '>': case '<=': case '>=': {
      if (!((isNum(l) && isNum(r)) || (typeof l === 'string' && typeof r === 'string'))) throw mismatch();
      // JS compares bigint with number by value, as Go's converted comparison does
      const a = l as number | string;
      const b = r as number | string;
      return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
    }
    case '+': case '-': case '*': {
      if (op === '+' && typeof l === 'string' && typeof r === 'string') return l + r;
      if (!isNum(l) || !isNum(r)) throw mismatch();
      if (isInt(l) && isInt(r)) return int64(op === '+' ? l + r : op === '-' ? l - r : l * r);
      const a = toFloat(l);
      const b = toFloat(r);
      return op === '+' ? a + b : op === '-' ? a - b : a * b;
    }
    case '/':
      if (!isNum(l) || !isNum(r)) throw mismatch();
      return toFloat(l) / toFloat(r);
    case '**': case '^':
      if (!isNum(l) || !isNum(r)) throw mismatch();
      return Math.pow(toFloat(l), toFloat(r));
    case '%':
      if (!isInt(l) || !isInt(r)) throw mismatch();
      if (r === 0n) throw new ExprError('integer divide by zero');
      return l % r; // Go's % truncates like bigint's
    case 'in': case 'not in': {
      if (!Array.isArray(r)) throw new ExprError(`operator in not defined on ${goType(r)}`);
      const found = r.some((x) => equal(x, l));
      return op === 'in' ? found : !found;
    }
    case 'contains': case 'startsWith': case 'endsWith':
      if (typeof l !== 'string' || typeof r !== 'string') throw mismatch();
      return op === 'contains' ? l.includes(r) : op === 'startsWith' ? l.startsWith(r) : l.endsWith(r);
    default:
      throw new UnsupportedExpression(`the operator ${op}`);
  }
}

function call(node: Extract<Node, { type: 'call' }>, env: Env): ExprValue {
  if (CLOSURE_BUILTINS.has(node.name)) {
    const collection = run(node.args[0], env);
    if (!Array.isArray(collection)) throw new ExprError(`cannot iterate over ${goType(collection)}`);
    const each = (x: ExprValue) => run(node.args[1], { ...env, pointer: x });
    const test = (x: ExprValue) => truth(each(x), `predicate of ${node.name}`);
    switch (node.name) {
      case 'all': return collection.every(test);
      case 'any': return collection.some(test);
      case 'none': return !collection.some(test);
      case 'one': return collection.filter(test).length === 1;
      case 'filter': return collection.filter(test);
      case 'count': return BigInt(collection.filter(test).length);
      case 'map': return collection.map(each);
    }
  }
  const args = node.args.map((a) => run(a, env));
  const a = args[0];
  switch (node.name) {
    case 'len':
      if (Array.isArray(a)) return BigInt(a.length);
      if (typeof a === 'string') return BigInt(Buffer.byteLength(a, 'utf8')); // Go's len counts bytes
      throw new ExprError(`invalid argument for len (type ${goType(a)})`);
    case 'isNaN': case 'isInf':
      if (typeof a !== 'number') throw new ExprError(`${node.name}: expected float64, got ${goType(a)}`);
      return node.name === 'isNaN' ? Number.isNaN(a) : a === Infinity || a === -Infinity;
    case 'asInt':
      if (isInt(a)) return a;
      if (typeof a === 'number') {
        // Go's int64(float64) truncates; for NaN and out-of-range values it is undefined behaviour
        if (!Number.isFinite(a) || Math.abs(a) >= 2 ** 63) throw new UnsupportedExpression(`asInt of ${a}`);
        return BigInt(Math.trunc(a));
      }
      if (typeof a === 'string') {
        if (!/^[+-]?[0-9]+$/.test(a)) throw new ExprError(`strconv.ParseInt: parsing "${a}": invalid syntax`);
        return int64(BigInt(a));
      }
      throw new ExprError(`asInt() not supported on ${goType(a)} ${String(a)}`);
    case 'asFloat':
      if (isNum(a)) return toFloat(a);
      if (typeof a === 'string') {
        const n = a.trim() === a && a !== '' ? Number(a) : NaN;
        if (Number.isNaN(n) && !/^[+-]?nan$/i.test(a)) throw new ExprError(`strconv.ParseFloat: parsing "${a}": invalid syntax`);
        return n;
      }
      throw new ExprError(`asFloat() not supported on ${goType(a)} ${String(a)}`);
    // Argo's isNil and default look at the measurement's result, whatever their argument
    case 'isNil':
      return env.result === null;
    case 'default':
      return env.result === null ? args[1] : env.result;
  }
  throw new UnsupportedExpression(`the function ${node.name}()`);
}

/**
 * A condition's value for a result, as Argo's EvalCondition computes it: parse, type-check against
 * `result`'s type, run; the value must be a bool. Throws ExprError (Argo: the measurement is Error)
 * or UnsupportedExpression.
 */
export function evaluateCondition(condition: string, result: number | readonly number[] | null): boolean {
  const tree = parseExpr(condition);
  check(tree, { result: result === null ? ANY : Array.isArray(result) ? { t: 'array', of: FLOAT } : FLOAT });
  const value = run(tree, { result });
  if (typeof value !== 'boolean') throw new ExprError(`expected bool, but got ${goType(value)}`);
  return value;
}
