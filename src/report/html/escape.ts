// Everything a report shows comes from files a user (or someone they got a scenario from) wrote: a
// scenario description is text, never markup, and JSON inside <script> must not be able to close it.

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for element content and quoted attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * JSON safe inside a <script> element: `<`, `>` and `&` become \u escapes (so `</script>` or `<!--`
 * cannot end or confuse the element), as do U+2028/U+2029, which older JavaScript treats as newlines.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
