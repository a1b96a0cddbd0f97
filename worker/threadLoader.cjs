// The file piscina loads in every partition thread. Piscina loads a pool's file with require(),
// and in Node 20 a thread terminated while require() links an ES module aborts the whole process
// ("v8::Module::IsGraphAsync must be used on an instantiated module"), as when a run's pool is
// destroyed while a thread still starts. So threads load this CommonJS file, which loads the thread
// script (an ES module, `threadScript.ts`) with import(): terminated there, a thread just ends.
'use strict';
const { workerData } = require('node:worker_threads');

const script = import(workerData.threadScript);
// A script that fails to load fails every task, with its own error; no rejection goes unhandled.
script.catch(() => {});

// Piscina takes a module marked as an ES module's exports as they are, and calls its `name` task.
exports.__esModule = true;
for (const task of ['default', 'runNodePartition', 'buildTables', 'warm']) {
  exports[task] = async (input) => (await script)[task](input);
}
