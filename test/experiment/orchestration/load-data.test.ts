import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PRESETS } from '../../../configs/presets';
import { datasetSizeWarnings, loadPresetDataset } from '../../../src/experiment/orchestration/load-data';

test('asking for more evaluation examples than the test split has is a warning with both numbers', async () => {
  const preset = { ...PRESETS.smoke, eval: { ...PRESETS.smoke.eval, examples: 999999 } };
  const dataset = await loadPresetDataset(preset.dataset, {}); // smoke: 256 glyph test images
  assert.deepEqual(datasetSizeWarnings(preset, dataset).length, 1);
  assert.match(
    datasetSizeWarnings(preset, dataset)[0],
    /eval\.examples is 999999, but glyphs's test split has 256 examples/,
  );
  assert.deepEqual(datasetSizeWarnings(PRESETS.smoke, dataset), []);
});
