'use strict';
// Runs an exercise's tests against a learner's contract: solc compiles the learner's file
// (Contract.sol) with the exercise's Foundry-style test file and the test kit (forge-std/Test.sol),
// then every `test*` function of the test contract runs in an in-process EVM (@ethereumjs/evm),
// each on its own copy of the state that the deployment and `setUp()` left.
//
// The `vm` cheatcodes of the test kit are implemented here, at the EVM level: a precompile at
// Foundry's cheatcode address answers them, and the EVM's message hooks apply pranks and check
// expected reverts and events on the next call the test makes. Only the test contract may use
// them: a learner's contract that calls `vm` gets a revert.
const fs = require('fs');
const path = require('path');
const { createEVM, EVMError } = require('@ethereumjs/evm');
const { Common, Mainnet, Hardfork } = require('@ethereumjs/common');
const { Account, Address, createAddressFromString, createContractAddress, bytesToHex, hexToBytes, toChecksumAddress } = require('@ethereumjs/util');
const { keccak_256: keccak } = require('@noble/hashes/sha3.js');
const { prebuiltSuite } = require('./prebuilt.cjs');

// The interpreter analyses a contract's code for jump destinations on every call into it; for
// unoptimised test contracts (tens of KB, holding the learner's creation code) that scan was
// most of a check's EVM time. The analysis depends only on the code and the EVM's opcodes, so
// it is kept per EVM and per code array (the state manager hands out the same array for the
// same account's code). The class is not exported, hence the path beside the package's entry.
const { Interpreter } = require(path.join(path.dirname(require.resolve('@ethereumjs/evm')), 'interpreter.js'));
const analyse = Interpreter.prototype._getValidJumpDestinations;
const analyses = new WeakMap();
Interpreter.prototype._getValidJumpDestinations = function (code) {
  let byCode = analyses.get(this._evm);
  if (!byCode) analyses.set(this._evm, (byCode = new WeakMap()));
  let found = byCode.get(code);
  if (!found) byCode.set(code, (found = analyse.call(this, code)));
  return found;
};

const LEARNER_SOURCE = 'Contract.sol';
const TEST_SOURCE = 'Exercise.t.sol';
const KIT_SOURCE = 'forge-std/Test.sol';
const KIT = fs.readFileSync(path.join(__dirname, 'testkit', 'Test.sol'), 'utf8');
const KIT_NAMES = ['Test', 'Vm'];
const EVM_VERSION = 'prague';

const VM_ADDRESS = addressFromHash('hevm cheat code');
const DEPLOYER = createAddressFromString('0x1804c8ab1f12e6bbf3894d4083f33e07309d1f38');
const TEST_BALANCE = (1n << 96n) - 1n;
const REVERT_PADDING = new Uint8Array(512); // what a call that reverted as expected "returns"

const PANICS = {
  0x00: 'a generic compiler panic',
  0x01: 'an assert(...) that failed',
  0x11: 'arithmetic overflow or underflow',
  0x12: 'division or modulo by zero',
  0x21: 'a conversion to an enum out of range',
  0x22: 'an incorrectly encoded storage byte array',
  0x31: 'pop() on an empty array',
  0x32: 'an array index out of bounds',
  0x41: 'too much memory allocated',
  0x51: 'a call to an uninitialised internal function',
};
const EVM_ERRORS = {
  'out of gas': 'ran out of gas',
  'invalid opcode': 'hit an invalid opcode',
  'stack overflow': 'overflowed the EVM stack (too deep a recursion?)',
  'stack underflow': 'underflowed the EVM stack',
  'invalid JUMP': 'jumped to an invalid destination',
  'static state change': 'tried to change state inside a view call',
  'code size to deposit exceeds maximum code size': 'deployed a contract over the 24 KB size limit',
  'create collision': 'created a contract at an address already in use',
};

function hexOf(bytes) {
  return bytesToHex(bytes);
}

function addressFromHash(text) {
  const hash = keccak(new TextEncoder().encode(text));
  return new Address(hash.slice(12));
}

function selectorOf(signature) {
  return hexOf(keccak(new TextEncoder().encode(signature)).slice(0, 4));
}

// --- A small ABI decoder: enough for cheatcode arguments, revert reasons and custom errors ---

function word(data, offset) {
  const slice = data.slice(offset, offset + 32);
  if (slice.length < 32) throw new Error('short ABI data');
  let value = 0n;
  for (const byte of slice) value = (value << 8n) | BigInt(byte);
  return value;
}

