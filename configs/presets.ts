import type { Preset } from '../src/experiment/config/types';

/**
 * Scales of the experiment, each a diff against a base with the reason for every change (nanoGPT style).
 * Pixels are in [0, 1]: ε = 4/255 is the paper's "4" on the 0–255 scale.
 */

/** The embedded-data base: SmallCNN on 28×28 glyphs, PGD-1 training, PGD evaluation. */
const glyphsBase = {
  description: '',
  expectedWallTime: '',
  dataset: { name: 'glyphs', trainSize: 6000, testSize: 1000 },
  // BN before each hidden activation: without it softplus nets sat at chance for epochs here (measured).
  model: { name: 'smallcnn-bn', width: 0.5, init: 'heNormal' },
  // Glyph strokes have ≥ 0.6 contrast: at ε = 0.2 PGD-200 halves a ReLU model's accuracy (measured: 97 % → 51 %),
  // leaving room on both sides for the activations to differ; at 0.1 robustness sat near 70 %.
  epsilon: 0.2,
  train: {
    epochs: 3,
    batchSize: 64,
    examples: 0,
    // The paper's attacker (PGD-1, random start on 80 % of batches, BN in inference mode) with Wong et al.'s
    // step 1.25ε, which keeps single-step training from catastrophic overfitting at this ε.
    attack: { steps: 1, stepSizeFactor: 1.25, randomStartProbability: 0.8, epsilonRampEpochs: 1, batchNorm: 'running' },
    momentum: 0.9,
    nesterov: true,
    weightDecay: 5e-4,
    labelSmoothing: 0,
    schedule: { kind: 'cosine', learningRate: 0.05, warmupEpochs: 0.25 },
    // Catastrophic-overfitting guard (Wong et al. 2020): PGD-10 on 256 held-out examples per epoch; log, don't stop.
    overfitCheckExamples: 256,
    stopOnOverfit: false,
  },
  // 'light': the paper's PGD-200 plus half-length CW and APGD runs, so CPU evaluation stays minutes.
  // Step ε/40, so 200 steps can cross the ε-ball 5 times.
  eval: { examples: 300, batchSize: 300, steps: 200, stepSizeFactor: 1 / 40, randomStart: true, suite: 'light' },
} satisfies Preset;

/**
 * Single-step AT at a large ε, without BN: where PGD-1 training overfits to its own weak attack (catastrophic
 * overfitting) unless the attacker's gradient is smooth: the paper's regime, at CPU scale. `quick` is this recipe on
 * the embedded glyphs, where ReLU does not collapse but the smooth attacker still trains the more robust model.
 */
