// Every A64 encoding this front-end knows, in decode order (earlier rows win where patterns
// overlap). Each class file holds its rows, lifters and objdump spellings together.
import { ATOMIC } from './atomic.js';
import { BRANCH } from './branch.js';
import { CRC } from './crc.js';
import { CRYPTO } from './crypto.js';
import { CRYPTO_SHA3 } from './crypto-sha3.js';
import { DP_IMM } from './dp-imm.js';
import { DP_REG } from './dp-reg.js';
import { FLAGM } from './flagm.js';
import { FP } from './fp.js';
import { FP_JSCVT } from './fp-jscvt.js';
import type { InsnDef } from './insn.js';
import { LDST } from './ldst.js';
import { SIMD_ARITH } from './simd-arith.js';
import { SIMD_INDEX } from './simd-index.js';
import { SIMD_DOT } from './simd-dot.js';
import { SIMD_LDST } from './simd-ldst.js';
import { SIMD_PERM } from './simd-perm.js';
import { SIMD_SHIFT } from './simd-shift.js';
import { SYSTEM } from './system.js';

export const TABLE: readonly InsnDef[] = [
  ...SYSTEM, ...FLAGM, ...BRANCH, ...DP_IMM, ...DP_REG, ...CRC, ...ATOMIC, ...SIMD_LDST, ...LDST, ...FP_JSCVT, ...FP, ...CRYPTO, ...CRYPTO_SHA3, ...SIMD_DOT, ...SIMD_PERM, ...SIMD_ARITH, ...SIMD_SHIFT, ...SIMD_INDEX,
];
