// ELF and auxiliary-vector numbers (System V gABI, Linux include/uapi/linux/elf.h and auxvec.h).

export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const; // "\x7fELF"
export const EI_NIDENT = 16;

export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;

/** e_type values, with the words used in error messages. */
export const ET = { NONE: 0, REL: 1, EXEC: 2, DYN: 3, CORE: 4 } as const;
export const ET_NAMES: Record<number, string> = {
  0: 'ET_NONE (no file type)',
  1: 'ET_REL (a relocatable object file, not linked)',
  2: 'ET_EXEC',
  3: 'ET_DYN',
  4: 'ET_CORE (a core dump)',
};

/** Sizes that depend on the class: ELF header, one program header. */
export const EHDR_SIZE = { 32: 52, 64: 64 } as const;
export const PHDR_SIZE = { 32: 32, 64: 56 } as const;
/** e_phnum value meaning "the real count is in section 0" (extended numbering; not for executables). */
export const PN_XNUM = 0xffff;
/** Linux refuses program header tables larger than this (ELF_MIN_ALIGN-independent, 64 KiB). */
export const MAX_PHDRS_BYTES = 65536;

export const PT = {
  NULL: 0, LOAD: 1, DYNAMIC: 2, INTERP: 3, NOTE: 4, SHLIB: 5, PHDR: 6, TLS: 7,
  GNU_EH_FRAME: 0x6474e550, GNU_STACK: 0x6474e551, GNU_RELRO: 0x6474e552, GNU_PROPERTY: 0x6474e553,
} as const;

/** p_flags bits. PROT_* has the opposite order (R=1, W=2, X=4). */
export const PF = { X: 1, W: 2, R: 4 } as const;

/** Longest PT_INTERP path Linux accepts (PATH_MAX). */
export const INTERP_MAX = 4096;

/** Auxiliary vector entry types (a_type). */
export const AT = {
  NULL: 0, IGNORE: 1, EXECFD: 2, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9,
  NOTELF: 10, UID: 11, EUID: 12, GID: 13, EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17,
  SECURE: 23, BASE_PLATFORM: 24, RANDOM: 25, HWCAP2: 26, EXECFN: 31, SYSINFO_EHDR: 33,
  MINSIGSTKSZ: 51,
} as const;

/** Names for logs and /proc/self/auxv dumps (LD_SHOW_AUXV spelling). */
export const AT_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(AT).map(([name, value]) => [value, `AT_${name}`]),
);

/** sysconf(_SC_CLK_TCK) on Linux: USER_HZ. */
export const CLOCK_TICKS = 100;