function decodeValue(type, data, head, base) {
  if (type === 'string' || type === 'bytes') {
    const start = base + Number(word(data, head));
    const length = Number(word(data, start));
    if (start + 32 + length > data.length) throw new Error('short ABI data');
    const bytes = data.slice(start + 32, start + 32 + length);
    return type === 'string' ? new TextDecoder().decode(bytes) : hexOf(bytes);
  }
  const value = word(data, head);
  if (type === 'address') return toChecksumAddress('0x' + value.toString(16).padStart(40, '0'));
  if (type === 'bool') return value !== 0n;
  if (type.startsWith('uint')) return value;
  if (type.startsWith('int')) {
    const bits = BigInt(type.slice(3) || 256);
    return value >= 1n << (bits - 1n) ? value - (1n << bits) : value;
  }
  if (/^bytes\d+$/.test(type)) return '0x' + value.toString(16).padStart(64, '0').slice(0, 2 * Number(type.slice(5)));
  throw new Error(`cannot decode ${type}`);
}

function decodeArgs(types, data, offset = 0) {
  return types.map((type, i) => decodeValue(type, data, offset + 32 * i, offset));
}

function encodeError(message) {
  const text = new TextEncoder().encode(message);
  const padded = Math.ceil(text.length / 32) * 32;
  const out = new Uint8Array(4 + 64 + padded);
  out.set(hexToBytes('0x08c379a0'), 0);
  out[4 + 31] = 0x20;
  const length = BigInt(text.length);
  for (let i = 0; i < 32; i++) out[4 + 32 + 31 - i] = Number((length >> BigInt(8 * i)) & 0xffn);
  out.set(text, 4 + 64);
  return out;
}

