/**
 * @module
 * Keys given twice in one JSON object (`{"metadata":{"name":"a","name":"b"}}`). `JSON.parse` keeps
 * the last silently; the apiserver's strict decoder (sigs.k8s.io/json `UnmarshalStrict`) reports
 * each as `duplicate field "<path>"`, a strict decoding error like an unknown field: a warning
 * under `fieldValidation=Warn` (the last value is kept there too), a 400 under `Strict`.
 * A linear scan of the raw text, without recursion; at most 100 are reported, as the decoder
 * keeps at most 100 strict errors.
 *
 * @example
 * duplicateKeysInText('{"metadata":{"name":"a","name":"b"}}') // ["metadata.name"]
 */

const maxReported = 100;
const maxKeyShown = 64;

interface Frame {
  /** The keys seen so far (objects) or undefined (arrays). */
  keys?: Set<string>;
  /** The current key (objects) or index (arrays). */
  at: string | number;
}

const pathOf = (frames: readonly Frame[]): string => {
  let path = "";
  for (const f of frames) path += typeof f.at === "number" ? `[${f.at}]` : path ? `.${f.at}` : f.at;
  return path;
};

/** The paths of the keys repeated within one object of the JSON `text` (text that JSON.parse accepts). */
export function duplicateKeysInText(text: string): string[] {
  const found: string[] = [];
  const frames: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length && found.length < maxReported; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c /* \ */) {
          escaped = true;
          i++;
        }
      }
      if (!expectKey) continue;
      expectKey = false;
      const frame = frames[frames.length - 1]!;
      const raw = text.slice(start, i + 1);
      const key = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      frame.at = key.slice(0, maxKeyShown);
      if (frame.keys!.has(key)) found.push(pathOf(frames));
      else frame.keys!.add(key);
    } else if (ch === 0x7b /* { */) {
      frames.push({ keys: new Set(), at: "" });
      expectKey = true;
    } else if (ch === 0x5b /* [ */) {
      frames.push({ at: 0 });
      expectKey = false;
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      frames.pop();
      expectKey = false;
    } else if (ch === 0x2c /* , */ && frames.length > 0) {
      const top = frames[frames.length - 1]!;
      if (typeof top.at === "number") top.at += 1;
      else expectKey = true;
    }
  }
  return [...new Set(found)];
}
