import assert from 'node:assert/strict';
import test from 'node:test';
import { DATASET_LOADERS, loadDataset, type FolderDatasetName } from '../../src/data/registry';
import { UserError } from '../../src/util/errors';
import { errorCode, tempDir } from './helpers/data-files';

for (const name of Object.keys(DATASET_LOADERS) as FolderDatasetName[]) {
  test(`${name}: an empty folder is a UserError naming what is missing, not a crash`, async (t) => {
    const dir = tempDir(t);
    await assert.rejects(
      loadDataset(name, dir),
      (error) => error instanceof UserError && /^data-(missing-file|empty)$/.test(error.code),
    );
  });
}

test('an unknown dataset name is a UserError suggesting the closest one', async (t) => {
  const dir = tempDir(t);
  await assert.rejects(
    loadDataset('minst' as FolderDatasetName, dir),
    errorCode('unknown-dataset', /unknown dataset "minst"/),
  );
});
