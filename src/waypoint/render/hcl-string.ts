// Quoted HCL string literals, escaped exactly as hclwrite does (`escapeQuotedStringLit`
// in hashicorp/hcl), so a value can never open a template sequence.

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function unicodeEscape(codePoint: number): string {
  const hex = codePoint.toString(16);
  return codePoint < 0x10000 ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
}

/**
 * `"..."` for any string: quotes, backslashes and control characters escaped, and the
 * template introducers `${` and `%{` doubled (`$${`, `%%{`) so they stay literal text.
 */
export function quoteHclString(value: string): string {
  let out = '"';
  let index = 0;
  for (const char of value) {
    const next = value[index + char.length];
    index += char.length;
    switch (char) {
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '$':
      case '%':
        out += next === '{' ? char + char : char;
        break;
      default:
        out += printable.test(char) ? char : unicodeEscape(char.codePointAt(0) ?? 0);
    }
  }
  return `${out}"`;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_-]*$/;
// Bare, these read as literals rather than as the key's own name.
const keywords = new Set(['true', 'false', 'null']);

/** A map key or attribute name: bare when HCL reads it as an identifier, quoted otherwise. */
export function hclKey(key: string): string {
  return identifier.test(key) && !keywords.has(key) ? key : quoteHclString(key);
}
