/**
 * @module
 * Puts an agent together from its configuration: the state dir, the secrets dir (tmpfs), the
 * ConfigMaps and Secrets, the volumes, the runtimes (process, docker, podman) behind one runtime
 * set, the static pod directory and the HTTP client. `main.ts` runs what this returns; tests
 * assemble the same thing with faster timings.
 *
 * @example
 * const { agent } = assembleAgent(config, { log });
 * await agent.start();
 */
import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";
import { join, resolve } from "node:path";
import type { NodeReport } from "../src/protocol/agent.ts";
import { Agent, type AgentOptions } from "./agent.ts";
import type { AgentConfig, RuntimeName } from "./cli/flags.ts";
import type { Logger } from "./log.ts";
import { readNodeFacts } from "./node/node-facts.ts";
import { buildNodeReport, goArch, goOs } from "./node/node-report.ts";
import { deferralCondition, readDeferral } from "./defer/deferral.ts";
import { ContainerRuntime, type ContainerRuntimeOptions } from "./runtime/container/container-runtime.ts";
import { rootCertificates } from "node:tls";
import { kubeletLogRotation } from "./logs/container-log.ts";
import { serveLogs } from "./sessions/log-session.ts";
import { serveAttachSessions, serveExecSessions, servePortForwardSessions } from "./sessions/stream-sessions.ts";
import { SessionClient } from "./sessions/session-client.ts";
import { ProcessRuntime, type ProcessRuntimeOptions } from "./runtime/process/process-runtime.ts";
import type { RuntimeHelper } from "./runtime/runtime.ts";
import { RuntimeSet } from "./runtime/runtime-set.ts";
import { ConfigStore } from "./state/config-store.ts";
import { StateStore } from "./state/state-store.ts";
import { StaticPodSource } from "./static/static-pod-source.ts";
import { type ControlPlane, ControlPlaneClient } from "./sync/control-plane-client.ts";
import { agentVersion } from "./version.ts";
import { chooseSecretsDir, ensurePrivateDir, removeSecretsDirIfEmpty } from "./volumes/secrets-dir.ts";
import { VolumeManager } from "./volumes/volume-manager.ts";
import { Stager } from "./prestage/stager.ts";
import { localOffsetMinutes, windowDeferral } from "./defer/maintenance-window.ts";

export interface AssembleOptions {
  log: Logger;
  /** Extra certificates to trust for the server (PEM). */
  ca?: string;
  /** Tests: where Secrets go instead of a tmpfs. */
  secretsDir?: string;
  /** Tests: a stand-in for the HTTP client, or the node report. */
  client?: ControlPlane;
  readNodeReport?: () => NodeReport;
  process?: Partial<ProcessRuntimeOptions>;
  engines?: Partial<Record<"docker" | "podman", Partial<ContainerRuntimeOptions>>>;
  staticPodIntervalMs?: number;
  agent?: Pick<AgentOptions, "random" | "syncBackoff" | "syncIntervalBounds" | "debounceMs">;
}

export interface AssembledAgent {
  agent: Agent;
  runtimes: RuntimeSet;
  processRuntime: ProcessRuntime;
  engines: ContainerRuntime[];
  configStore: ConfigStore;
  secretsDir: string;
  staticPods?: StaticPodSource;
}

