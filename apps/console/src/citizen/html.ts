/**
 * HTML for the citizens' pages, escaped by default: every value put into an `html` template is
 * escaped unless it is itself an `Html` (built by `html` or `raw`). A page cannot forget to escape a
 * citizen's text: it would have to call `raw` on it. (A dozen lines instead of a template engine: the
 * pages are few and small, and nothing else in the console renders HTML.)
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

type Value = Html | string | number | boolean | null | undefined | Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (v instanceof Html) return v.value;
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Markup written by this code (never a value from a request or a service). */
export function raw(markup: string): Html {
  return new Html(markup);
}
