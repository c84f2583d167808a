// JSON as the service wrote it. The service keeps numbers exactly (1.50 stays 1.50, a 30-digit
// integer stays whole), which JSON.parse would not; this keeps each number's spelling and each
// object's key order, for showing, diffing and editing a config without altering it.
// A node: {kind: 'object', entries: [[key, node]]} | {kind: 'array', items: [node]} | {kind: 'scalar', text}.

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

export function parse(text) {
  let at = 0;
  const skip = () => { WHITESPACE.lastIndex = at; WHITESPACE.exec(text); at = WHITESPACE.lastIndex; };
  const fail = () => { throw new SyntaxError(`unexpected character at ${at}`); };
  const string = () => {
    let end = at + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    if (end >= text.length) fail();
    const value = JSON.parse(text.slice(at, end + 1));
    at = end + 1;
    return value;
  };
  const value = () => {
    skip();
    const char = text[at];
    if (char === '{') {
      at += 1;
      const entries = [];
      skip();
      if (text[at] === '}') { at += 1; return { kind: 'object', entries }; }
      for (;;) {
        skip();
        if (text[at] !== '"') fail();
        const key = string();
        skip();
        if (text[at] !== ':') fail();
        at += 1;
        entries.push([key, value()]);
        skip();
        if (text[at] === ',') { at += 1; continue; }
        if (text[at] === '}') { at += 1; return { kind: 'object', entries }; }
        fail();
      }
    }
    if (char === '[') {
      at += 1;
      const items = [];
      skip();
      if (text[at] === ']') { at += 1; return { kind: 'array', items }; }
      for (;;) {
        items.push(value());
        skip();
        if (text[at] === ',') { at += 1; continue; }
        if (text[at] === ']') { at += 1; return { kind: 'array', items }; }
        fail();
      }
    }
    if (char === '"') return { kind: 'scalar', text: JSON.stringify(string()) };
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, at)) { at += literal.length; return { kind: 'scalar', text: literal }; }
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (!number) fail();
    at = NUMBER.lastIndex;
    return { kind: 'scalar', text: number[0] };
  };
  const node = value();
  skip();
  if (at !== text.length) fail();
  return node;
}

export function member(node, key) {
  if (!node || node.kind !== 'object') return undefined;
  const entry = node.entries.find(([name]) => name === key);
  return entry ? entry[1] : undefined;
}

export function without(node, keys) {
  return { kind: 'object', entries: node.entries.filter(([name]) => !keys.includes(name)) };
}

export function pretty(node, indent = '') {
  if (node === undefined) return '';
  if (node.kind === 'scalar') return node.text;
  const inner = `${indent}  `;
  if (node.kind === 'array') {
    if (!node.items.length) return '[]';
    return `[\n${node.items.map((child) => inner + pretty(child, inner)).join(',\n')}\n${indent}]`;
  }
  if (!node.entries.length) return '{}';
  return `{\n${node.entries.map(([key, child]) => `${inner}${JSON.stringify(key)}: ${pretty(child, inner)}`).join(',\n')}\n${indent}}`;
}

// On one line, for short values (a patch operation's value).
export function compact(node) {
  if (node.kind === 'scalar') return node.text;
  if (node.kind === 'array') return `[${node.items.map(compact).join(', ')}]`;
  return `{${node.entries.map(([key, child]) => `${JSON.stringify(key)}: ${compact(child)}`).join(', ')}}`;
}
