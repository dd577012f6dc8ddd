// target.xml from an ISA's ArchGdb: one document with every feature inline (no xi:include, so
// gdb fetches it in one qXfer exchange). Registers carry explicit regnums: gdb's p/P packets and
// the g packet's order use them.
import type { ArchGdb, GdbType } from '../arch/arch.js';

const attr = (s: string | number): string =>
  String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function typeXml(t: GdbType): string {
  switch (t.kind) {
    case 'vector':
      return `<vector id="${attr(t.id)}" type="${attr(t.type)}" count="${t.count}"/>`;
    case 'union':
      return `<union id="${attr(t.id)}">${t.fields.map(([n, ty]) => `<field name="${attr(n)}" type="${attr(ty)}"/>`).join('')}</union>`;
    case 'flags':
      return `<flags id="${attr(t.id)}" size="${t.size}">${t.fields
        .map(([n, s, e]) => `<field name="${attr(n)}" start="${s}" end="${e}"/>`)
        .join('')}</flags>`;
  }
}

export function targetXml(gdb: ArchGdb, osabi = 'GNU/Linux'): string {
  const parts = ['<?xml version="1.0"?>', '<!DOCTYPE target SYSTEM "gdb-target.dtd">', '<target version="1.0">'];
  parts.push(`<architecture>${gdb.architecture}</architecture>`, `<osabi>${osabi}</osabi>`);
  let regnum = 0;
  for (const f of gdb.features) {
    parts.push(`<feature name="${attr(f.name)}">`);
    for (const t of f.types ?? []) parts.push(typeXml(t));
    for (const r of f.regs) {
      const group = r.group ? ` group="${attr(r.group)}"` : '';
      parts.push(`<reg name="${attr(r.name)}" bitsize="${r.bitsize}" type="${attr(r.type ?? 'int')}" regnum="${regnum++}"${group}/>`);
    }
    parts.push('</feature>');
  }
  parts.push('</target>');
  return parts.join('\n') + '\n';
}
