/**
 * A short-lived thread that runs the precompiled validator on one spec (workerData) and
 * posts whether it is valid: null when there is no precompiled validator. Its heap, with
 * the validator's ~40 MiB, goes when it exits, so a render does not carry it at its peak.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { precompiledValidator } from './precompiled.js';

const isValid = precompiledValidator();
parentPort!.postMessage(isValid ? isValid((workerData as { spec: unknown }).spec) : null);
