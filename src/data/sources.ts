/**
 * Where `data fetch` downloads from, and the checksums it and `data verify` hold files to. MD5 because that is what
 * the datasets' authors published; it guards against damage in transit, not against tampering.
 */

export interface SourceFile {
  name: string;
  md5: string;
}

export interface DatasetSource {
  baseUrl: string;
  files: readonly SourceFile[];
  /** For archives: the folder inside the tar whose contents become the dataset folder. */
  tarFolder?: string;
  /** What to do by hand when there is no network. */
  manualSteps: string;
}

export const DATASET_SOURCES = {
  mnist: {
    // yann.lecun.com now refuses most downloads; this mirror (used by torchvision) serves the original files.
    baseUrl: 'https://ossci-datasets.s3.amazonaws.com/mnist/',
    files: [
      { name: 'train-images-idx3-ubyte.gz', md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873' },
      { name: 'train-labels-idx1-ubyte.gz', md5: 'd53e105ee54ea40749a09fcbcd1e9432' },
      { name: 't10k-images-idx3-ubyte.gz', md5: '9fb629c4189551a2d022fa330f9573f3' },
      { name: 't10k-labels-idx1-ubyte.gz', md5: 'ec29112dd5afa0611ce80d1b7f02629c' },
    ],
    manualSteps: 'place the four .gz files, unchanged,',
  },
  cifar10: {
    baseUrl: 'https://www.cs.toronto.edu/~kriz/',
    files: [{ name: 'cifar-10-binary.tar.gz', md5: 'c32a1d4ab5d03f1284b67883e8d87530' }],
    tarFolder: 'cifar-10-batches-bin',
    manualSteps: 'unpack it and place the contents of cifar-10-batches-bin/',
  },
} satisfies Record<string, DatasetSource>;

export type FetchableDataset = keyof typeof DATASET_SOURCES;

/** MD5s of the unpacked MNIST files (from the data README), so a raw copy can be verified too. */
export const MNIST_RAW_MD5: Readonly<Record<string, string>> = {
  'train-images-idx3-ubyte': '6bbc9ace898e44ae57da46a324031adb',
  'train-labels-idx1-ubyte': 'a25bea736e30d166cdddb491f175f624',
  't10k-images-idx3-ubyte': '2646ac647ad5339dbf082846283269ea',
  't10k-labels-idx1-ubyte': '27ae3e4e09519cfbb04c329615203637',
};
