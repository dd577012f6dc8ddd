// The whole A64 opcode table: importing this module declares every opcode (ops-*.ts) and gives
// the encoder's API.
import './ops-int.js';
import './ops-mem.js';
import './ops-fp.js';
import './ops-simd.js';

export { OPCODES, asmText, encode, fieldViews, sampleArgs, toBytes, type Args, type Insn, type MemInfo, type OpDef } from './encode.js';
