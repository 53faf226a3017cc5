/**
 * @module
 * The core/v1 pod defaults both sides apply: the Worker when it defaults a pod spec, the agent for
 * pods it was given without them (static pods from its manifest directory, records saved before).
 *
 * @example
 * const grace = pod.spec.terminationGracePeriodSeconds ?? defaultTerminationGracePeriodSeconds; // 30
 */

/** DefaultTerminationGracePeriodSeconds (core/v1 `SetDefaults_PodSpec`). */
export const defaultTerminationGracePeriodSeconds = 30;