export function assembleAgent(config: AgentConfig, options: AssembleOptions): AssembledAgent {
  const { log } = options;
  const store = new StateStore(config.stateDir);
  store.ensure();
  const stateDir = realpathSync(resolve(config.stateDir));
  let secretsDir = options.secretsDir;
  if (!secretsDir) {
    const chosen = chooseSecretsDir(stateDir, process.env);
    if (!chosen.tmpfs) log(`no tmpfs to keep Secrets in memory; they are kept in ${chosen.dir} (0700) while pods need them`);
    secretsDir = chosen.dir;
  }
  ensurePrivateDir(secretsDir);
  const volumes = new VolumeManager({ stateDir, secretsDir });
  const configStore = new ConfigStore({ secretsFile: join(secretsDir, "secrets.json") });

  let runtimes: RuntimeSet | undefined;
  let engines: ContainerRuntime[] = [];
  // Rebuilt for every sync: the runtimes it lists can change (a daemon that starts after the agent).
  const readNodeReport =
    options.readNodeReport ??
    ((): NodeReport => {
      const report = buildNodeReport(readNodeFacts(config.nodeName, runtimes?.availableNames() ?? ["process"]));
      const engine = engines.find((e) => e.name === config.runtime);
      if (engine?.version && report.nodeInfo) report.nodeInfo.containerRuntimeVersion = engine.version;
      const now = Date.now();
      // An explicit deferral wins; outside its maintenance window the device defers until it opens.
      const deferral = readDeferral(stateDir, now) ?? (config.maintenanceWindow ? windowDeferral(config.maintenanceWindow, now, localOffsetMinutes(now)) : undefined);
      if (deferral) report.conditions = [deferralCondition(deferral)];
      return report;
    });
  const helper: RuntimeHelper = {
    config: configStore,
    volumes,
    podFacts: () => {
      const report = readNodeReport();
      return { nodeName: config.nodeName, hostIP: report.addresses?.find((a) => a.type === "InternalIP")?.address, nodeAllocatable: report.allocatable };
    },
  };
  // Containers carry this id: several agents (one per state dir) may share an engine.
  const agentId = createHash("sha256").update(stateDir).digest("hex").slice(0, 12);
  // `--runtimes` leaves the others out entirely: their pods wait with RuntimeNotAvailable, and no engine CLI runs for them.
  const allowed = (name: RuntimeName) => config.runtimes?.includes(name) ?? true;
  engines = (["docker", "podman"] as const).filter(allowed).map((engine) => new ContainerRuntime({ engine, agentId, helper, secretsDir, log, ...options.engines?.[engine] }));
  const processRuntime = new ProcessRuntime({
    rootDir: store.podsDir,
    log,
    helper,
    logRotation: { maxBytes: config.containerLogMaxBytes ?? kubeletLogRotation.maxBytes, maxFiles: config.containerLogMaxFiles ?? kubeletLogRotation.maxFiles },
    ...options.process,
  });
  runtimes = new RuntimeSet([...(allowed("process") ? [processRuntime] : []), ...engines], config.runtime);

  const userAgent = `edgeset-agent/${agentVersion} (${goOs(process.platform)}/${goArch(process.arch)}) node/${process.version}`;
  const client = options.client ?? new ControlPlaneClient({ server: config.server, ca: options.ca, userAgent });
  const sessions = new SessionClient({ server: config.server, ca: options.ca ? [...rootCertificates, options.ca] : undefined, handlers: { log: serveLogs(runtimes, config.nodeName), exec: serveExecSessions(runtimes, config.nodeName), attach: serveAttachSessions(runtimes, config.nodeName), portforward: servePortForwardSessions(runtimes, config.nodeName) }, log, userAgent, doorbell: config.sessionDoorbell });
  let agent: Agent | undefined;
  const staticPods = config.podManifestDir
    ? new StaticPodSource({ dir: config.podManifestDir, nodeName: config.nodeName, log, onChange: () => agent?.staticPodsChanged(), intervalMs: options.staticPodIntervalMs })
    : undefined;
  const scratch = secretsDir;
  const stager = new Stager({ runtime: runtimes, volumes, config: configStore, podFacts: helper.podFacts, log });
  agent = new Agent({
    config,
    runtime: runtimes,
    store,
    client,
    log,
    readNodeReport,
    configStore,
    volumes,
    staticPods,
    sessions,
    stager,
    onStopped: () => removeSecretsDirIfEmpty(scratch),
    ...options.agent,
  });
  return { agent, runtimes, processRuntime, engines, configStore, secretsDir, staticPods };
}