function display(value, labels) {
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{40}$/.test(value)) {
    const name = labels.get(value.toLowerCase());
    return name ? `${name} (${value})` : value;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

// --- Turning revert data into words a learner reads ---

function errorTable(abis) {
  const table = new Map([
    ['0x08c379a0', { name: 'Error', types: ['string'] }],
    ['0x4e487b71', { name: 'Panic', types: ['uint256'] }],
  ]);
  for (const abi of abis) {
    for (const item of abi) {
      if (item.type !== 'error') continue;
      const types = item.inputs.map((input) => input.type);
      table.set(selectorOf(`${item.name}(${types.join(',')})`), { name: item.name, types, inputs: item.inputs });
    }
  }
  return table;
}

function eventTable(abis) {
  const table = new Map();
  for (const abi of abis) {
    for (const item of abi) {
      if (item.type !== 'event') continue;
      const signature = `${item.name}(${item.inputs.map((input) => input.type).join(',')})`;
      table.set(hexOf(keccak(new TextEncoder().encode(signature))), signature);
    }
  }
  return table;
}

function describeRevert(data, errors, labels) {
  if (!data || data.length === 0) return { kind: 'revert', message: 'reverted without a reason' };
  const selector = hexOf(data.slice(0, 4));
  const known = errors.get(selector);
  if (!known) return { kind: 'revert', message: `reverted with unknown data ${hexOf(data).slice(0, 74)}` };
  let args;
  try {
    args = decodeArgs(known.types, data.slice(4));
  } catch (error) {
    return { kind: 'revert', message: `reverted with ${known.name}(…) (undecodable arguments)` };
  }
  if (known.name === 'Error') return { kind: 'require', message: bounded(args[0] || 'reverted with an empty reason') };
  if (known.name === 'Panic') {
    const code = Number(args[0]);
    const what = PANICS[code] || 'an unknown panic';
    return { kind: 'panic', code, message: `panic 0x${code.toString(16).padStart(2, '0')}: ${what}` };
  }
  const shown = args.map((arg, i) => {
    const name = known.inputs[i].name;
    return name ? `${name}: ${display(arg, labels)}` : display(arg, labels);
  });
  return { kind: 'custom-error', error: known.name, message: bounded(`${known.name}(${shown.join(', ')})`) };
}

const MAX_MESSAGE_CHARS = 500;

function bounded(text) {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}

function describeFailure(execResult, errors, labels, gasLimit) {
  const error = execResult.exceptionError;
  if (error.error === EVMError.errorMessages.REVERT) return describeRevert(execResult.returnValue, errors, labels);
  if (error.error === EVMError.errorMessages.OUT_OF_GAS) {
    return {
      kind: 'out-of-gas',
      message: `ran out of gas: it used all ${gasLimit.toLocaleString('en')} gas a test may use (is there a loop that never ends?)`,
    };
  }
  return { kind: 'evm-error', message: EVM_ERRORS[error.error] || `stopped: ${error.error}` };
}

// --- The cheatcodes ---

const CHEATCODES = {};
function cheat(signature, types, run) {
  CHEATCODES[selectorOf(signature)] = { signature, types, run };
}

function failAssertion(message, detail) {
  throw new AssertionFailed(bounded(message ? `${message}: ${detail}` : detail));
}

class AssertionFailed extends Error {}

cheat('prank(address)', ['address'], (ctx, [who]) => {
  ctx.prank = { sender: who, depth: ctx.vmCall.depth, once: true };
});
cheat('startPrank(address)', ['address'], (ctx, [who]) => {
  ctx.prank = { sender: who, depth: ctx.vmCall.depth, once: false };
});
cheat('stopPrank()', [], (ctx) => {
  ctx.prank = null;
});
cheat('deal(address,uint256)', ['address', 'uint256'], async (ctx, [who, amount]) => {
  const address = createAddressFromString(who);
  const account = (await ctx.evm.stateManager.getAccount(address)) || new Account();
  account.balance = amount;
  await ctx.evm.journal.putAccount(address, account);
});
cheat('warp(uint256)', ['uint256'], (ctx, [timestamp]) => {
  ctx.block.header.timestamp = timestamp;
});
cheat('roll(uint256)', ['uint256'], (ctx, [number]) => {
  ctx.block.header.number = number;
});
cheat('label(address,string)', ['address', 'string'], (ctx, [who, name]) => {
  ctx.labels.set(who.toLowerCase(), name);
});
function expectRevert(ctx, expectation) {
  if (ctx.expectRevert) throw new Error('a vm.expectRevert() is already waiting for its call');
  ctx.expectRevert = { depth: ctx.vmCall.depth, ...expectation };
}
cheat('expectRevert()', [], (ctx) => expectRevert(ctx, { data: null }));
cheat('expectRevert(bytes)', ['bytes'], (ctx, [data]) => expectRevert(ctx, { data }));
// As in Foundry 1.x: a bare selector matches an error without arguments exactly; a partial
// match (any arguments) is expectPartialRevert.
cheat('expectRevert(bytes4)', ['bytes4'], (ctx, [data]) => expectRevert(ctx, { data }));
cheat('expectPartialRevert(bytes4)', ['bytes4'], (ctx, [selector]) =>
  expectRevert(ctx, { data: selector, selectorOnly: true }),
);
function expectEmit(ctx, checks, emitter) {
  if (ctx.expectEmit) throw new Error('a vm.expectEmit() is already waiting for its event');
  ctx.expectEmit = { depth: ctx.vmCall.depth, checks, emitter, log: null };
  ctx.watchForLog(ctx.vmCall.depth - 1);
}
cheat('expectEmit()', [], (ctx) => expectEmit(ctx, [true, true, true, true], null));
cheat('expectEmit(bool,bool,bool,bool)', ['bool', 'bool', 'bool', 'bool'], (ctx, checks) =>
  expectEmit(ctx, checks, null),
);
cheat('expectEmit(bool,bool,bool,bool,address)', ['bool', 'bool', 'bool', 'bool', 'address'], (ctx, args) =>
  expectEmit(ctx, args.slice(0, 4), args[4].toLowerCase()),
);

cheat('assertTrue(bool,string)', ['bool', 'string'], (ctx, [condition, message]) => {
  if (!condition) failAssertion(message, 'expected true, got false');
});
cheat('assertFalse(bool,string)', ['bool', 'string'], (ctx, [condition, message]) => {
  if (condition) failAssertion(message, 'expected false, got true');
});
for (const type of ['uint256', 'int256', 'address', 'bool', 'bytes32', 'string', 'bytes']) {
  cheat(`assertEq(${type},${type},string)`, [type, type, 'string'], (ctx, [actual, expected, message]) => {
    const same = typeof actual === 'string' && type !== 'string' ? actual.toLowerCase() === expected.toLowerCase() : actual === expected;
    if (!same) failAssertion(message, `got ${display(actual, ctx.labels)}, expected ${display(expected, ctx.labels)}`);
  });
}
for (const type of ['uint256', 'address']) {
  cheat(`assertNotEq(${type},${type},string)`, [type, type, 'string'], (ctx, [actual, other, message]) => {
    const same = typeof actual === 'string' ? actual.toLowerCase() === other.toLowerCase() : actual === other;
    if (same) failAssertion(message, `got ${display(actual, ctx.labels)}, expected anything else`);
  });
}
const COMPARISONS = {
  assertGt: [(a, b) => a > b, 'more than'],
  assertGe: [(a, b) => a >= b, 'at least'],
  assertLt: [(a, b) => a < b, 'less than'],
  assertLe: [(a, b) => a <= b, 'at most'],
};
for (const [name, [holds, words]] of Object.entries(COMPARISONS)) {
  cheat(`${name}(uint256,uint256,string)`, ['uint256', 'uint256', 'string'], (ctx, [actual, bound, message]) => {
    if (!holds(actual, bound)) failAssertion(message, `got ${actual}, expected ${words} ${bound}`);
  });
}

function revertResult(data, gas = 0n) {
  return { returnValue: data, executionGasUsed: gas, exceptionError: new EVMError(EVMError.errorMessages.REVERT) };
}

// --- One test run ---

class Context {
  constructor(evm, block, testAddress, labels, substitutions) {
    this.evm = evm;
    this.substitutions = substitutions; // the reference's creation code -> the learner's
    this.block = block;
    this.testAddress = testAddress;
    this.labels = labels;
    this.reset();
  }

  reset() {
    this.frames = [];
    this.vmCall = null;
    this.prank = null;
    this.expectRevert = null;
    this.expectEmit = null;
    this.failure = null; // a broken expectation: the test fails with this message whatever happens
    this.ranOutOfGas = false; // some call ran out of gas (its caller may only see an empty revert)
    this.lackedEther = false; // some call's sender had less ether than the value it sent
    this.callGas = 0n; // gas of the calls the test itself made: the solution's share of the test
  }

  watchForLog(depth) {
    // Only while an expectEmit waits for the test's own `emit`: step hooks slow every opcode.
    const listener = (step) => {
      if (step.depth !== depth || !step.opcode.name.startsWith('LOG')) return;
      const count = Number(step.opcode.name.slice(3));
      const stack = step.stack;
      const top = stack.length - 1;
      const offset = Number(stack[top]);
      const size = Number(stack[top - 1]);
      const topics = [];
      for (let i = 0; i < count; i++) topics.push(hexOf(hexToBytes('0x' + stack[top - 2 - i].toString(16).padStart(64, '0'))));
      const data = new Uint8Array(size);
      data.set(step.memory.slice(offset, offset + size));
      if (this.expectEmit) this.expectEmit.log = { topics, data: hexOf(data) };
      this.evm.events.off('step', listener);
    };
    this.evm.events.on('step', listener);
  }
}

async function runCheck(request, compileWith) {
  const started = Date.now();
  const limits = request.limits || {};
  const gasLimit = BigInt(limits.gas_per_test || 5_000_000);
  const deadline = started + 1000 * (limits.seconds || 5);
  const problem = preflight(request);
  if (problem) return { problem };

  const suite =
    prebuiltSuite(request, compileWith, {
      compileWithTests: (learner, tests, outputs) => compileWithTests(learner, tests, compileWith, outputs),
      compileLearner: (source) => compileWith(solcInput({ learner: source, tests: null, outputs: 'learner' })),
      learnerSource: LEARNER_SOURCE,
      testSource: TEST_SOURCE,
    }) || fullSuite(request, compileWith);
  if (!suite.testContracts) return { compile_errors: suite.compile_errors, problem: null, path: suite.path };

  const testName = request.test_contract;
  const compiled = suite.testContracts;
  const testContract = testName ? compiled[testName] : Object.values(compiled).find((c) => c.abi.some(isTest));
  if (!testContract || !testContract.evm.bytecode.object) {
    return { problem: 'The exercise has no test contract with test functions.', author_error: true };
  }
  if (suite.linksLibraries) {
    return {
      problem: 'Your contract calls a public or external library function, which needs the library deployed and linked. Make the library\'s functions internal: exercises run your file on its own.',
    };
  }
  const abis = suite.abis;
  const errorsBySelector = errorTable(abis);
  const events = eventTable(abis);
  const order = sourceOrder(request.tests);
  const tests = testContract.abi
    .filter(isTest)
    .sort((a, b) => (order.get(a.name) ?? 1e9) - (order.get(b.name) ?? 1e9));
  const hasSetUp = testContract.abi.some((item) => item.type === 'function' && item.name === 'setUp' && item.inputs.length === 0);

  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Prague });
  const labels = new Map();
  const block = makeBlock();
  let ctx = null;
  const evm = await createEVM({
    common,
    customPrecompiles: [{ address: VM_ADDRESS, function: (input) => runCheatcode(ctx, input) }],
  });
  await evm.stateManager.putAccount(DEPLOYER, new Account(0n, TEST_BALANCE));
  await evm.stateManager.putCode(VM_ADDRESS, new Uint8Array([0x00]));
  // The test contract's address is known before it exists, so that its constructor (state
  // variables such as `alice = makeAddr("alice")`) may use the cheatcodes too.
  ctx = new Context(evm, block, createContractAddress(DEPLOYER, 0n), labels, suite.substitutions);
  // Two arguments: the EVM awaits this listener (a pranked `new` must bump the sender's nonce).
  evm.events.on('beforeMessage', (message, done) => beforeMessage(ctx, message).then(done, done));
  evm.events.on('afterMessage', (result) => afterMessage(ctx, result, errorsBySelector, events));
  // The test contract holds the learner's creation code, so it may be over the 24 KB limit that
  // every contract deployed during the tests (the learner's included) keeps.
  evm.allowUnlimitedContractSize = true;
  const deployed = await evm.runCall({
    caller: DEPLOYER,
    data: hexToBytes('0x' + testContract.evm.bytecode.object),
    gasLimit: gasLimit * 3n,
    block,
  });
  evm.allowUnlimitedContractSize = false;
  await evm.journal.cleanup();
  if (deployed.execResult.exceptionError) {
    const why = describeFailure(deployed.execResult, errorsBySelector, labels, gasLimit * 3n);
    return { problem: `The test contract could not be deployed: it ${why.message}.`, author_error: true };
  }
  if (!deployed.createdAddress.equals(ctx.testAddress)) throw new Error('the test contract is not where it was expected');
  const account = await evm.stateManager.getAccount(ctx.testAddress);
  account.balance = TEST_BALANCE;
  await evm.stateManager.putAccount(ctx.testAddress, account);
  labels.set(ctx.testAddress.toString().toLowerCase(), 'the test');

  const results = await runSuite(ctx, tests, hasSetUp, { gasLimit, block, errorsBySelector, deadline });
  return { tests: results, compile_errors: suite.compile_errors, problem: null, ms: Date.now() - started, path: suite.path };
}

