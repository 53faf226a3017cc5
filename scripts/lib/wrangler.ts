/** The project's wrangler, run with the Node that runs us (22, from the `node` devDependency). */
import { fileURLToPath } from "node:url";

export const wranglerBin = fileURLToPath(new URL("../../node_modules/wrangler/bin/wrangler.js", import.meta.url));
