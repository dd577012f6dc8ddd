// Used by bench/run.mjs where /usr/bin/time is missing: runs a Node script (bin/crossrun.js) in
// this process and, as the process exits, writes its peak resident set size in KiB to a file.
//   node bench/rss-wrapper.mjs <rss-file> <script> [args...]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [rssFile, script, ...rest] = process.argv.slice(2);
if (!rssFile || !script) {
  process.stderr.write('usage: node bench/rss-wrapper.mjs <rss-file> <script> [args...]\n');
  process.exit(2);
}
// resourceUsage().maxRSS is in kilobytes, like /usr/bin/time's %M.
process.on('exit', () => writeFileSync(rssFile, `${process.resourceUsage().maxRSS}\n`));
// The script sees the command line it would have had if run directly.
process.argv = [process.argv[0], path.resolve(script), ...rest];
await import(pathToFileURL(path.resolve(script)).href);