// The tests and the kit are compiled with ABI coder v1 where they can be: its code generation
// takes about half the time of v2's, and the compile is most of a check. The learner's file keeps
// its own coder (v2 by default). Tests that pass structs across calls need v2: those compile
// again with it, and their exercise uses v2 from then on in this process. Tests that name their
// coder themselves (`pragma abicoder v2;`, e.g. to measure gas around calls) keep it.
const CODER_V1 = '\npragma abicoder v1;\n'; // appended: no offset in the tests' errors moves
const NEEDS_V2_LIMIT = 1000;
const needsV2 = new Set();

const SETTINGS = {
  evmVersion: EVM_VERSION,
  optimizer: { enabled: false, runs: 200 },
  // No metadata hash in the bytecode: nothing here verifies it, and it costs ~10 % of a
  // check's compile.
  metadata: { appendCBOR: false, bytecodeHash: 'none' },
};
const OUTPUTS = {
  full: {
    [LEARNER_SOURCE]: { '*': ['abi'] },
    [TEST_SOURCE]: { '*': ['abi', 'evm.bytecode.object'] },
  },
  plan: {
    [LEARNER_SOURCE]: { '*': ['abi', 'evm.bytecode.object'], '': ['ast'] },
    [TEST_SOURCE]: { '*': ['abi', 'evm.bytecode.object'], '': ['ast'] },
  },
  learner: { [LEARNER_SOURCE]: { '*': ['abi', 'evm.bytecode.object'] } },
};

