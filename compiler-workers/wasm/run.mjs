// Runs a Tailor wasm32 build under Node: node compiler-workers/wasm/run.mjs app.wasm
// The module's console goes to stdout and the process exits with the app's exit code, as an image's machine does.
// The host gives the module three imports (module "tailor"): write(ptr, len), exit(code) and now_ns() (monotonic).
// A trap inside the module (unreachable, out-of-bounds access) is reported like a CPU fault in an image: exit 122.
// A module this engine cannot compile (an instruction it lacks, such as SIMD128) is exit 121, like an illegal
// instruction, so the same rule holds everywhere: 121 means "build a lower target for this machine".
import { readFileSync, writeSync } from 'node:fs';

const EXIT_ILLEGAL_INSTRUCTION = 121;
const EXIT_FAULT = 122;

class Exit extends Error {
  constructor(code) {
    super(`exit ${code}`);
    this.code = code;
  }
}

function say(text) {
  writeSync(1, text);
}

function main(argv) {
  if (argv.length !== 1) {
    process.stderr.write('usage: node run.mjs app.wasm\n');
    return 2;
  }
  let bytes;
  try {
    bytes = readFileSync(argv[0]);
  } catch (e) {
    process.stderr.write(`run.mjs: cannot read ${argv[0]}: ${e.message}\n`);
    return 2;
  }
  if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x0061736d) {
    process.stderr.write(`run.mjs: ${argv[0]} is not a WebAssembly module\n`);
    return 2;
  }
  let module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (e) {
    if (e instanceof WebAssembly.CompileError) {
      say(`tailor: this WebAssembly engine cannot compile the module: ${e.message}\n`);
      say('tailor: it lacks a feature the module was built for: use a lower target\n');
      say(`tailor: exit ${EXIT_ILLEGAL_INSTRUCTION}\n`);
      return EXIT_ILLEGAL_INSTRUCTION;
    }
    throw e;
  }
  let memory;
  const imports = {
    tailor: {
      write: (ptr, len) => writeSync(1, new Uint8Array(memory.buffer, ptr, len)),
      exit: (code) => { throw new Exit(code); },
      now_ns: () => process.hrtime.bigint(),
    },
  };
  let instance;
  try {
    instance = new WebAssembly.Instance(module, imports);
  } catch (e) {
    process.stderr.write(`run.mjs: cannot instantiate ${argv[0]}: ${e.message}\n`);
    return 2;
  }
  memory = instance.exports.memory;
  try {
    instance.exports._start();
  } catch (e) {
    if (e instanceof Exit) {
      return e.code;
    }
    if (e instanceof WebAssembly.RuntimeError) {
      try {
        instance.exports.tailor_flush?.();
      } catch {
        // the console line in progress is lost; the report below still says what happened
      }
      say(`\ntailor: trap: ${e.message}\n`);
      say(`tailor: exit ${EXIT_FAULT}\n`);
      return EXIT_FAULT;
    }
    throw e;
  }
  // _start returns only if the runtime's exit did not stop it: the runtime always exits, so this is a fault
  say('\ntailor: the module returned without exiting\n');
  say(`tailor: exit ${EXIT_FAULT}\n`);
  return EXIT_FAULT;
}

process.exitCode = main(process.argv.slice(2));
