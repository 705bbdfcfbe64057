// The code editor: CodeMirror 6 with Solidity highlighting. Loaded on demand by site.js (never at
// first paint); the lint support is a further chunk, loaded with the first diagnostics.
//
// The <textarea> stays the form field: it is hidden, and every edit is written back to it, so the
// form posts exactly what it would post without JavaScript.

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  bracketMatching,
  defaultHighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from "@codemirror/language";
import { EditorSelection, EditorState, StateEffect } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { solidity } from "@replit/codemirror-lang-solidity";
import { toDiagnostics } from "./diagnostics.js";
import { changeBetween } from "./textdiff.js";

const views = new WeakMap();
const withLintGutter = new WeakSet();

function labelOf(textarea) {
  return textarea.labels?.[0]?.textContent.trim() || textarea.getAttribute("aria-label") || "Code";
}

let hints = 0;

function keyboardHint() {
  const hint = document.createElement("p");
  hint.id = `editor-hint-${++hints}`;
  hint.className = "meta editor-hint";
  hint.textContent = "Tab indents. To leave the editor, press Esc, then Tab.";
  return hint;
}

/** The textarea's selection, as the editor's (a selection made backwards stays backwards). */
function selectionOf(textarea) {
  const length = textarea.value.length;
  const start = Math.min(textarea.selectionStart ?? 0, length);
  const end = Math.min(textarea.selectionEnd ?? start, length);
  return textarea.selectionDirection === "backward"
    ? EditorSelection.single(end, start)
    : EditorSelection.single(start, end);
}

/**
 * Replaces `textarea` (and the placeholder `replace`, e.g. the loading skeleton) with an editor
 * holding the textarea's text and selection; returns the EditorView. The textarea stays usable
 * while the editor loads, so whatever was typed into it is carried over. Mounting twice returns
 * the same view.
 */
export function mountEditor(textarea, { replace = null, focus = true } = {}) {
  if (views.has(textarea)) {
    // Already mounted (showDiagnostics may win the race with the loader): drop its skeleton.
    replace?.remove();
    return views.get(textarea);
  }
  const readOnly = textarea.readOnly || textarea.disabled;
  const hint = keyboardHint();
  let syncing = false;
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      selection: selectionOf(textarea),
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        solidity,
        // Tab indents, as learners expect in code; Escape then Tab leaves the editor (CodeMirror's
        // escape hatch for keyboard users), which the hint below the editor says.
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorState.tabSize.of(4),
        EditorState.readOnly.of(readOnly),
        // CodeMirror owns the class attribute of view.dom: classes are added through it.
        EditorView.editorAttributes.of({ class: "code-editor" }),
        EditorView.contentAttributes.of({
          "aria-label": labelOf(textarea),
          "aria-describedby": hint.id,
        }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged || syncing) return;
          textarea.value = update.state.doc.toString();
          textarea.dispatchEvent(new Event("input", { bubbles: true }));
        }),
      ],
    }),
  });
  // Others may change the textarea (a live room applies a collaborator's edit and fires
  // `input`): the editor follows, without echoing the change back. Only the part that differs is
  // replaced, so the learner's cursor stays where it was.
  textarea.addEventListener("input", () => {
    const changes = changeBetween(view.state.doc.toString(), textarea.value);
    if (!changes) return;
    syncing = true;
    try {
      view.dispatch({ changes });
    } finally {
      syncing = false;
    }
  });
  textarea.hidden = true;
  textarea.dataset.state = "ready";
  if (replace) replace.replaceWith(view.dom, hint);
  else textarea.after(view.dom, hint);
  views.set(textarea, view);
  if (focus) view.focus();
  return view;
}

/**
 * Shows compiler messages inline: `items` is a list of {line, column, message, severity}
 * (1-based line and column; severity "error", "warning" or "info"). An empty list clears them.
 * Mounts the editor first if the learner has not opened it yet.
 */
export async function showDiagnostics(textarea, items) {
  const view = mountEditor(textarea, { focus: false });
  const { lintGutter, setDiagnostics } = await import("@codemirror/lint");
  if (!withLintGutter.has(view)) {
    withLintGutter.add(view);
    view.dispatch({ effects: StateEffect.appendConfig.of(lintGutter()) });
  }
  view.dispatch(setDiagnostics(view.state, toDiagnostics(view.state.doc, items)));
  return view;
}
