'use strict';
// How a lesson's Solidity blocks become compilable files; courses/curriculum.py does the same in
// Python for `make test` (tests/curriculum/test_curriculum.py checks that both agree).
const PRAGMA = '// SPDX-License-Identifier: MIT\npragma solidity ^0.8.24;\n';
const FAILS_MARKER = '// does not compile';

function solidityBlocks(markdown) {
  const blocks = [];
  const pattern = /^```solidity[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const match of markdown.matchAll(pattern)) {
    const code = match[1];
    blocks.push({ code, mustFail: code.trimStart().startsWith(FAILS_MARKER) });
  }
  return blocks;
}

// A block without a pragma gets one; a block that declares no contract, interface or library
// (a few lines of a contract's body) is wrapped in `contract Snippet { ... }`.
function snippetSource(code) {
  const hasPragma = /^\s*pragma\s+solidity/m.test(code);
  const declares = /^\s*(abstract\s+contract|contract|interface|library)\s+\w+/m.test(code);
  const body = declares ? code : `contract Snippet {\n${code}\n}\n`;
  return hasPragma ? body : PRAGMA + body;
}

module.exports = { solidityBlocks, snippetSource, FAILS_MARKER };
