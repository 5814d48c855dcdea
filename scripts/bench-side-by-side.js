#!/usr/bin/env node
// sat-bench against PyTorch in one command: R rounds (default 3), each `sat-bench bench --json` then the PyTorch
// peer torch_bench.py `--json`, both pinned to the same cores with taskset, then one markdown table on stdout:
// per workload and step, sat-bench's images/s (GFLOP/s, share of its measured peak) and PyTorch's images/s per
// round, and their ratio within each round. Progress goes to stderr.
//
//   scripts/bench-side-by-side.js [--rounds 3] [--only mnist|mnist-bn|cifar] [--cores 0,1] [--raw DIR]
//
//   --rounds  rounds to alternate (each compares only with itself: on a shared machine the level moves)
//   --only    one workload, passed to both tools (W-mnist alone: 1 min 22 s a round on 2 busy cores)
//   --cores   taskset core list for both tools (default: every core this process may use); PyTorch gets one
//             thread per core listed
//   --raw     also write each round's raw output there (round-1-sat-bench.jsonl, round-1-torch.jsonl, ...)
//
// Environment:
//   SAT_BENCH_TORCH_BENCH  torch_bench.py (default ../shared/bench/torch_bench.py, from the repository root)
//   SAT_BENCH_PYTHON       a Python with PyTorch (default /usr/bin/python3: Debian's python3-torch installs there)
// OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from PyTorch's environment, so tuning meant for another
// program's OpenBLAS does not reach it. Needs `npm run build` first (it runs bin/sat-bench.js and dist/).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repo = path.join(__dirname, '..');
const WORKLOADS = ['mnist', 'mnist-bn', 'cifar'];

function fail(message, fix) {
  console.error(`bench-side-by-side: ${message}.${fix ? ` ${fix}.` : ''}`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { rounds: 3, only: undefined, cores: undefined, raw: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (!['--rounds', '--only', '--cores', '--raw'].includes(flag))
      fail(`unknown argument, got "${flag}"`, 'Use --rounds N, --only W, --cores LIST or --raw DIR');
    if (value === undefined)
      fail(`${flag}: expected a value, got nothing`, `e.g. ${flag} ${flag === '--rounds' ? 3 : 'mnist'}`);
    options[flag.slice(2)] = value;
    i++;
  }
  const rounds = Number(options.rounds);
  if (!Number.isInteger(rounds) || rounds < 1)
    fail(`--rounds: expected an integer >= 1, got ${options.rounds}`, 'e.g. --rounds 3');
  options.rounds = rounds;
  if (options.only !== undefined && !WORKLOADS.includes(options.only))
    fail(`--only: unknown workload, got "${options.only}"`, `Use one of ${WORKLOADS.join(', ')}`);
  if (options.cores !== undefined && !/^\d+([-,]\d+)*$/.test(options.cores))
    fail(`--cores: expected a taskset core list, got "${options.cores}"`, 'e.g. --cores 0,1 or --cores 0-3');
  options.cores ??= `0-${os.availableParallelism() - 1}`;
  return options;
}

/** Cores in a taskset list such as '0,2-3' (3). */
function countCores(list) {
  return list.split(',').reduce((n, part) => {
    const [low, high = low] = part.split('-').map(Number);
    return n + high - low + 1;
  }, 0);
}

function run(label, command, args, env) {
  const at = new Date().toISOString().slice(11, 19);
  console.error(`bench-side-by-side: ${at} ${label}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: repo, env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (result.error) fail(`${label}: could not start ${command}, got ${result.error.message}`);
  if (result.status !== 0) {
    console.error(result.stderr.split('\n').slice(-20).join('\n'));
    console.error(`bench-side-by-side: ${label} exited with ${result.status ?? result.signal}`);
    process.exit(1);
  }
  return result.stdout;
}

function checkTools(torchBench, python, pythonEnv) {
  if (!fs.existsSync(path.join(repo, 'dist', 'src', 'bench', 'side-by-side.js')))
    fail('dist/ has no build of sat-bench', 'Run npm run build first');
  if (spawnSync('taskset', ['-V']).error) fail('taskset is missing', 'apt-get install -y util-linux');
  if (!fs.existsSync(torchBench))
    fail(`torch_bench.py not found, got ${torchBench}`, 'Set SAT_BENCH_TORCH_BENCH to its path');
  const probe = spawnSync(python, ['-c', 'import torch'], { env: pythonEnv, encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    fail(
      `${python} cannot import torch, got ${probe.error ? probe.error.message : probe.stderr.trim().split('\n').pop()}`,
      'On Debian: apt-get install -y python3-torch (it installs for /usr/bin/python3), or set SAT_BENCH_PYTHON',
    );
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const torchBench = path.resolve(repo, process.env.SAT_BENCH_TORCH_BENCH ?? '../shared/bench/torch_bench.py');
  const python = process.env.SAT_BENCH_PYTHON ?? '/usr/bin/python3';
  const pythonEnv = { ...process.env };
  delete pythonEnv.OPENBLAS_CORETYPE;
  delete pythonEnv.OPENBLAS_L2_SIZE;
  checkTools(torchBench, python, pythonEnv);
  const { cpuFromLscpu, sideBySideReport } = require(path.join(repo, 'dist', 'src', 'bench', 'side-by-side.js'));
  const lscpu = spawnSync('lscpu', [], { encoding: 'utf8' }).stdout ?? '';
  const only = options.only ? ['--only', options.only] : [];
  const started = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const rounds = [];
  const keepRaw = (name, output) => {
    if (!options.raw) return;
    fs.mkdirSync(options.raw, { recursive: true });
    fs.writeFileSync(path.join(options.raw, name), output);
  };
  for (let r = 1; r <= options.rounds; r++) {
    const satBench = run(
      `round ${r}/${options.rounds} sat-bench`,
      'taskset',
      ['-c', options.cores, process.execPath, path.join('bin', 'sat-bench.js'), 'bench', '--json', ...only],
      process.env,
    );
    keepRaw(`round-${r}-sat-bench.jsonl`, satBench);
    const threads = ['--threads', String(countCores(options.cores))];
    const torch = run(
      `round ${r}/${options.rounds} PyTorch`,
      'taskset',
      ['-c', options.cores, python, torchBench, '--json', ...threads, ...only],
      pythonEnv,
    );
    keepRaw(`round-${r}-torch.jsonl`, torch);
    rounds.push({ satBench, torch });
  }
  console.log(sideBySideReport(rounds, { cpu: cpuFromLscpu(lscpu), cores: options.cores, started }));
}

main();
