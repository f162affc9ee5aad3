// HTML as strings, escaped by default: the panels render their view models to markup with this
// tagged template, so every value from the cluster (names, images, messages) is text, never markup.

/** Markup that is already safe (built by `html` or `raw`); it is inserted as is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function part(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(part).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** `html\`<b>${name}</b>\``: interpolated values are escaped unless they are Html (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += part(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Markup built elsewhere and trusted (e.g. numbers formatted into SVG paths). */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** An attribute present or absent, e.g. `<vscode-button ${attr('disabled', busy)}>`. */
export function attr(name: string, on: boolean): Html {
  return new Html(on ? name : '');
}
