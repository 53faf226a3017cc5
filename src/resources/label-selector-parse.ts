/**
 * @module
 * The label selector string grammar, a port of apimachinery's lexer and recursive-descent
 * parser (`labels.Parse`), error messages included, so a bad `?labelSelector=` is rejected
 * with the words a Kubernetes apiserver uses.
 *
 * @example
 * parseLabelSelector("env notin (dev,test),gpu")  // requirements: env notin [dev,test]; gpu exists
 * parseLabelSelector("a in (b")                     // throws SelectorError("unable to parse requirement: found '', expected: ',' or ')'")
 */

import { isQualifiedName } from "../protocol/names.ts";
import { SelectorError, newRequirement, selectorOf, type Operator, type Requirement, type Selector } from "./label-selector.ts";

type Token = "error" | "eos" | ")" | "," | "!" | "==" | "=" | ">" | "id" | "in" | "<" | "!=" | "notin" | "(";
interface Item {
  tok: Token;
  lit: string;
}

const literalTokens: Record<string, Token> = {
  ")": ")",
  ",": ",",
  "!": "!",
  "==": "==",
  "=": "=",
  ">": ">",
  in: "in",
  "<": "<",
  "!=": "!=",
  notin: "notin",
  "(": "(",
};
const tokenOf = (s: string): Token | undefined => (Object.hasOwn(literalTokens, s) ? literalTokens[s] : undefined);

const isWhitespace = (ch: string): boolean => ch === " " || ch === "\t" || ch === "\r" || ch === "\n";
const isSpecialSymbol = (ch: string): boolean => "=!(),><".includes(ch);

/** Lexer.Lex over the whole input. */
function scan(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) {
      items.push({ tok: "eos", lit: "" });
      return items;
    }
    let buffer = "";
    if (isSpecialSymbol(s[pos])) {
      // Longest run of special symbols that is still a known operator ("!=", "==").
      let last: Item | undefined;
      while (pos < s.length && isSpecialSymbol(s[pos])) {
        buffer += s[pos];
        const tok = tokenOf(buffer);
        if (tok) last = { tok, lit: buffer };
        else if (last) break;
        pos++;
      }
      items.push(last ?? { tok: "error", lit: `error expected: keyword found '${buffer}'` });
    } else {
      while (pos < s.length && !isSpecialSymbol(s[pos]) && !isWhitespace(s[pos])) buffer += s[pos++];
      items.push({ tok: tokenOf(buffer) ?? "id", lit: buffer });
    }
  }
}

class Parser {
  private position = 0;
  private readonly items: Item[];

  constructor(input: string) {
    this.items = scan(input);
  }

  /** In value context the keywords `in`/`notin` are plain identifiers (`x in (in)`). */
  private lookahead(values = true): Item {
    const item = this.items[this.position];
    return values && (item.tok === "in" || item.tok === "notin") ? { tok: "id", lit: item.lit } : item;
  }

  private consume(values = true): Item {
    const item = this.lookahead(values);
    this.position++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead();
      if (tok === "eos") return requirements;
      if (tok !== "id" && tok !== "!") throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        requirements.push(this.parseRequirement());
      } catch (e) {
        throw new SelectorError(`unable to parse requirement: ${(e as Error).message}`);
      }
      const next = this.consume();
      if (next.tok === "eos") return requirements;
      if (next.tok !== ",") throw new SelectorError(`found '${next.lit}', expected: ',' or 'end of string'`);
      const after = this.lookahead();
      if (after.tok !== "id" && after.tok !== "!") throw new SelectorError(`found '${after.lit}', expected: identifier after ','`);
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === "exists" || operator === "!") return newRequirement(key, operator, []);
    const op = this.parseOperator();
    const values = op === "in" || op === "notin" ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort());
  }

  private parseKeyAndInferOperator(): { key: string; operator: Operator | undefined } {
    let operator: Operator | undefined;
    let item = this.consume();
    if (item.tok === "!") {
      operator = "!";
      item = this.consume();
    }
    if (item.tok !== "id") throw new SelectorError(`found '${item.lit}', expected: identifier`);
    const errs = isQualifiedName(item.lit);
    // The parser validates keys against a nil field path, which Go prints as "<nil>".
    if (errs.length) throw new SelectorError(`<nil>: Invalid value: ${JSON.stringify(item.lit)}: ${errs.join("; ")}`);
    const next = this.lookahead().tok;
    if ((next === "eos" || next === ",") && operator !== "!") operator = "exists";
    return { key: item.lit, operator };
  }

  private parseOperator(): Operator {
    const { tok, lit } = this.consume(false);
    const ops: Partial<Record<Token, Operator>> = { in: "in", "=": "=", "==": "==", ">": "gt", "<": "lt", notin: "notin", "!=": "!=" };
    const op = ops[tok];
    if (!op) throw new SelectorError(`found '${lit}', expected: in, notin, =, ==, !=, gt, lt`);
    return op;
  }

  /** `(a,b)`; empty members are the empty string: `()` and `(a,)` both contain "". */
  private parseValues(): Set<string> {
    const open = this.consume();
    if (open.tok !== "(") throw new SelectorError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead();
    if (tok === ")") {
      this.consume();
      return new Set([""]);
    }
    if (tok !== "id" && tok !== ",") throw new SelectorError(`found '${lit}', expected: ',', ')' or identifier`);
    const set = this.parseIdentifiersList();
    if (this.consume().tok !== ")") throw new SelectorError(`found '${lit}', expected: ')'`);
    return set;
  }

  private parseIdentifiersList(): Set<string> {
    const set = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume();
      if (tok === "id") {
        set.add(lit);
        const next = this.lookahead();
        if (next.tok === ",") continue;
        if (next.tok === ")") return set;
        throw new SelectorError(`found '${next.lit}', expected: ',' or ')'`);
      }
      if (tok !== ",") throw new SelectorError(`found '${lit}', expected: ',', or identifier`);
      if (set.size === 0) set.add("");
      const next = this.lookahead().tok;
      if (next === ")") {
        set.add("");
        return set;
      }
      if (next === ",") set.add("");
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead().tok;
    if (next === "eos" || next === ",") return new Set([""]);
    const { tok, lit } = this.consume();
    if (tok === "id") return new Set([lit]);
    throw new SelectorError(`found '${lit}', expected: identifier`);
  }
}

/**
 * labels.Parse. `""` (or only whitespace) selects everything; a bad string throws SelectorError.
 * Requirements come back sorted by key; set values sorted and deduplicated.
 */
export function parseLabelSelector(text: string): Selector {
  return selectorOf(new Parser(text).parse());
}
