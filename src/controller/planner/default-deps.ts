/**
 * @module
 * The real placement (src/scheduling) as the planner's default dependency. Kept apart so the
 * rest of the planner can be loaded and tested with a fake placement.
 *
 * @example
 * syncDaemonSet(input, defaultPlannerDeps);
 */

import { addDaemonPodTolerations, nodeShouldRunDaemonPod, podFitsNode } from "../../scheduling/index.ts";
import type { PlannerDeps } from "./types.ts";

export const defaultPlannerDeps: PlannerDeps = { nodeShouldRunDaemonPod, addDaemonPodTolerations, podFitsNode };