const mnistSingleStep = {
  description:
    "MNIST, SmallCNN without BN, ε = 0.3, half an epoch of PGD-1 training: where single-step AT overfits to its own attack unless the attacker's gradient is smooth; PGD-200 on 100 test images, 3 seeds",
  // Measured 2026-12-01 (wasm + onnxruntime, 2 free cores, --workers 2, /usr/bin/time -v): `run fig3` with Table 1
  // finished in the same --out (relu copied), 15 units in 33 min 21 s at 185 % CPU; units' manifests, two at a time:
  // Table 1's 2.5–3 min training + 1.5–1.8 min evaluation, Figure 3's smooth functions 2.6–3.8 + 0.8–1.6 min.
  // With the standard suite (since 2026-12-07): `run table1 --workers 1` on one core (taskset -c 0) of the same
  // machine kind, oneDNN path, 12 units in 57 min 15 s (3253 s CPU; scripts/unit-times.js): 87–113 s training and
  // 51–426 s evaluation each (the smooth-attacker rows' AutoAttack longest), with the code before Square's window
  // scorer.
  expectedWallTime:
    'about 5 min per (run, seed) on one CPU core: Table 1 × 3 seeds in 57 min with --workers 1, Figure 3 × 3 seeds (18 units, relu copied from Table 1) in 47 min with --workers 2 on 2 cores (measured 2026-12-07, standard suite, oneDNN)',
  dataset: { name: 'mnist' },
  // No BN, full width (the W-mnist SmallCNN): the regime where PGD-1 at ε 0.3 collapses on some
  // seeds and a smooth attacker does not (held-out PGD-10 at the end of training, seeds 0 / 1: relu-relu 47.3 /
  // 22.7 %, psoftplus-relu 54.7 / 57.4 %, measured 2026-11-30).
  model: { name: 'smallcnn', width: 1, init: 'heNormal' },
  // The classic MNIST threat model (Madry et al. 2018).
  epsilon: 0.3,
  train: {
    // 235 steps of 128 = 30080 images, about half an epoch: the short budget in which catastrophic overfitting
    // separates the rows; a longer one costs CPU time the 3 seeds need.
    epochs: 1,
    batchSize: 128,
    examples: 30080,
    // Wong et al.'s fast AT: PGD-1 from a random start on every batch, step 1.25ε; ε ramps up linearly over the
    // first half of training so the no-BN net learns clean features before facing the full ball.
    attack: { steps: 1, stepSizeFactor: 1.25, randomStartProbability: 1, epsilonRampEpochs: 0.5, batchNorm: 'running' },
    momentum: 0.9,
    nesterov: false, // plain heavy-ball SGD, as in the fast-AT code
    weightDecay: 5e-4,
    labelSmoothing: 0,
    // One-cycle (Smith 2018; fast AT) peaking at 0.05 at 40 %: the recipe measured on this preset (2026-11-30).
    schedule: { kind: 'oneCycle', learningRate: 0.05, peakFraction: 0.4 },
    // The guard's PGD-10 on 256 held-out images, logged at the end of the single epoch; collapse is the
    // phenomenon measured here, so never stop on it.
    overfitCheckExamples: 256,
    stopOnOverfit: false,
  },
  // PGD-200 with step 2.5ε/200 (Madry et al.'s rule, which the suites use for their own PGD-k): 200 steps travel
  // 2.5ε, enough to cross the ball from any random start, in steps 2× finer than ε/40 (which travels 5ε).
  // 100 images, not RobustBench's 1000: every suite adds a smoothed PGD-200, so at 1000 images evaluation
  // costs ~7× the training (the run's own estimate: ~55 min per (run, seed) on the shared 2-core machine). The
  // binomial std at 100 images (≤ 5 points) is well under the 30–50-point effect and the seed spread; on a
  // free machine raise it with --set eval.examples=1000 --set eval.batchSize=500.
  // 'standard' (AutoAttack's four, then the smoothed-gradient PGD-200 and CW), not 'smoke': measured 2026-12-07 on
  // Table 1 seed 0, the smoke suite's worst case overstated robustness against AutoAttack by 15 points for relu-relu
  // and 19 for psoftplus-relu on these 100 images (PGD-200 48 / 64 %, smoke worst 25 / 61 %, AutoAttack 10 / 42 %:
  // its 10-step APGD-CE breaks what AutoAttack's 100 steps do), far over the 2-point rule (configs/calibration.ts). Nor does 'light' pass here:
  // on the same model and images its worst case was 13 % (gap 3.0: 3 images only APGD-CE-100 breaks). A suite that
  // contains AutoAttack needs no calibration: its worst case is at most AutoAttack's by construction, and the
  // smoothed-gradient check still runs on what AutoAttack leaves standing.
  eval: { examples: 100, batchSize: 100, steps: 200, stepSizeFactor: 2.5 / 200, randomStart: true, suite: 'standard' },
  seeds: [0, 1, 2],
} satisfies Preset;

