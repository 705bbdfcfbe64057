'use strict';
// The fast path of a check: the exercise's tests are compiled once per process against its
// reference solution, and each learner's file is compiled alone; in the EVM, a test's
// `new Counter(...)` of the reference's creation code deploys the learner's instead. A check then
// pays for compiling the learner's file only, about half of compiling it with the tests.
//
// It gives the same verdict as compiling the learner's file with the tests only when the tests
// use nothing of the reference but its interface. So it is taken only when
// - the tests reference the solution's contracts, interfaces, events, errors, structs and
//   functions only through that interface (calls, `new`, types, selectors), never inheriting a
//   contract, calling a library or an internal function, reading a constant or an enum value,
//   using a modifier or `type(C)`: checked once per exercise on the AST; and
// - every contract and interface of the reference has a namesake in the learner's file whose ABI
//   includes the reference's, item for item (types, struct fields, mutability, indexed topics).
// Otherwise (including every learner file the tests would not compile against) the check takes
// the full path, whose compile errors are the ones a learner must see.
const { keccak_256: keccak } = require('@noble/hashes/sha3.js');

const PLANS_LIMIT = 500;
const plans = new Map(); // tests and reference -> plan, or null when the fast path does not apply

function prebuiltSuite(request, compileWith, { compileWithTests, compileLearner, learnerSource, testSource }) {
  if (!request.reference) return null;
  const plan = planFor(request, { compileWithTests, learnerSource, testSource });
  if (!plan) return null;
  const learner = compileLearner(request.source);
  const errors = (learner.errors || []).filter((error) => error.severity === 'error');
  // The tests may not compile against it either, with errors of their own: the full path says.
  if (errors.length) return null;
  const mine = learner.contracts[learnerSource] || {};
  const substitutions = new Map();
  for (const [name, reference] of Object.entries(plan.reference)) {
    const theirs = mine[name];
    if (!theirs || !abiIncludes(theirs.abi, reference.abi)) return null;
    if (reference.bytecode) {
      if (!theirs.evm.bytecode.object) return null; // abstract in the learner's file
      substitutions.set(reference.bytecode, theirs.evm.bytecode.object);
    }
  }
  const abis = [...plan.testAbis, ...Object.values(mine).map((contract) => contract.abi)];
  return {
    compile_errors: learner.errors || [],
    testContracts: plan.testContracts,
    abis,
    substitutions,
    linksLibraries: [...substitutions.values()].some((code) => code.includes('__$')),
    path: 'prebuilt',
  };
}

function planFor(request, { compileWithTests, learnerSource, testSource }) {
  const key = hex(keccak(new TextEncoder().encode(`${request.tests}\u0000${request.reference}`)));
  if (plans.has(key)) return plans.get(key);
  const output = compileWithTests(request.reference, request.tests, 'plan');
  let plan = null;
  const failed = (output.errors || []).some((error) => error.severity === 'error');
  if (!failed && onlyThroughInterfaces(output.sources[learnerSource].ast, output.sources[testSource].ast)) {
    const reference = {};
    for (const [name, contract] of Object.entries(output.contracts[learnerSource] || {})) {
      reference[name] = { abi: contract.abi, bytecode: contract.evm.bytecode.object };
    }
    const testContracts = output.contracts[testSource] || {};
    plan = {
      reference,
      testContracts,
      testAbis: Object.values(testContracts).map((contract) => contract.abi),
    };
  }
  if (plans.size >= PLANS_LIMIT) plans.clear();
  plans.set(key, plan);
  return plan;
}

// --- Does the test file use the reference only through its interface? ---

function onlyThroughInterfaces(learnerAst, testAst) {
  // id -> { node, kind: the contractKind of its contract (or 'file'), parent: its parent's type }
  const declarations = new Map();
  const collect = (node, kind, parent) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((child) => collect(child, kind, parent));
    if (typeof node.id === 'number' && node.nodeType) declarations.set(node.id, { node, kind, parent });
    const inner = node.nodeType === 'ContractDefinition' ? node.contractKind : kind;
    for (const value of Object.values(node)) {
      if (value && typeof value === 'object') collect(value, inner, node.nodeType || parent);
    }
  };
  collect(learnerAst, 'file', null);
  let fine = true;
  const visit = (node, parent) => {
    if (!fine || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((child) => visit(child, parent));
    if (node.nodeType === 'FunctionCall' && node.expression && node.expression.name === 'type') {
      if ((node.arguments || []).some((argument) => declarations.has(argument.referencedDeclaration))) fine = false;
    }
    const target = declarations.get(node.referencedDeclaration);
    if (target && !allowedUse(node, parent, target)) fine = false;
    for (const value of Object.values(node)) if (value && typeof value === 'object') visit(value, node);
  };
  visit(testAst, null);
  return fine;
}

function allowedUse(node, parent, { node: declaration, kind, parent: declaredIn }) {
  switch (declaration.nodeType) {
    case 'ContractDefinition':
      if (declaration.contractKind === 'library') return false;
      // Inheriting a contract of the reference would compile its code into the tests.
      return !(parent && parent.nodeType === 'InheritanceSpecifier' && declaration.contractKind !== 'interface');
    case 'EventDefinition':
    case 'ErrorDefinition':
    case 'StructDefinition':
    case 'EnumDefinition':
    case 'UserDefinedValueTypeDefinition':
      return true;
    case 'FunctionDefinition':
      // An external call or a selector; never an internal, free or library function.
      return node.nodeType === 'MemberAccess' && (kind === 'contract' || kind === 'interface');
    case 'VariableDeclaration':
      // A struct's field (its layout is in the ABI that must match), or a public getter called
      // from outside; a constant read at compile time is not.
      if (declaredIn === 'StructDefinition') return true;
      return (
        node.nodeType === 'MemberAccess' &&
        kind === 'contract' &&
        String((node.typeDescriptions || {}).typeString || '').startsWith('function ')
      );
    default:
      return false; // enum values, modifiers, anything else
  }
}

// --- Does the learner's ABI include the reference's? ---

function abiIncludes(theirs, reference) {
  const have = new Set(theirs.map(canonical));
  return reference.every((item) => have.has(canonical(item)));
}

function canonical(item) {
  const params = (list) => (list || []).map(param);
  return JSON.stringify([
    item.type,
    item.name || '',
    params(item.inputs),
    params(item.outputs),
    item.stateMutability || '',
    Boolean(item.anonymous),
  ]);
}

function param(p) {
  // Parameter names do not change an encoding; struct field names do change what a test means.
  return [p.type, Boolean(p.indexed), (p.components || []).map((c) => [c.name, ...param(c)])];
}

function hex(bytes) {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

module.exports = { prebuiltSuite };
