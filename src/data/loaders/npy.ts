/** NumPy `.npy` arrays by npy.ts, as tidy tables; binary, so never inline text. */
import { NpyError, parseNpy } from '../npy.js';
import { dataMessage } from '../messages.js';
import { type BytesLoader, DataLoadError } from './loader.js';

export const npyLoader: BytesLoader = {
  extensions: ['npy'],
  reads: 'bytes',
  readText(_text, { where }) {
    throw new DataLoadError(dataMessage.npyNotAFile(where));
  },
  readFile(bytes, { where }) {
    try {
      return parseNpy(bytes);
    } catch (e) {
      if (!(e instanceof NpyError)) throw e; // a fault here, not the file's
      throw new DataLoadError(dataMessage.notReadableNpy(where, e.message));
    }
  },
};
