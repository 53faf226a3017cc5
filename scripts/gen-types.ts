/**
 * `npm run gen:types`: writes src/resources/k8s-types.ts from the schema data
 * (src/resources/schema). The unit test `src/resources/k8s-types.test.ts` fails when it is stale.
 */
import { writeFileSync } from "node:fs";
import { k8sTypesFile, renderK8sTypes } from "../src/resources/schema/k8s-types-file.ts";

writeFileSync(k8sTypesFile, renderK8sTypes());
console.log(`wrote ${k8sTypesFile}`);
