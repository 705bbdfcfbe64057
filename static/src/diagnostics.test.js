import assert from "node:assert/strict";
import { test } from "node:test";
import { Text } from "@codemirror/state";
import { toDiagnostics } from "./diagnostics.js";

const doc = Text.of(["pragma solidity ^0.8.20;", "contract A {", "    uint x", "}"]);

test("a message points from its column to the end of the line's text", () => {
  const [diagnostic] = toDiagnostics(doc, [
    { line: 3, column: 5, message: "Expected ';'", severity: "error" },
  ]);
  const line = doc.line(3);
  assert.equal(diagnostic.from, line.from + 4);
  assert.equal(diagnostic.to, line.to);
  assert.equal(diagnostic.message, "Expected ';'");
  assert.equal(diagnostic.severity, "error");
});

test("positions past the end are clamped to the document", () => {
  const [pastLine, pastColumn] = toDiagnostics(doc, [
    { line: 99, column: 1, message: "gone", severity: "warning" },
    { line: 1, column: 500, message: "far", severity: "info" },
  ]);
  assert.equal(pastLine.from, doc.line(4).from);
  assert.equal(pastLine.severity, "warning");
  assert.equal(pastColumn.from, doc.line(1).to);
  assert.equal(pastColumn.to, doc.line(1).to);
});

test("missing or odd fields fall back to the first line and error severity", () => {
  const [diagnostic] = toDiagnostics(doc, [{ message: 7, severity: "fatal" }]);
  assert.equal(diagnostic.from, 0);
  assert.equal(diagnostic.severity, "error");
  assert.equal(diagnostic.message, "7");
});
