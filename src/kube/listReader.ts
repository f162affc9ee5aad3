// List and watch answers read as their bytes arrive. A list: each object of `items` is parsed on its
// own once its last byte is in, so a page of 500 pods (~2 MB of JSON) is never one JSON.parse, one
// 2 MB string or a long task, its parsing overlaps the transfer, and each object can be made lean at
// once (the full objects of a page never pile up). The rest of the list (kind, metadata with
// resourceVersion and continue) is parsed at the end, wherever it stands: built-in lists put metadata
// before items, custom resources' lists (Go maps, keys sorted) after them. A watch: one event per
// line (WatchEventReader). Pure: bytes in, objects out.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

export class ListReader<T = unknown> {
  /** Nesting depth at the byte being read: 1 inside the list object, 2 inside its items array. */
  private depth = 0;
  private inString = false;
  /** Inside a string, the last byte was an unescaped backslash. */
  private escaped = false;
  /** The bytes of the string being read at depth 1 (a key of the list), and the last one read. */
  private key: number[] | undefined;
  private lastKey = '';
  /** The items array is being read (between its `[` and `]`). */
  private inItems = false;
  /** The pieces of the item being read (it may span chunks), or undefined between items. */
  private item: Buffer[] | undefined;
  /** Everything but the items' contents: `{"kind":…,"items":[],…}`. */
  private readonly rest: Buffer[] = [];
  private count = 0;

  /**
   * `onHead`: the list's keys before its items (`kind`, `metadata` of a built-in list), parsed as soon
   * as the items begin: a pager can ask for the next page (`metadata.continue`) while this one arrives.
   */
  constructor(
    private readonly onItem: (item: T) => void,
    private readonly onHead?: (head: Record<string, unknown>) => void,
  ) {}

  /** Items read so far. */
  get items(): number {
    return this.count;
  }

  write(chunk: Buffer): void {
    let restFrom = this.inItems ? -1 : 0;
    let itemFrom = this.item ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.inString && !this.key) {
        // Most of an object's bytes are in strings: straight to the closing quote.
        i = this.stringEnd(chunk, i);
        continue;
      }
      if (this.inString) {
        // A key (or value) of the list itself: short, read byte by byte.
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          this.lastKey = Buffer.from(this.key!).toString('utf8');
          this.key = undefined;
          continue;
        }
        if (this.key!.length < 64) this.key!.push(b);
        continue;
      }
      switch (b) {
        case QUOTE:
          this.inString = true;
          if (this.depth === 1) this.key = [];
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          this.depth++;
          if (this.depth === 2 && b === OPEN_ARRAY && this.lastKey === 'items') {
            this.rest.push(chunk.subarray(restFrom, i + 1));
            restFrom = -1;
            this.inItems = true;
            if (this.onHead) this.onHead(JSON.parse(`${Buffer.concat(this.rest).toString('utf8')}]}`) as Record<string, unknown>);
          } else if (this.depth === 3 && this.inItems && b === OPEN_OBJECT) {
            itemFrom = i;
            this.item = [];
          }
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          this.depth--;
          if (this.depth === 2 && this.item && b === CLOSE_OBJECT) {
            this.item.push(chunk.subarray(itemFrom, i + 1));
            const text = this.item.length === 1 ? this.item[0].toString('utf8') : Buffer.concat(this.item).toString('utf8');
            this.item = undefined;
            itemFrom = -1;
            this.count++;
            this.onItem(JSON.parse(text) as T);
          } else if (this.depth === 1 && this.inItems) {
            this.inItems = false;
            restFrom = i;
          }
          break;
      }
    }
    if (restFrom >= 0) this.rest.push(chunk.subarray(restFrom));
    if (this.item && itemFrom >= 0) this.item.push(chunk.subarray(itemFrom));
  }

  /**
   * Inside a string from `from`: the index of its closing quote (the string is over), or the chunk's
   * last index (it goes on in the next chunk, which starts escaped when this one ends in a lone backslash).
   */
  private stringEnd(chunk: Buffer, from: number): number {
    let i = from;
    if (this.escaped) {
      this.escaped = false;
      i++;
    }
    for (; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === QUOTE) {
        this.inString = false;
        return i;
      }
      if (b === BACKSLASH && ++i === chunk.length) this.escaped = true;
    }
    return chunk.length - 1;
  }


  /** The list without its items (parsed now), once every byte was written. */
  end(): Record<string, unknown> {
    if (this.depth !== 0 || this.inString || this.item) throw new SyntaxError('The list answer ended before its end.');
    return JSON.parse(Buffer.concat(this.rest).toString('utf8')) as Record<string, unknown>;
  }
}

const NEWLINE = 0x0a;

/**
 * A watch answer read as its bytes arrive: one JSON event (`{"type":…,"object":…}`) per line, each
 * parsed once its newline is in (an event may span chunks, a chunk may hold many). A line that is not
 * JSON throws SyntaxError: the watch must end and resume from the last version it saw rather than
 * skip an event. Pure: bytes in, events out.
 */
export class WatchEventReader {
  /** The pieces of the line being read (it may span chunks). */
  private line: Buffer[] = [];

  constructor(private readonly onEvent: (type: string, object: any) => void) {}

  write(chunk: Buffer): void {
    let from = 0;
    for (let end = chunk.indexOf(NEWLINE); end >= 0; end = chunk.indexOf(NEWLINE, from)) {
      this.line.push(chunk.subarray(from, end));
      from = end + 1;
      const text = (this.line.length === 1 ? this.line[0] : Buffer.concat(this.line)).toString('utf8');
      this.line = [];
      if (!text.trim()) continue;
      const event = JSON.parse(text) as { type?: string; object?: unknown };
      this.onEvent(String(event.type ?? ''), event.object);
    }
    if (from < chunk.length) this.line.push(chunk.subarray(from));
  }
}
