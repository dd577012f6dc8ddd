// yargs-parser's "browser" entry exports the same parser as the package's main entry.
declare module 'yargs-parser/browser' {
  import Parser from 'yargs-parser';
  export default Parser;
}
