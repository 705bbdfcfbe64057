'use strict';
// One solc per process, kept for many compiles: loading soljson costs ~0.5 s and ~220 MB, a warm
// compile of a small contract 15-50 ms. Requests arrive as JSON lines on stdin, either
// {"id": n, "input": <standard JSON>} (a compile) or {"id": n, "check": {source, tests, limits}}
// (an exercise's tests run against a learner's contract in the EVM, compiler/exercise.cjs), and
// are answered one at a time, in order, as JSON lines on stdout:
// {"id": n, "output": <standard JSON output or the check's result>, "rss": bytes}. The pool in
// compiler/pool.py owns this process: it kills it on a timeout or past a memory limit, and stdin
// closing (the pool gone) ends it.
const readline = require('readline');
const solc = require('solc');
const { runCheck } = require('./exercise.cjs');

function reply(message) {
  // Writes to a pipe are synchronous on Linux, so a reply is complete before the next read.
  process.stdout.write(JSON.stringify(message) + '\n');
}

function compile(input) {
  return JSON.parse(solc.compile(JSON.stringify(input)));
}

// The first compile of a process is ~200 ms slower than the rest, and the first test run ~400 ms
// (the test kit, the EVM's code paths): pay both before announcing ready.
const WARM_TESTS = `pragma solidity >=0.8.0;
import {Test} from "forge-std/Test.sol";
import "Contract.sol";
contract WarmTest is Test {
    function test_warm() public { Warm warm = new Warm(); vm.expectRevert(); warm.fail(); assertEq(warm.x(), 0, "x"); }
}`;
const WARM_SOURCE = 'pragma solidity >=0.8.0; contract Warm { uint256 public x; function fail() external pure { revert(); } }';

async function warmUp() {
  compile({
    language: 'Solidity',
    sources: { 'warm.sol': { content: WARM_SOURCE } },
    settings: { outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  });
  await runCheck({ source: WARM_SOURCE, tests: WARM_TESTS }, compile);
}

async function answer(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    reply({ id: null, error: 'the request is not JSON' });
    return;
  }
  let output;
  try {
    output = request.check ? await runCheck(request.check, compile) : compile(request.input);
  } catch (error) {
    // An exception out of soljson or the EVM may leave its memory inconsistent: answer, then end
    // the process so that the pool replaces it.
    reply({ id: request.id, error: `${request.check ? 'the test run' : 'solc'} failed: ${error}`, fatal: true });
    process.exit(1);
  }
  reply({ id: request.id, output, rss: process.memoryUsage.rss() });
}

// A check is asynchronous (the EVM awaits its state); requests still run one at a time.
let queue = warmUp().then(() => reply({ ready: true, version: solc.version(), rss: process.memoryUsage.rss() }));
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  queue = queue.then(() => answer(line));
});
lines.on('close', () => queue.then(() => process.exit(0)));
