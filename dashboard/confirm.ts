/**
 * @module
 * The confirmation every admin action asks for: a modal `<dialog>` (focus stays inside, Escape
 * cancels), with Cancel focused first so Enter alone never confirms.
 */
import { h } from "./dom.ts";

export function confirmAction(title: string, message: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const cancel = h("button", { type: "button", class: "secondary" }, "Cancel");
    const confirm = h("button", { type: "button", class: "danger" }, confirmLabel);
    const dialog = h("dialog", { class: "confirm", "aria-labelledby": "confirm-title" }, h("h2", { id: "confirm-title" }, title), h("p", null, message), h("div", { class: "actions" }, cancel, confirm));
    const close = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancel.addEventListener("click", () => close(false));
    confirm.addEventListener("click", () => close(true));
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
