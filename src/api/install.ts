/**
 * @module
 * `GET /install.sh`: the device installer, rendered with the control plane's own address (the
 * request's origin) so one command enrolls a device; and `GET /edgeset-agent.js`, the agent
 * bundle it downloads (the Worker's static asset). No authentication for either: neither holds
 * a secret; the bootstrap token comes from whoever runs the script.
 *
 * The script installs Node.js 22 from nodejs.org when the device has no Node.js 20 or newer,
 * puts the agent in /opt/edgeset, its settings in /etc/edgeset/agent.env (0600) and a systemd
 * unit `edgeset-agent.service` with `KillMode=process` (workloads outlive agent restarts), then
 * starts it. Run again, it upgrades the agent in place and keeps the settings.
 *
 * @example
 * curl -fsSL https://edgeset.example.com/install.sh -o install.sh
 * sudo EDGESET_BOOTSTRAP_TOKEN=abc.def sh install.sh --labels site=shop-12,hw=pi4
 */
import { Hono } from "hono";
import type { AppEnv } from "./context.ts";

/** POSIX sh single quotes around any text. */
const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export function renderInstallScript(server: string): string {
  return `#!/bin/sh
# edgeset agent installer for Linux devices with systemd, served by ${server}
#
#   curl -fsSL ${server}/install.sh -o install.sh
#   sudo EDGESET_BOOTSTRAP_TOKEN=<token> sh install.sh [--labels k=v,...] [--node-name NAME]
#        [--runtime process|docker|podman] [--pod-manifest-dir DIR] [--sync-interval SECONDS]
#
# Environment: EDGESET_BOOTSTRAP_TOKEN (first install), EDGESET_CA_FILE (a PEM file to trust for
# a server with a private certificate), EDGESET_NODE_DIST (a Node.js download mirror).
# Run it again to upgrade the agent: the settings are kept and the workloads keep running.
set -eu

SERVER=${shellQuote(server)}
PREFIX="\${EDGESET_PREFIX:-}"
OPT="$PREFIX/opt/edgeset"
ETC="$PREFIX/etc/edgeset"
STATE="$PREFIX/var/lib/edgeset"
UNIT="$PREFIX/etc/systemd/system/edgeset-agent.service"
NODE_DIST="\${EDGESET_NODE_DIST:-https://nodejs.org/dist/latest-v22.x}"
SYSTEMCTL="\${EDGESET_SYSTEMCTL:-systemctl}"

say() { printf 'edgeset: %s\\n' "$*"; }
die() { printf 'edgeset: %s\\n' "$*" >&2; exit 1; }
need() { [ "$2" -ge 2 ] || die "$1 needs a value"; }

[ "$(id -u)" = 0 ] || [ -n "$PREFIX" ] || die "run it as root: sudo sh install.sh ..."

labels= node_name= runtime= manifests= interval=
while [ $# -gt 0 ]; do
  case "$1" in
    --labels) need "$1" $#; labels=$2; shift 2 ;;
    --labels=*) labels=\${1#*=}; shift ;;
    --node-name) need "$1" $#; node_name=$2; shift 2 ;;
    --node-name=*) node_name=\${1#*=}; shift ;;
    --runtime) need "$1" $#; runtime=$2; shift 2 ;;
    --runtime=*) runtime=\${1#*=}; shift ;;
    --pod-manifest-dir) need "$1" $#; manifests=$2; shift 2 ;;
    --pod-manifest-dir=*) manifests=\${1#*=}; shift ;;
    --sync-interval) need "$1" $#; interval=$2; shift 2 ;;
    --sync-interval=*) interval=\${1#*=}; shift ;;
    *) die "unknown option $1 (see the comment at the top of this script)" ;;
  esac
done

# fetch URL FILE [CA]: curl or wget, failing on HTTP errors.
fetch() {
  if command -v curl >/dev/null 2>&1; then
    if [ -n "\${3:-}" ]; then curl -fsSL --cacert "$3" -o "$2" "$1"; else curl -fsSL -o "$2" "$1"; fi
  elif command -v wget >/dev/null 2>&1; then
    if [ -n "\${3:-}" ]; then wget -q --ca-certificate="$3" -O "$2" "$1"; else wget -q -O "$2" "$1"; fi
  else
    die "neither curl nor wget is installed"
  fi
}

node_ok() { [ -x "$1" ] && "$1" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' >/dev/null 2>&1; }

install_node() {
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    armv7l | armv8l) arch=armv7l ;;
    *) die "no Node.js 20+ here and nodejs.org has no build for $(uname -m): install Node.js 20 or newer, then run this again" ;;
  esac
  tmp=$(mktemp -d)
  say "installing Node.js for linux-$arch from $NODE_DIST into $OPT/node"
  fetch "$NODE_DIST/SHASUMS256.txt" "$tmp/SHASUMS256.txt"
  file=$(grep -o "node-v[0-9.]*-linux-$arch\\.tar\\.gz" "$tmp/SHASUMS256.txt" | head -n 1)
  [ -n "$file" ] || die "no linux-$arch build listed in $NODE_DIST/SHASUMS256.txt"
  fetch "$NODE_DIST/$file" "$tmp/$file"
  (cd "$tmp" && grep " $file\\$" SHASUMS256.txt | sha256sum -c - >/dev/null) || die "checksum mismatch for $file"
  rm -rf "$OPT/node.new" && mkdir -p "$OPT/node.new"
  tar -xzf "$tmp/$file" -C "$OPT/node.new" --strip-components=1
  rm -rf "$OPT/node" && mv "$OPT/node.new" "$OPT/node"
  rm -rf "$tmp"
}

mkdir -p "$OPT" "$ETC" "$STATE" "$(dirname "$UNIT")"
chmod 700 "$ETC" "$STATE"

NODE=
for candidate in "$OPT/node/bin/node" "$(command -v node 2>/dev/null || true)" /usr/bin/node /usr/local/bin/node; do
  if [ -n "$candidate" ] && node_ok "$candidate"; then NODE=$candidate; break; fi
done
if [ -z "$NODE" ]; then
  install_node
  NODE="$OPT/node/bin/node"
  node_ok "$NODE" || die "the Node.js just installed does not run here"
fi
say "using Node.js $("$NODE" --version) at $NODE"

CA=
if [ -n "\${EDGESET_CA_FILE:-}" ]; then
  [ -r "$EDGESET_CA_FILE" ] || die "cannot read EDGESET_CA_FILE=$EDGESET_CA_FILE"
  [ "$EDGESET_CA_FILE" = "$ETC/ca.pem" ] || cp "$EDGESET_CA_FILE" "$ETC/ca.pem"
  CA="$ETC/ca.pem"
elif [ -r "$ETC/ca.pem" ]; then
  CA="$ETC/ca.pem"
fi

# Saved as .cjs: the bundle is CommonJS (lighter on the device than an ES module), whatever the
# package.json files above /opt say. Installs before it saved an ES module bundle as .mjs.
say "downloading the agent from $SERVER"
fetch "$SERVER/edgeset-agent.js" "$OPT/edgeset-agent.new.cjs" "$CA"
"$NODE" "$OPT/edgeset-agent.new.cjs" --help >/dev/null 2>&1 || die "the downloaded agent does not run (is $SERVER an edgeset control plane?)"
mv "$OPT/edgeset-agent.new.cjs" "$OPT/edgeset-agent.cjs"
rm -f "$OPT/edgeset-agent.mjs"

# Settings: what this run was given, else what the last install wrote.
previous() { [ -r "$ETC/agent.env" ] && sed -n "s/^$1=//p" "$ETC/agent.env" | tail -n 1 || true; }
setting() { if [ -n "$2" ]; then printf '%s=%s\\n' "$1" "$2"; else old=$(previous "$1"); [ -z "$old" ] || printf '%s=%s\\n' "$1" "$old"; fi; }
umask 077
{
  printf 'EDGESET_SERVER=%s\\n' "$SERVER"
  printf 'EDGESET_STATE_DIR=%s\\n' "$STATE"
  setting EDGESET_BOOTSTRAP_TOKEN "\${EDGESET_BOOTSTRAP_TOKEN:-}"
  setting EDGESET_CA_FILE "$CA"
  setting EDGESET_LABELS "$labels"
  setting EDGESET_NODE_NAME "$node_name"
  setting EDGESET_RUNTIME "$runtime"
  setting EDGESET_POD_MANIFEST_DIR "$manifests"
  setting EDGESET_SYNC_INTERVAL "$interval"
} >"$ETC/agent.env.new"
mv "$ETC/agent.env.new" "$ETC/agent.env"
grep -q '^EDGESET_BOOTSTRAP_TOKEN=' "$ETC/agent.env" || [ -r "$STATE/credential.json" ] ||
  say "warning: no EDGESET_BOOTSTRAP_TOKEN and not enrolled yet: the agent cannot join until you run this again with a token"
umask 022

cat >"$UNIT" <<UNIT
[Unit]
Description=edgeset device agent
Documentation=$SERVER/
Wants=network-online.target
After=network-online.target docker.service podman.service

[Service]
EnvironmentFile=$ETC/agent.env
ExecStart=$NODE $OPT/edgeset-agent.cjs
Restart=always
RestartSec=5
# Workloads run in their own process groups and outlive the agent (upgrades, restarts).
KillMode=process

[Install]
WantedBy=multi-user.target
UNIT

if command -v "$SYSTEMCTL" >/dev/null 2>&1 && { [ -d /run/systemd/system ] || [ -n "\${EDGESET_SYSTEMCTL:-}" ]; }; then
  "$SYSTEMCTL" daemon-reload
  "$SYSTEMCTL" enable edgeset-agent.service >/dev/null 2>&1 || "$SYSTEMCTL" enable edgeset-agent.service
  "$SYSTEMCTL" restart edgeset-agent.service
  say "edgeset-agent is running; follow it with: journalctl -u edgeset-agent -f"
else
  say "no systemd here: start the agent with the variables of $ETC/agent.env and: $NODE $OPT/edgeset-agent.cjs"
fi
`;
}

export const installRoutes = new Hono<AppEnv>()
  .get("/install.sh", (c) =>
    c.body(renderInstallScript(new URL(c.req.url).origin), 200, {
      "Content-Type": "text/x-shellscript; charset=utf-8",
      "Cache-Control": "no-store",
    }),
  )
  // Served ahead of the API's authentication: devices fetch it before they have any credential.
  .get("/edgeset-agent.js", (c) => (c.env.ASSETS ? c.env.ASSETS.fetch(c.req.raw) : c.text("the agent bundle is not deployed (npm run build)", 404)));
