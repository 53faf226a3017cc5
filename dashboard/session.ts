/**
 * @module
 * Who is signed in: the token lives in sessionStorage (gone when the tab closes), checked with a
 * SelfSubjectReview; what they may do is asked with SelfSubjectAccessReviews, the same rules every
 * request is held to, so hiding an action never replaces the server's refusal.
 */
import { ApiFailure, createApi, type Api } from "./api.ts";

const key = "edgeset.token";

export interface Session {
  api: Api;
  user: string;
  groups: string[];
  /** Whether the caller may `verb` the resource (cached for the session). */
  can(verb: string, group: string, resource: string, namespace?: string): Promise<boolean>;
}

interface Review {
  status: { userInfo: { username: string; groups?: string[] } };
}

export async function signIn(token: string): Promise<Session> {
  const api = createApi(token);
  const review = await api.send<Review>("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" }));
  sessionStorage.setItem(key, token);
  const answers = new Map<string, Promise<boolean>>();
  const can: Session["can"] = (verb, group, resource, namespace = "") => {
    const id = [verb, group, resource, namespace].join("/");
    let answer = answers.get(id);
    if (!answer) {
      answer = api
        .send<{ status: { allowed: boolean } }>("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", JSON.stringify({ spec: { resourceAttributes: { verb, group, resource, namespace } } }))
        .then((r) => r.status.allowed === true, () => false);
      answers.set(id, answer);
    }
    return answer;
  };
  return { api, user: review.status.userInfo.username, groups: review.status.userInfo.groups ?? [], can };
}

/** The session of this tab, if its token still works. */
export async function resume(): Promise<Session | undefined> {
  const token = sessionStorage.getItem(key);
  if (!token) return undefined;
  try {
    return await signIn(token);
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401) sessionStorage.removeItem(key);
    return undefined;
  }
}

export function signOut(): void {
  sessionStorage.removeItem(key);
}
