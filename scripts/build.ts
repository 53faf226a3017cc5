/**
 * `npm run build`: the device agent and the CLI as single files that need no node_modules at run
 * time and run on Node.js 20 or newer. The agent bundle is CommonJS and minified
 * (`dist/edgeset-agent.cjs`): a device runs it for months, and an ES module entry costs it about
 * 1 MiB of RSS more (Node's ES module loader, its wrappers of each built-in), the whitespace and
 * long names another 0.4 MiB (docs/agent.md, "Memory"). It is also copied into public/, where the
 * Worker serves it to devices (`/edgeset-agent.js`). `dashboard` bundles the web dashboard
 * (dashboard/main.ts) into public/dashboard.js, which the Worker serves beside public/index.html.
 */
import { copyFileSync } from "node:fs";
import { build } from "esbuild";
import { buildDashboard } from "./lib/dashboard-bundle.ts";

// Bundled CommonJS dependencies (yaml) call require() for Node built-ins; give ESM one.
const banner = `#!/usr/bin/env node
import { createRequire as __edgesetCreateRequire } from "node:module";
const require = __edgesetCreateRequire(import.meta.url);`;

const targets = process.argv.slice(2);
const all = targets.length === 0;

const bundle = (entry: string, outfile: string) =>
  build({ entryPoints: [entry], outfile, bundle: true, platform: "node", target: "node20", format: "esm", banner: { js: banner }, logLevel: "warning", legalComments: "none" });

if (all || targets.includes("agent")) {
  const agent = await build({ entryPoints: ["agent/main.ts"], outfile: "dist/edgeset-agent.cjs", bundle: true, platform: "node", target: "node20", format: "cjs", minify: true, banner: { js: "#!/usr/bin/env node" }, logLevel: "warning", legalComments: "none" });
  // A warning here is a bug on every device (an `import.meta` that is empty in CommonJS, a
  // require esbuild could not bundle): the build fails rather than ship it.
  if (agent.warnings.length > 0) throw new Error(`the agent bundle built with ${agent.warnings.length} warning(s), printed above; fix them`);
  copyFileSync("dist/edgeset-agent.cjs", "public/edgeset-agent.js");
}
if (all || targets.includes("cli")) await bundle("bin/edgeset.ts", "dist/edgeset.js");
if (all || targets.includes("dashboard")) await buildDashboard();
