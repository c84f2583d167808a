// Builds elements from text only: every string child becomes a text node, so names, comments,
// actors and config values can never be read as HTML (no innerHTML anywhere in the page).

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'style') {
      throw new Error('inline styles are refused by the page policy; use a class');
    } else if (name === 'value' || name === 'checked') {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

let uniqueIds = 0;
export function newId(prefix) {
  uniqueIds += 1;
  return `${prefix}-${uniqueIds}`;
}

// A labelled control: the label's `for` names the control, so every field has an accessible name.
export function field(labelText, control, hint) {
  if (!control.id) control.id = newId('field');
  return h('div', { class: 'field' }, h('label', { for: control.id }, labelText), control,
    hint ? h('small', { class: 'hint' }, hint) : null);
}

export function message(kind, text) {
  return h('p', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function utcAndLocal(instant) {
  if (!instant) return '—';
  const date = new Date(instant);
  return h('time', { datetime: instant, title: instant },
    h('span', { class: 'local' }, date.toLocaleString()), ' ', h('span', { class: 'utc' }, `(${instant.replace('T', ' ')} UTC)`.replace('Z UTC', ' UTC')));
}
