/** The dashboard's bundle (dashboard/main.ts → public/dashboard.js), which the Worker serves beside public/index.html. */
import { build } from "esbuild";

export const buildDashboard = () =>
  build({ entryPoints: ["dashboard/main.ts"], outfile: "public/dashboard.js", bundle: true, platform: "browser", target: "es2022", format: "esm", minify: true, logLevel: "warning", legalComments: "none" });
