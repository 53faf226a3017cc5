/** Sign-in: an admin or API token (`npx edgeset token create`), kept for this tab only. */
import { h } from "../dom.ts";
import { signIn, type Session } from "../session.ts";
import { errorLine } from "./view.ts";

export function signInView(onSignedIn: (session: Session) => void): HTMLElement {
  const error = errorLine();
  const input = h("input", { id: "token", name: "token", type: "password", autocomplete: "current-password", required: true, spellcheck: "false" });
  const button = h("button", { type: "submit" }, "Sign in");
  const form = h(
    "form",
    {
      class: "signin",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        button.disabled = true;
        try {
          onSignedIn(await signIn(input.value.trim()));
        } catch (e) {
          error.show(e);
          input.focus();
        } finally {
          button.disabled = false;
        }
      },
    },
    h("h1", null, "Sign in to edgeset"),
    h("label", { for: "token" }, "API token"),
    input,
    h("p", { class: "note" }, "The admin token, or an API token with the viewer or operator role. It is kept in this tab only and sent in the Authorization header."),
    error.element,
    button,
  );
  queueMicrotask(() => input.focus());
  return form;
}