export const PRESETS = {
  smoke: {
    ...glyphsBase,
    description: 'plumbing check in seconds: small glyphs set, narrow SmallCNN, 2 epochs, PGD-5 on 64 examples',
    expectedWallTime:
      "about 13 s per run: Table 1 in 54 s, Figure 3 in 59 s beside it (2-core CI machine, wasm + onnxruntime; units' manifests, 2026-12-07)",
    dataset: { name: 'glyphs', trainSize: 2048, testSize: 256 },
    model: { ...glyphsBase.model, width: 0.25 }, // a quarter of the channels: each step is several times cheaper
    // ε 0.1: every activation's quarter-width net learns within 2 epochs there (psoftplus measured: 86 % clean,
    // 61 % under PGD-5); at 0.15–0.2 the smooth ones stayed near chance through epoch 1.
    epsilon: 0.1,
    // The guard on 32 examples: it still runs every epoch, at an eighth of the cost.
    train: { ...glyphsBase.train, epochs: 2, overfitCheckExamples: 32 },
    eval: { ...glyphsBase.eval, examples: 64, batchSize: 64, steps: 5, stepSizeFactor: 0.25, suite: 'smoke' }, // step ε/4; numbers are not the point
  },
  quick: {
    ...mnistSingleStep,
    description:
      'the default: the mnist-single-step recipe on embedded glyphs (no download) in batches of 64, half-width SmallCNN without BN, ε = 0.2; PGD-200 and the light suite on 100 test images, 3 seeds',
    // `run table1 --workers auto` (2 workers) under /usr/bin/time -v on a free 2-core AMD EPYC (wasm + onnxruntime,
    // 2026-12-07): 14 min 6 s wall at 193 % CPU; units' manifests (scripts/unit-times.js): 55–92 s training and
    // 46–76 s evaluation each, 27 min 17 s summed. Its CSV was byte-identical to the same 12 units trained on a loaded
    // machine by other processes. `run fig3 --workers auto` into the same --out (relu copied): 25 min 43 s wall at 196 % CPU.
    expectedWallTime:
      'about 2.3 min per (run, seed) on 2 CPU cores: Table 1 × 3 seeds in 14 min 6 s with --workers auto (measured 2026-12-07); Figure 3 beside it in 25 min 43 s',
    // 30080 generated glyphs, so the 470 steps of 64 (below) see distinct images, as the recipe's 235 of 128 do on
    // MNIST (~5 s to draw).
    dataset: { name: 'glyphs', trainSize: 30080, testSize: 1000 },
    // Half width: each step ~3× cheaper than the W-mnist SmallCNN, so Table 1 × 3 seeds fits the default's budget.
    // No BN, as on mnist-single-step: with BN (smallcnn-bn, same recipe, seeds 0/1) relu-relu gave 57/57 % and
    // psoftplus-relu 61/54 %, no attacker effect, as the BN `quick` of before showed none.
    model: { ...mnistSingleStep.model, width: 0.5 },
    // Batches of 64, not the recipe's 128: the same 30080 images in 470 steps, not 235. Without BN, softplus (β = 1)
    // starts as a near-constant function of the image (softplus(0) = log 2, so each layer adds an offset the next
    // one's weights turn into a per-unit constant: at initialisation the logits move 0.08 between images against a
    // 0.69 constant spread) and needs 130–190 steps to leave the loss plateau at log 10. At 128 it never did within
    // 235 steps (training accuracy at chance, recorded training-collapsed), nor with lr 0.02 or a 6× smaller init.
    // Measured 2026-12-07 (wasm + onnxruntime, shared 2-core machine), seeds 0/1/2: softplus trains on every seed
    // (training accuracy 50.6/48.0/54.3 %, PGD-200 58/52/60 %), and Table 1's attacker effect holds: relu-relu
    // 57/57/68 %, psoftplus-relu 66/65/75 % under PGD-200 (+9/+8/+7, paired t-test p 0.005; worst case +12/+12/+9).
    train: { ...mnistSingleStep.train, batchSize: 64 },
    // Glyph strokes have ≥ 0.6 contrast, so glyphs take a smaller ε than MNIST's 0.3 for the same regime. Measured
    // (2026-12-01, this recipe in batches of 128, seeds 0/1/2, PGD-200 on 100 images): at 0.2 relu-relu
    // 48/51/58 %, psoftplus-relu 60/63/68 % (attacker effect +12/+12/+10, paired); at 0.25 25–28 % against 32–33 %
    // (+5 to +8), clean accuracy falling to 92 %; at 0.3 13 % against 19 % (seed 0).
    epsilon: 0.2,
    // The light suite, not the recipe's standard: within 2 points of AutoAttack on both Table 1 rows (seed 0,
    // configs/calibration.ts) at a fraction of the cost: no FAB-T, and Square at 1000 queries, not 5000 (the two
    // took 25 of AutoAttack's 47 min on mnist-single-step, docs/evaluation.md). Against smoke, its longer APGD and Square runs broke 3–5 more points of both rows (relu-relu worst
    // case 36 → 31 %, psoftplus-relu 47 → 44 %, seed 0, the batches-of-128 recipe) for ~25 s more per unit.
    eval: { ...mnistSingleStep.eval, suite: 'light' },
  },
  mnist: {
    ...glyphsBase,
    description:
      'real MNIST (--data-dir / $SAT_BENCH_DATA / cache), half-width SmallCNN with BN, ε = 0.2, 2 epochs, PGD-200 on 1000 test images',
    expectedWallTime:
      'with the light suite it used until 2026-12-07: about 8 min per run on 2 CPU cores (2 runs in 15 min 30 s with --workers 2 and the oneDNN convolutions, 19 min 40 s without, beside niced jobs); the standard suite adds AutoAttack, which took 6.4 and 7.9 min of one core on 200 of the 1000 images (relu-relu, psoftplus-relu): not timed on 1000 yet',
    dataset: { name: 'mnist' },
    // Not the classic 0.3: in a 2-epoch budget PGD-1 at 0.3 overfit to its own attack (measured: 98.8 % clean,
    // 14 % PGD-200 after one epoch), while 0.2 trains robustly (98.6 % clean, 64 % PGD-200 after one epoch on 20k
    // images), leaving room between the rows as the paper's 33–42 % does.
    epsilon: 0.2,
    // 2 epochs keep Table 1 near an hour on 2 cores (training ~6 min and the light suite ~7 min per run).
    train: {
      ...glyphsBase.train,
      epochs: 2,
      batchSize: 128,
      schedule: { kind: 'cosine', learningRate: 0.1, warmupEpochs: 0.25 },
    },
    // 1000 images (RobustBench's count); step ε/40, so 200 steps can cross the ε-ball 5 times. The standard suite
    // (AutoAttack's four first): on Table 1 seed 0 (200 images) the light suite's worst case stood 3.5 (relu-relu)
    // and 5.0 points (psoftplus-relu) above AutoAttack, past the 2-point rule (configs/calibration.ts).
    eval: { examples: 1000, batchSize: 500, steps: 200, stepSizeFactor: 1 / 40, randomStart: true, suite: 'standard' },
  },
  'mnist-single-step': mnistSingleStep,
  cifar10: {
    description:
      'CIFAR-10 with PreAct-ResNet-18, ε = 8/255, fast-AT recipe (PGD-1 with random start, step 1.25ε); GPU-sized',
    // FLOPs: 6 × 1.11 GFLOP per training image × 50k × 30 epochs ≈ 1.0e16; PGD-200 on 1000 images ≈ 6.7e14.
    expectedWallTime:
      'estimate: ~20 min per run at 10 TFLOP/s effective (one data-centre GPU, fp32); days on 2 CPU cores',
    dataset: { name: 'cifar10' },
    model: { name: 'preactresnet18', width: 1, init: 'heNormal' },
    epsilon: 8 / 255,
    train: {
      epochs: 30,
      batchSize: 128,
      examples: 0,
      // Wong et al. 2020: PGD-1 from a random start with step 1.25ε avoids catastrophic overfitting at 8/255.
      attack: { steps: 1, stepSizeFactor: 1.25, randomStartProbability: 1, epsilonRampEpochs: 0, batchNorm: 'running' },
      momentum: 0.9,
      nesterov: false,
      weightDecay: 5e-4,
      labelSmoothing: 0,
      schedule: { kind: 'oneCycle', learningRate: 0.2, peakFraction: 0.4 },
      // Single-step AT at 8/255 is where catastrophic overfitting happens (Wong et al. 2020): stop at the best epoch.
      overfitCheckExamples: 256,
      stopOnOverfit: true,
    },
    // RobustBench's protocol: the first 1000 test images; PGD-200 with step 2/255 (ε/4) from a random start.
    eval: { examples: 1000, batchSize: 250, steps: 200, stepSizeFactor: 0.25, randomStart: true, suite: 'standard' },
  },
  imagenet: {
    description:
      "the paper's setting: ImageNet, ResNet-50, ε = 4/255 (the official code's defaults; the paper's own pipeline differed slightly)",
    // FLOPs: 6 × 8.2 GFLOP per image × 1.28M × 100 epochs ≈ 6.3e18; PGD-200 on 50k val images ≈ 2.5e17.
    expectedWallTime: 'estimate: ~7.5 GPU-days per run at 10 TFLOP/s effective; shard runs across machines (--shard)',
    dataset: { name: 'imagenet', imageSize: 224 },
    model: { name: 'resnet50', width: 1, init: 'heNormalFanOut' }, // the official code's fan-out variance scaling
    epsilon: 4 / 255,
    train: {
      epochs: 100,
      batchSize: 256,
      examples: 0,
      // Official code: PGD-1, step 4/255 (= ε), random start on 80 % of batches, BN in inference mode while crafting.
      attack: { steps: 1, stepSizeFactor: 1, randomStartProbability: 0.8, epsilonRampEpochs: 0, batchNorm: 'running' },
      momentum: 0.9,
      nesterov: true,
      weightDecay: 1e-4,
      labelSmoothing: 0.1,
      // LR 0.1 × batch/256, ÷10 at epochs 30/60/90; warm-up only when the LR exceeds 0.1 (larger batches).
      schedule: { kind: 'step', learningRate: 0.1, milestones: [30, 60, 90], factor: 0.1, warmupEpochs: 0 },
      overfitCheckExamples: 256, // logged each epoch; the paper's 4/255 recipe is not known to collapse
      stopOnOverfit: false,
    },
    // PGD-200 with step 1/255 (ε/4), as the official code.
    eval: { examples: 50000, batchSize: 100, steps: 200, stepSizeFactor: 0.25, randomStart: true, suite: 'standard' },
  },
} satisfies Record<string, Preset>;
