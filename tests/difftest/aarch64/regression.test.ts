// The committed A64 difftest corpus: batches of random sequences with qemu-aarch64's recorded
// output (fixtures/aarch64/difftest, re-recorded by
// `node scripts/difftest.mjs --isa aarch64 --record fixtures/aarch64/difftest`). crossrun must
// reproduce every x register, sp, NZCV, FPCR, FPSR, vector register and scratch-memory word.
import { regressionSuite } from '../regression.js';
import { aarch64 } from './isa.js';

regressionSuite(aarch64);
