'use strict';
// One solc per process, kept for many compiles: loading soljson costs ~0.5 s and ~220 MB, a warm
// compile of a small contract 15-50 ms. Requests arrive as JSON lines on stdin,
// {"id": n, "input": <standard JSON>}, and are answered one at a time, in order, as JSON lines on
// stdout: {"id": n, "output": <standard JSON output>, "rss": bytes}. The pool in compiler/pool.py
// owns this process: it kills it on a timeout or past a memory limit, and stdin closing (the pool
// gone) ends it.
const readline = require('readline');
const solc = require('solc');

function reply(message) {
  // Writes to a pipe are synchronous on Linux, so a reply is complete before the next read.
  process.stdout.write(JSON.stringify(message) + '\n');
}

function compile(input) {
  return JSON.parse(solc.compile(JSON.stringify(input)));
}

// The first compile of a process is ~200 ms slower than the rest: pay it before announcing ready.
compile({
  language: 'Solidity',
  sources: { 'warm.sol': { content: 'pragma solidity >=0.8.0; contract Warm { uint256 public x; }' } },
  settings: { outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
});
reply({ ready: true, version: solc.version(), rss: process.memoryUsage.rss() });

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    reply({ id: null, error: 'the request is not JSON' });
    return;
  }
  let output;
  try {
    output = compile(request.input);
  } catch (error) {
    // An exception out of soljson may leave its memory inconsistent: answer, then end the process
    // so that the pool replaces it.
    reply({ id: request.id, error: `solc failed: ${error}`, fatal: true });
    process.exit(1);
  }
  reply({ id: request.id, output, rss: process.memoryUsage.rss() });
});
lines.on('close', () => process.exit(0));
