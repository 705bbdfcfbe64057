// Compiler messages -> CodeMirror diagnostics. Kept apart from the editor so that it can be
// tested without a browser.

const SEVERITIES = new Set(["error", "warning", "info", "hint"]);

const whole = (value, fallback) => (Number.isInteger(value) && value > 0 ? value : fallback);

/**
 * Maps `{line, column, message, severity}` items (1-based line and column, as solc prints them)
 * to `{from, to, severity, message}` ranges of `doc` (a CodeMirror Text). Positions past the end
 * are clamped, so a message about a line the learner has since deleted still shows.
 * The range runs from the column to the end of that line's text.
 */
export function toDiagnostics(doc, items) {
  return items.map((item) => {
    const line = doc.line(Math.min(whole(item.line, 1), doc.lines));
    const end = line.from + line.text.trimEnd().length;
    const from = Math.min(line.from + whole(item.column, 1) - 1, end);
    return {
      from,
      to: Math.max(from, end),
      severity: SEVERITIES.has(item.severity) ? item.severity : "error",
      message: String(item.message ?? ""),
    };
  });
}
