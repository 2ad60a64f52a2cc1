/** For tests of the feeds and charts: is a document well-formed XML? */

/**
 * Strict XML well-formedness, without regular expressions: one root element, every tag closed
 * in order, attribute values quoted, `<` never in text, `&` only in the five predefined entities
 * or a character reference. Returns the problem, or null when the document is well formed.
 */
export function xmlProblem(xml: string): string | null {
  let i = 0;
  const stack: string[] = [];
  let roots = 0;
  const isNameChar = (c: string) =>
    (c >= 'a' && c <= 'z') ||
    (c >= 'A' && c <= 'Z') ||
    (c >= '0' && c <= '9') ||
    c === ':' ||
    c === '-' ||
    c === '_' ||
    c === '.';
  const checkText = (text: string, where: string): string | null => {
    for (let k = 0; k < text.length; k++) {
      const c = text[k];
      if (c === '<') return `'<' in ${where}`;
      if (c === '&') {
        const end = text.indexOf(';', k);
        if (end < 0) return `bare '&' in ${where}`;
        const ent = text.slice(k + 1, end);
        const ok =
          ['amp', 'lt', 'gt', 'quot', 'apos'].includes(ent) ||
          (ent.startsWith('#x') &&
            ent.length > 2 &&
            [...ent.slice(2)].every((d) => '0123456789abcdefABCDEF'.includes(d))) ||
          (ent.startsWith('#') &&
            ent.length > 1 &&
            [...ent.slice(1)].every((d) => d >= '0' && d <= '9'));
        if (!ok) return `unknown entity &${ent}; in ${where}`;
        k = end;
      }
      const code = c?.charCodeAt(0) ?? 0;
      if (code < 0x20 && c !== '\t' && c !== '\n' && c !== '\r')
        return `control character in ${where}`;
    }
    return null;
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) return 'unterminated declaration';
    i = end + 2;
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== '') return 'text outside the root element';
    const bad = checkText(text, 'text');
    if (bad) return bad;
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end < 0) return 'unterminated comment';
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt);
      if (end < 0 || stack.length === 0) return 'bad CDATA section';
      i = end + 3;
      continue;
    }
    let j = lt + 1;
    const closing = xml[j] === '/';
    if (closing) j++;
    const nameStart = j;
    while (j < xml.length && isNameChar(xml[j] as string)) j++;
    const name = xml.slice(nameStart, j);
    if (!name) return `tag without a name at ${lt}`;
    if (closing) {
      while (xml[j] === ' ' || xml[j] === '\n') j++;
      if (xml[j] !== '>') return `bad closing tag </${name}`;
      if (stack.pop() !== name) return `</${name}> closes the wrong element`;
      i = j + 1;
      continue;
    }
    // attributes
    for (;;) {
      while (xml[j] === ' ' || xml[j] === '\n' || xml[j] === '\t') j++;
      if (xml[j] === '>' || (xml[j] === '/' && xml[j + 1] === '>')) break;
      const aStart = j;
      while (j < xml.length && isNameChar(xml[j] as string)) j++;
      if (j === aStart) return `bad attribute in <${name}>`;
      if (xml[j] !== '=') return `attribute without a value in <${name}>`;
      const quote = xml[j + 1];
      if (quote !== '"' && quote !== "'") return `unquoted attribute in <${name}>`;
      const vEnd = xml.indexOf(quote, j + 2);
      if (vEnd < 0) return `unterminated attribute in <${name}>`;
      const v = checkText(xml.slice(j + 2, vEnd), `an attribute of <${name}>`);
      if (v) return v;
      j = vEnd + 1;
    }
    if (xml[j] === '/') {
      if (stack.length === 0) roots++;
      i = j + 2;
    } else {
      if (stack.length === 0) roots++;
      stack.push(name);
      i = j + 1;
    }
    if (roots > 1) return 'more than one root element';
  }
  if (stack.length > 0) return `<${stack[stack.length - 1] ?? ''}> is never closed`;
  return roots === 1 ? null : 'no root element';
}
