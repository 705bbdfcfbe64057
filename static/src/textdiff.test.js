import assert from "node:assert/strict";
import { test } from "node:test";
import { changeBetween } from "./textdiff.js";

function apply(before, { from, to, insert }) {
  return before.slice(0, from) + insert + before.slice(to);
}

test("equal texts need no change", () => {
  assert.equal(changeBetween("contract A {}", "contract A {}"), null);
});

test("only the part between the common start and end changes", () => {
  assert.deepEqual(changeBetween("contract Start {}", "contract Edited {}"), {
    from: 9,
    to: 14,
    insert: "Edited",
  });
  assert.deepEqual(changeBetween("abc", "abXc"), { from: 2, to: 2, insert: "X" });
  assert.deepEqual(changeBetween("abXc", "abc"), { from: 2, to: 3, insert: "" });
});

test("repeated characters are not counted twice by the start and the end", () => {
  for (const [before, after] of [
    ["aaa", "aaaa"],
    ["aaaa", "aa"],
    ["", "x"],
    ["x", ""],
    ["abab", "ab"],
  ]) {
    const change = changeBetween(before, after);
    assert.ok(change.from <= change.to, `${before} -> ${after}`);
    assert.equal(apply(before, change), after);
  }
});

test("a surrogate pair is never split", () => {
  const change = changeBetween("a\u{1F600}b", "a\u{1F601}b");
  assert.deepEqual(change, { from: 1, to: 3, insert: "\u{1F601}" });
  assert.equal(apply("x\u{1F600}", changeBetween("x\u{1F600}", "\u{1F600}")), "\u{1F600}");
});
