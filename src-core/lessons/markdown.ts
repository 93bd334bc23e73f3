/**
 * A small, safe Markdown subset for lesson introductions, parsed to a plain tree the UI
 * draws with text nodes: paragraphs, bullet and numbered lists, **bold**, *italic* and
 * `code`. Everything else is text: raw HTML stays visible as its characters, a link
 * `[words](address)` keeps only its words, and an autolink `<https://...>` shows its address
 * as plain text, so a pack can never add markup, scripts or navigation. `markdownToHtml` gives an escaped HTML string for places that want one.
 */

export type MdInline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'strong'; readonly children: readonly MdInline[] }
  | { readonly kind: 'em'; readonly children: readonly MdInline[] }
  | { readonly kind: 'code'; readonly text: string };

export type MdBlock =
  | { readonly kind: 'paragraph'; readonly children: readonly MdInline[] }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly items: readonly (readonly MdInline[])[] };

const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/;

/**
 * Parses Markdown text into blocks.
 * @example parseMarkdown('Hello **you**') // [{ kind: 'paragraph', children: [text "Hello ", strong [text "you"]] }]
 */
export function parseMarkdown(source: string): MdBlock[] {
  const blocks: MdBlock[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', children: parseInline(paragraph.join(' ')) });
    paragraph = [];
    if (list) blocks.push({ kind: 'list', ordered: list.ordered, items: list.items.map(parseInline) });
    list = null;
  };
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.replace(/^#{1,6}\s+/, '').trim();
    if (line === '') {
      flush();
      continue;
    }
    const bullet = BULLET.exec(raw);
    const numbered = bullet ? null : NUMBERED.exec(raw);
    const item = bullet ?? numbered;
    if (item) {
      const ordered = numbered !== null;
      if (paragraph.length > 0 || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(item[1]!.trim());
    } else if (list && /^\s{2,}/.test(raw)) {
      // An indented line continues the last item.
      const last = list.items.length - 1;
      list.items[last] = `${list.items[last]!} ${line}`;
    } else {
      if (list) flush();
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

/** Parses the inline marks of one paragraph or list item. */
export function parseInline(text: string): MdInline[] {
  // Links keep their words only; images keep their description.
  const plain = text.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
  return inline(plain);
}

/** A Markdown autolink: `<https://...>`, `<http://...>` or `<mailto:...>`, no spaces inside. */
export const AUTOLINK = /<((?:https?:\/\/|mailto:)[^\s<>]+)>/gi;

function inline(text: string): MdInline[] {
  const out: MdInline[] = [];
  let buffer = '';
  const push = (node: MdInline): void => {
    if (buffer !== '') out.push({ kind: 'text', text: buffer });
    buffer = '';
    out.push(node);
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && /[*_`\\[\]]/.test(text[i + 1]!)) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '<') {
      const link = new RegExp(AUTOLINK.source, 'iy');
      link.lastIndex = i;
      const m = link.exec(text);
      if (m) {
        buffer += m[1];
        i += m[0].length;
        continue;
      }
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close > i + 1) {
        push({ kind: 'code', text: text.slice(i + 1, close) });
        i = close + 1;
        continue;
      }
    }
    if ((c === '*' || c === '_') && text[i + 1] === c) {
      const close = text.indexOf(c + c, i + 2);
      if (close > i + 2) {
        push({ kind: 'strong', children: inline(text.slice(i + 2, close)) });
        i = close + 2;
        continue;
      }
    }
    if (c === '*' || c === '_') {
      const close = text.indexOf(c, i + 1);
      if (close > i + 1 && text[i + 1] !== ' ') {
        push({ kind: 'em', children: inline(text.slice(i + 1, close)) });
        i = close + 1;
        continue;
      }
    }
    buffer += c;
    i++;
  }
  if (buffer !== '') out.push({ kind: 'text', text: buffer });
  return out;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function inlineHtml(nodes: readonly MdInline[]): string {
  return nodes
    .map((n) => {
      switch (n.kind) {
        case 'text':
          return escapeHtml(n.text);
        case 'code':
          return `<code>${escapeHtml(n.text)}</code>`;
        case 'strong':
          return `<strong>${inlineHtml(n.children)}</strong>`;
        case 'em':
          return `<em>${inlineHtml(n.children)}</em>`;
      }
    })
    .join('');
}

/** Renders Markdown to HTML in which every character of the source is escaped. */
export function markdownToHtml(source: string): string {
  return parseMarkdown(source)
    .map((b) => {
      if (b.kind === 'paragraph') return `<p>${inlineHtml(b.children)}</p>`;
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>${b.items.map((item) => `<li>${inlineHtml(item)}</li>`).join('')}</${tag}>`;
    })
    .join('\n');
}

/** The words of a Markdown text without marks, e.g. for a summary line. */
export function markdownToText(source: string): string {
  const text = (nodes: readonly MdInline[]): string =>
    nodes.map((n) => (n.kind === 'text' || n.kind === 'code' ? n.text : text(n.children))).join('');
  return parseMarkdown(source)
    .map((b) => (b.kind === 'paragraph' ? text(b.children) : b.items.map((i) => `- ${text(i)}`).join('\n')))
    .join('\n\n');
}
