// eslint-plugin-security ships no types; the comparison only reads its rule names.
declare module 'eslint-plugin-security' {
  import type { ESLint } from 'eslint';

  const plugin: ESLint.Plugin;
  export default plugin;
}
