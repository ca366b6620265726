// Tree-sitter queries are bundled as text by esbuild's text loader.
declare module '*.scm' {
  const source: string;
  export default source;
}

/** Set by scripts/build.mjs in test bundles: the checkout, and where the bundles were built. */
declare const __REPO_ROOT__: string;
declare const __DIST_DIR__: string;
