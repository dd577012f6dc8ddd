// What the registry, the CLI and ELF checks need to know about the AArch64 front-end without
// loading it (the front-end's code is loaded only for a program that runs on it).
import type { ArchInfo } from '../arch-info.js';

export const aarch64Info: ArchInfo = {
  name: 'aarch64',
  elfMachine: 183, // EM_AARCH64
  elfClass: 64,
  endian: 'le',
  cpus: [
    { name: 'cortex-a57', description: 'ARMv8.0-A with the LSE atomics and RCpc loads crossrun adds (what crossrun implements)' },
    { name: 'max', description: 'same as cortex-a57' },
    { name: 'any', description: 'same as cortex-a57' },
  ],
  unameMachine: 'aarch64',
};