function solcInput({ learner, tests, v1, outputs }) {
  const sources = { [LEARNER_SOURCE]: { content: learner } };
  if (tests !== null) {
    sources[TEST_SOURCE] = { content: v1 ? tests + CODER_V1 : tests };
    sources[KIT_SOURCE] = { content: v1 ? KIT + CODER_V1 : KIT };
  }
  return { language: 'Solidity', sources, settings: { ...SETTINGS, outputSelection: OUTPUTS[outputs] } };
}

// The learner's file (or the reference solution) with the tests and the kit, in ABI coder v1
// when the tests allow it.
function compileWithTests(learner, tests, compileWith, outputs) {
  if (!needsV2.has(tests) && !/\bpragma\s+abicoder\b/.test(tests)) {
    const output = compileWith(solcInput({ learner, tests, v1: true, outputs }));
    const errors = (output.errors || []).filter((error) => error.severity === 'error');
    if (!errors.some((error) => /ABI coder v2/.test(error.message))) return output;
    if (needsV2.size >= NEEDS_V2_LIMIT) needsV2.clear();
    needsV2.add(tests);
  }
  return compileWith(solcInput({ learner, tests, v1: false, outputs }));
}

// The whole suite from one compile of the learner's file with the tests (the path that always
// gives the compiler's own words when the tests cannot use the learner's contract).
function fullSuite(request, compileWith) {
  const output = compileWithTests(request.source, request.tests, compileWith, 'full');
  const errors = (output.errors || []).filter((error) => error.severity === 'error');
  if (errors.length) return { compile_errors: output.errors };
  const abis = [];
  for (const file of Object.values(output.contracts)) for (const c of Object.values(file)) abis.push(c.abi);
  const testContracts = output.contracts[TEST_SOURCE] || {};
  const linksLibraries = Object.values(testContracts).some((c) => c.evm.bytecode.object.includes('__$'));
  return { compile_errors: output.errors || [], testContracts, abis, substitutions: new Map(), linksLibraries };
}

