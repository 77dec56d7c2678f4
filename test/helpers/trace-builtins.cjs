// Preloaded with `node --require` by the start-up tests: at exit, writes the Node built-in
// modules the process loaded (one a line) to the file named by TMC_TRACE_BUILTINS.
const fs = require('node:fs');

process.on('exit', () => {
  const builtins = process.moduleLoadList
    .filter((m) => m.startsWith('NativeModule '))
    .map((m) => m.slice('NativeModule '.length));
  fs.writeFileSync(process.env.TMC_TRACE_BUILTINS, `${builtins.join('\n')}\n`);
});
