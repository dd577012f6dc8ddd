// The committed RV64GC difftest corpus: batches of random sequences with qemu-riscv64's recorded
// output (fixtures/riscv64/difftest, re-recorded by `node scripts/difftest.mjs --record …`).
// crossrun must reproduce every register, fcsr and scratch-memory word of every sequence.
import { regressionSuite } from '../regression.js';
import { riscv64 } from './isa.js';

regressionSuite(riscv64);