function isTest(item) {
  return item.type === 'function' && item.name.startsWith('test') && item.inputs.length === 0;
}

// Tests run in the order they are written (the ABI lists them alphabetically). Asking solc for
// the AST instead costs ~20 ms of JSON per check.
function sourceOrder(tests) {
  const order = new Map();
  const pattern = /\bfunction\s+([A-Za-z_$][\w$]*)\s*\(/g;
  for (const match of stripCommentsAndStrings(tests).matchAll(pattern)) {
    if (!order.has(match[1])) order.set(match[1], order.size);
  }
  return order;
}

function makeBlock() {
  return {
    header: {
      number: 1n,
      coinbase: new Address(new Uint8Array(20)),
      timestamp: 1_700_000_000n,
      difficulty: 0n,
      prevRandao: new Uint8Array(32),
      gasLimit: 30_000_000n,
      baseFeePerGas: 0n,
      getBlobGasPrice: () => 1n,
    },
  };
}

// Like Foundry: setUp() runs once, and every test starts from a copy of the state it left (the
// same state as running setUp() before each test, since both start from the deployment).
async function runSuite(ctx, tests, hasSetUp, { gasLimit, block, errorsBySelector, deadline }) {
  const { evm } = ctx;
  let setUpFailure = null;
  if (hasSetUp) {
    const setUp = await callTest(ctx, 'setUp()', gasLimit, block, errorsBySelector);
    if (setUp.failure) setUpFailure = { ...setUp.failure, message: `setUp() ${setUp.failure.message}` };
  }
  const afterSetUp = { ...block.header };
  const results = [];
  for (const test of tests) {
    if (setUpFailure) {
      results.push({ ...setUpFailure, name: test.name, passed: false, gas: 0 });
      continue;
    }
    if (Date.now() > deadline) {
      results.push({ name: test.name, passed: false, gas: 0, kind: 'timeout', message: 'not run: the check ran out of time' });
      continue;
    }
    await evm.stateManager.checkpoint();
    try {
      const result = await callTest(ctx, `${test.name}()`, gasLimit, block, errorsBySelector);
      const gas = Number(result.gas);
      results.push(result.failure ? { ...result.failure, name: test.name, passed: false, gas } : { name: test.name, passed: true, gas });
    } finally {
      await evm.stateManager.revert();
      evm.journal.cleanJournal();
      Object.assign(block.header, afterSetUp);
    }
  }
  return results;
}

// EIP-2929: a transaction starts with its sender, its recipient and the precompiles warm.
const PRECOMPILES = Array.from({ length: 0x11 }, (_, i) => (i + 1).toString(16).padStart(40, '0'));

function warmAsATransaction(ctx) {
  const journal = ctx.evm.journal;
  for (const address of [...PRECOMPILES, DEPLOYER.toString(), ctx.testAddress.toString()]) {
    journal.addAlwaysWarmAddress(address);
  }
}

async function callTest(ctx, signature, limit, block, errorsBySelector) {
  const { evm } = ctx;
  ctx.reset();
  warmAsATransaction(ctx);
  const result = await evm.runCall({
    caller: DEPLOYER,
    to: ctx.testAddress,
    data: hexToBytes(selectorOf(signature)),
    gasLimit: limit,
    block,
  });
  await evm.journal.cleanup();
  // What the test's own calls used (into the learner's contract, deployments, helpers in the test
  // file), not the test's code around them: the same for every learner, whatever the coder.
  const gas = ctx.callGas;
  if (ctx.failure) return { gas, failure: { kind: 'expectation', message: ctx.failure } };
  if (result.execResult.exceptionError) {
    const failure = describeFailure(result.execResult, errorsBySelector, ctx.labels, limit);
    if (ctx.ranOutOfGas && failure.message === 'reverted without a reason') {
      return { gas, failure: { kind: 'out-of-gas', message: `a call ran out of gas: a loop that never ends, or an ether transfer whose 2,300 gas stipend was not enough for the receiver (a test may use ${limit.toLocaleString('en')} gas in all)` } };
    }
    if (ctx.lackedEther && failure.message === 'reverted without a reason') {
      return { gas, failure: { kind: 'revert', message: 'a call sent more ether than its sender had (give the sender ether with vm.deal first)' } };
    }
    return { gas, failure };
  }
  if (ctx.expectRevert) return { gas, failure: { kind: 'expectation', message: 'vm.expectRevert() was not followed by a call' } };
  if (ctx.expectEmit) return { gas, failure: { kind: 'expectation', message: 'vm.expectEmit() was not followed by an emit and a call' } };
  return { gas, failure: null };
}

async function runCheatcode(ctx, input) {
  // Only the test contract's own code, running as the test (depth 0: a test, setUp() or its
  // constructor), may use vm: not a learner's contract, not by DELEGATECALL, and not a test
  // function that a learner's contract calls back into.
  const call = ctx && ctx.frames[ctx.frames.length - 1];
  if (
    !call ||
    call !== ctx.vmCall ||
    call.delegatecall ||
    call.depth !== 1 ||
    !call.caller.equals(ctx.testAddress)
  ) {
    return revertResult(encodeError('only the tests may use vm cheatcodes'));
  }
  const selector = hexOf(input.data.slice(0, 4));
  const code = CHEATCODES[selector];
  if (!code) return revertResult(encodeError(`vm has no cheatcode with selector ${selector}`));
  try {
    const args = decodeArgs(code.types, input.data.slice(4));
    await code.run(ctx, args);
  } catch (error) {
    if (error instanceof AssertionFailed) return revertResult(encodeError(error.message));
    return revertResult(encodeError(`vm.${code.signature}: ${error.message}`));
  }
  return { returnValue: new Uint8Array(0), executionGasUsed: 100n };
}

async function beforeMessage(ctx, message) {
  ctx.frames.push(message);
  if (!message.to && ctx.substitutions.size) substitute(ctx, message);
  if (message.to && message.to.equals(VM_ADDRESS) && !message.delegatecall) {
    ctx.vmCall = message;
    return;
  }
  const prank = ctx.prank;
  if (prank && message.depth === prank.depth && message.caller.equals(ctx.testAddress)) {
    message.caller = createAddressFromString(prank.sender);
    if (prank.once) ctx.prank = null;
    if (!message.to) {
      // CREATE already raised the test contract's nonce; the new address is derived from the
      // sender's nonce before that raise, so the pranked sender's must be raised the same way.
      const account = (await ctx.evm.stateManager.getAccount(message.caller)) || new Account();
      account.nonce += 1n;
      await ctx.evm.journal.putAccount(message.caller, account);
    }
  }
}

// A `new` of one of the reference solution's contracts deploys the learner's namesake, with the
// same constructor arguments (they follow the creation code).
function substitute(ctx, message) {
  const initcode = hexOf(message.data).slice(2);
  for (const [reference, learner] of ctx.substitutions) {
    if (initcode.startsWith(reference)) {
      message.data = hexToBytes('0x' + learner + initcode.slice(reference.length));
      return;
    }
  }
}

function afterMessage(ctx, result, errorsBySelector, events) {
  const message = ctx.frames.pop();
  if (message && message === ctx.vmCall) ctx.vmCall = null;
  if (!message || (message.to && message.to.equals(VM_ADDRESS))) return;
  const exec = result.execResult;
  if (exec.exceptionError && exec.exceptionError.error === EVMError.errorMessages.OUT_OF_GAS) ctx.ranOutOfGas = true;
  if (exec.exceptionError && exec.exceptionError.error === EVMError.errorMessages.INSUFFICIENT_BALANCE) {
    ctx.lackedEther = true;
  }
  if (message.depth === 1) ctx.callGas += exec.executionGasUsed;
  const expected = ctx.expectRevert;
  if (expected && message.depth === expected.depth) {
    ctx.expectRevert = null;
    if (!exec.exceptionError) {
      breakExpectation(ctx, exec, 'expected the call to revert, but it succeeded');
    } else if (expected.data !== null && !revertMatches(exec, expected)) {
      const got = exec.exceptionError.error === EVMError.errorMessages.REVERT
        ? describeRevert(exec.returnValue, errorsBySelector, ctx.labels).message.replace(/^reverted with /, '')
        : exec.exceptionError.error;
      breakExpectation(ctx, exec, `expected the call to revert with ${describeExpected(expected, errorsBySelector, ctx.labels)}, but it reverted with ${got}`);
    } else {
      exec.exceptionError = undefined;
      exec.returnValue = REVERT_PADDING;
    }
  }
  const emit = ctx.expectEmit;
  if (emit && message.depth === emit.depth) {
    ctx.expectEmit = null;
    if (!emit.log) {
      breakExpectation(ctx, exec, 'vm.expectEmit() must be followed by the expected emit, then the call');
    } else if (exec.exceptionError) {
      breakExpectation(ctx, exec, `expected the event ${events.get(emit.log.topics[0]) || 'the test emitted'}, but the call reverted`);
    } else if (!(exec.logs || []).some((log) => logMatches(log, emit))) {
      breakExpectation(ctx, exec, `expected the event ${events.get(emit.log.topics[0]) || emit.log.topics[0] || 'the test emitted'} with the same ${checkedParts(emit)}, but the call did not emit it`);
    }
  }
}

function describeExpected(expected, errorsBySelector, labels) {
  const data = hexToBytes(expected.data);
  const known = errorsBySelector.get(hexOf(data.slice(0, 4)));
  if (expected.selectorOnly) return known ? known.name : expected.data;
  if (known) return describeRevert(data, errorsBySelector, labels).message;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(data);
  return /^[\x20-\x7e]*$/.test(text) ? text : expected.data; // a bare reason string
}

function revertMatches(exec, expected) {
  if (exec.exceptionError.error !== EVMError.errorMessages.REVERT) return false;
  const actual = hexOf(exec.returnValue || new Uint8Array(0));
  if (expected.selectorOnly) return actual.slice(0, 10) === expected.data.toLowerCase();
  const wanted = expected.data.toLowerCase();
  // A bare reason string ("not the owner") matches Error("not the owner"), as in Foundry.
  return actual === wanted || actual === hexOf(encodeError(new TextDecoder().decode(hexToBytes(wanted))));
}

function logMatches(log, emit) {
  const [address, topics, data] = log;
  if (emit.emitter && hexOf(address) !== emit.emitter) return false;
  const wanted = emit.log;
  const actualTopics = topics.map(hexOf);
  if (actualTopics.length !== wanted.topics.length || actualTopics[0] !== wanted.topics[0]) return false;
  for (let i = 1; i < wanted.topics.length; i++) {
    if (emit.checks[i - 1] && actualTopics[i] !== wanted.topics[i]) return false;
  }
  return !emit.checks[3] || hexOf(data) === wanted.data;
}

function checkedParts(emit) {
  const parts = [];
  emit.checks.slice(0, 3).forEach((checked, i) => checked && i + 1 < emit.log.topics.length && parts.push(`indexed argument ${i + 1}`));
  if (emit.checks[3]) parts.push('data');
  if (emit.emitter) parts.push('emitter');
  return parts.length ? parts.join(', ') : 'signature';
}

function breakExpectation(ctx, exec, message) {
  ctx.failure = ctx.failure || message;
  exec.exceptionError = new EVMError(EVMError.errorMessages.REVERT);
  exec.returnValue = encodeError(message);
  exec.logs = [];
}

// --- What the learner's file may not do, said before compiling ---

// Comments and string literals blanked out, in one pass: a regex with alternatives backtracks
// quadratically on sources such as 100 KB of "/*a".
function stripCommentsAndStrings(source) {
  let out = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      i = end < 0 ? n : end;
      out += ' ';
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      out += ' ';
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      i = j + 1;
      out += '""';
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

function declaredNames(source) {
  const names = new Set();
  const pattern = /\b(?:contract|interface|library)\s+([A-Za-z_$][\w$]*)/g;
  for (const match of stripCommentsAndStrings(source).matchAll(pattern)) names.add(match[1]);
  return names;
}

function preflight(request) {
  const learner = stripCommentsAndStrings(request.source);
  if (/(^|[;\s}])import\b/.test(learner)) {
    return 'Your contract imports another file. Exercises are checked on your file alone: put everything the contract needs in it and remove the import.';
  }
  const reserved = new Set([...declaredNames(request.tests), ...KIT_NAMES]);
  for (const name of declaredNames(request.source)) {
    if (reserved.has(name)) {
      return `Your code declares ${name}, a name the exercise's tests use for themselves. Rename your ${name}.`;
    }
  }
  return null;
}

module.exports = { runCheck, LEARNER_SOURCE, TEST_SOURCE, KIT_SOURCE };
