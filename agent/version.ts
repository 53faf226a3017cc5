/**
 * @module
 * The agent's own version, reported as `nodeInfo.kubeletVersion` (`edgeset-agent/<version>`) and
 * in the User-Agent header.
 *
 * @example
 * `edgeset-agent/${agentVersion}` // "edgeset-agent/0.1.0"
 */
export const agentVersion = "0.1.0";
