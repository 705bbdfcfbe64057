'use strict';
// The authors' check, run before a pull request: `node curriculum/check.cjs [folder ...]`.
// For every lesson under the folders (default: the whole curriculum) it compiles each Solidity
// block of lesson.md with the site's compiler (blocks whose first line starts with
// `// does not compile` must fail), and for a lesson with an exercise it runs the tests against
// the reference solution (every test must pass) and against the starter (at least one must fail).
// `make test` checks the same through the site's own compiler pool (tests/curriculum/).
const fs = require('fs');
const path = require('path');
const solc = require('solc');
const { runCheck } = require('../compiler/exercise.cjs');
const { snippetSource, solidityBlocks } = require('./snippets.cjs');

const compileWith = (input) => JSON.parse(solc.compile(JSON.stringify(input)));

function lessonFolders(folder) {
  if (fs.existsSync(path.join(folder, 'lesson.md'))) return [folder];
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d/.test(entry.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => lessonFolders(path.join(folder, entry.name)));
}

function compileErrors(source) {
  const output = compileWith({
    language: 'Solidity',
    sources: { 'Snippet.sol': { content: source } },
    settings: { outputSelection: { '*': { '*': ['abi'] } } },
  });
  return (output.errors || []).filter((error) => error.severity === 'error');
}

async function checkLesson(folder) {
  const problems = [];
  const read = (name) => fs.readFileSync(path.join(folder, name), 'utf8');
  const body = read('lesson.md');
  let blocks = 0;
  for (const block of solidityBlocks(body)) {
    blocks += 1;
    const errors = compileErrors(snippetSource(block.code));
    if (block.mustFail && errors.length === 0) problems.push(`block ${blocks} is marked as failing but compiles`);
    if (!block.mustFail && errors.length) problems.push(`block ${blocks} does not compile: ${errors[0].formattedMessage}`);
  }
  let summary = `${blocks} code block(s)`;
  if (fs.existsSync(path.join(folder, 'test.sol'))) {
    for (const name of ['starter.sol', 'solution.sol', 'hints.md']) {
      if (!fs.existsSync(path.join(folder, name))) problems.push(`${name} is missing`);
    }
    if (problems.length === 0) {
      const tests = read('test.sol');
      const reference = read('solution.sol');
      const solution = await runCheck({ source: reference, tests, reference }, compileWith);
      const starter = await runCheck({ source: read('starter.sol'), tests, reference }, compileWith);
      problems.push(...verdictProblems('solution', solution, true));
      problems.push(...verdictProblems('starter', starter, false));
      summary += `, ${(solution.tests || []).length} test(s): solution ${passCount(solution)}, starter ${passCount(starter)}`;
    }
  }
  return { problems, summary };
}

function passCount(result) {
  if (!result.tests) return result.problem || 'does not compile';
  return `${result.tests.filter((t) => t.passed).length}/${result.tests.length} pass`;
}

function verdictProblems(which, result, mustPass) {
  if (result.problem) return [`${which}: ${result.problem}`];
  if (!result.tests) {
    // A starter too must compile with the tests: the learner starts from failing tests, not errors.
    const errors = (result.compile_errors || []).filter((e) => e.severity === 'error');
    return [`${which} does not compile with the tests: ${errors[0] && errors[0].formattedMessage}`];
  }
  if (mustPass) {
    const failing = result.tests.filter((t) => !t.passed);
    if (result.tests.length < 3) return [`only ${result.tests.length} test(s): an exercise needs 3 or more`];
    return failing.map((t) => `${which}: ${t.name} fails: ${t.message}`);
  }
  return result.tests.every((t) => t.passed) ? [`${which} passes every test: it must fail at least one`] : [];
}

(async () => {
  const root = path.join(__dirname);
  const folders = process.argv.slice(2);
  const lessons = (folders.length ? folders : [root]).flatMap((folder) => lessonFolders(path.resolve(folder)));
  let failed = 0;
  for (const folder of lessons) {
    const { problems, summary } = await checkLesson(folder);
    const name = path.relative(root, folder);
    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name}: ${summary}`);
    for (const problem of problems) console.log(`     - ${problem}`);
    if (problems.length) failed += 1;
  }
  console.log(`${lessons.length} lessons, ${failed} with problems`);
  process.exit(failed ? 1 : 0);
})();
