// spdy-transport ships no types; this is the one file of it the agent uses (agent/sessions/spdy-frames.ts).
declare module "spdy-transport/lib/spdy-transport/protocol/spdy/dictionary.js" {
  /** The SPDY header compression dictionaries by protocol version (2, 3). */
  const dictionaries: Record<number, Buffer>;
  export default dictionaries;
}
