/** The node lifecycle is one Durable Object; this is how the API reaches it. */
export async function wakeNodeLifecycle(env: Env): Promise<void> {
  await env.NODE_LIFECYCLE.getByName("node-lifecycle").wake();
}
