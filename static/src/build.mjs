// Bundles static/src into static/dist (not committed; `make assets` runs this). Two entry points:
// site.js, on every page and tiny, and editor.js, which site.js imports only when a learner opens
// an editor. Code splitting puts what they share, and the lazily loaded lint support, into chunks.
// Django's manifest storage then gives every file, chunks included, a content-hashed name.
import { rmSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const src = fileURLToPath(new URL(".", import.meta.url));
const outdir = fileURLToPath(new URL("../dist", import.meta.url));

rmSync(outdir, { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: { site: `${src}/site.js`, editor: `${src}/editor.js` },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  target: ["es2020"],
  minify: true,
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
  logLevel: "warning",
});
for (const file of Object.keys(result.metafile.outputs).sort()) {
  console.log(`${file}  ${statSync(file).size} bytes`);
}
