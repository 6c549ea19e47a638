// Building the pages' elements without ever parsing text as HTML: attributes go through
// setAttribute and text through text nodes.

/** An element with attributes (null, undefined and false are left out) and children. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** An element holding one text. */
export function textEl(tag, text, attributes = {}) {
  const node = el(tag, attributes);
  node.textContent = text;
  return node;
}

/**
 * A CSS `url("...")` naming `href`, with every character that could end or escape the string
 * written as a CSS escape, for `style.backgroundImage`.
 */
export function cssUrl(href) {
  const escaped = String(href).replace(/["\\\n\r\f]/g, (c) => `\\${c.codePointAt(0).toString(16)} `);
  return `url("${escaped}")`;
}
