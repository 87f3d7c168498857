/**
 * Expressions (`${{ … }}`, `if:`) evaluated with GitHub's own engine (@actions/expressions); the workflow
 * parser (@actions/workflow-parser) has already turned every `a ${{ x }} b` string into a
 * BasicExpressionToken holding `format('a {0} b', x)`. This module only adds what the engine leaves to
 * the runner: the contexts, the status functions and the conversion of token trees into plain values.
 */
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import {
  isBasicExpression,
  isBoolean,
  isLiteral,
  isMapping,
  isNumber,
  isSequence,
  isString,
} from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

export type Plain = string | number | boolean | null | Plain[] | { [k: string]: Plain };

/** Contexts by name (github, env, vars, secrets, inputs, needs, steps, job, jobs, runner, matrix, strategy). */
export type Contexts = Record<string, Plain>;

/** What the status functions answer: the job's (or the run's) state when the expression is evaluated. */
export interface Status {
  /** Something before this point failed (a step of this job, or a job this one needs, transitively). */
  failed: boolean;
  /** The run was cancelled (Ctrl-C, a timeout of the job, a newer run with cancel-in-progress). */
  cancelled: boolean;
  /** What success() answers when it is not simply "nothing failed" (a job whose need was skipped). */
  success?: boolean;
}

export function toData(v: Plain | undefined): data.ExpressionData {
  if (v === undefined || v === null) return new data.Null();
  if (typeof v === 'string') return new data.StringData(v);
  if (typeof v === 'number') return new data.NumberData(v);
  if (typeof v === 'boolean') return new data.BooleanData(v);
  if (Array.isArray(v)) return new data.Array(...v.map(toData));
  return new data.Dictionary(...Object.entries(v).map(([key, value]) => ({ key, value: toData(value) })));
}

export function fromData(d: data.ExpressionData): Plain {
  switch (d.kind) {
    case data.Kind.Null:
      return null;
    case data.Kind.String:
      return (d as data.StringData).value;
    case data.Kind.Number:
      return (d as data.NumberData).value;
    case data.Kind.Boolean:
      return (d as data.BooleanData).value;
    case data.Kind.Array:
      return (d as data.Array).values().map(fromData);
    case data.Kind.Dictionary: {
      const out: Record<string, Plain> = {};
      for (const p of (d as data.Dictionary).pairs()) out[p.key] = fromData(p.value);
      return out;
    }
    default:
      return null;
  }
}

/** How GitHub turns a value into the string a step sees (booleans `true`/`false`, objects as JSON). */
export function toStringValue(v: Plain): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v, null, 2);
}

function statusFunctions(status: Status): Map<string, FunctionDefinition> {
  const fn = (name: string, value: () => boolean): [string, FunctionDefinition] => [
    name,
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value()) },
  ];
  return new Map([
    fn('success', () => status.success ?? (!status.failed && !status.cancelled)),
    fn('failure', () => status.failed && !status.cancelled),
    fn('cancelled', () => status.cancelled),
    fn('always', () => true),
    [
      'hashfiles',
      {
        name: 'hashFiles',
        minArgs: 1,
        maxArgs: 255,
        call: () => {
          throw new Error('hashFiles() is not supported by the local runner (it has no cache to key)');
        },
      },
    ],
  ]);
}

/** Evaluates one expression (no `${{ }}`) against the contexts. Unknown contexts are parse errors. */
export function evaluate(expression: string, contexts: Contexts, status: Status = NO_FAILURE): Plain {
  const functions = statusFunctions(status);
  const tokens = new Lexer(expression).lex().tokens;
  const names = Object.keys(contexts);
  const infos = [...functions.values()].map(({ name, minArgs, maxArgs }) => ({ name, minArgs, maxArgs }));
  let tree;
  try {
    tree = new Parser(tokens, names, infos).parse();
  } catch (e) {
    throw new Error(`expression "${expression}": ${(e as Error).message}`);
  }
  const ctx = new data.Dictionary(...names.map((key) => ({ key, value: toData(contexts[key]) })));
  return fromData(new Evaluator(tree, ctx, functions).evaluate());
}

export const NO_FAILURE: Status = { failed: false, cancelled: false };

export function truthy(v: Plain): boolean {
  if (v === null || v === false || v === '' || v === 0) return false;
  if (typeof v === 'number' && Number.isNaN(v)) return false;
  return true;
}

/** Evaluates a token tree from the parser into a plain value (mappings → objects, expressions evaluated). */
export function evaluateToken(token: TemplateToken | undefined, contexts: Contexts, status = NO_FAILURE): Plain {
  if (token === undefined) return null;
  if (isBasicExpression(token)) return evaluate(token.expression, contexts, status);
  if (isString(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isLiteral(token)) return null; // null token
  if (isSequence(token)) {
    const out: Plain[] = [];
    for (const item of token) out.push(evaluateToken(item, contexts, status));
    return out;
  }
  if (isMapping(token)) {
    const out: Record<string, Plain> = {};
    for (const pair of token) {
      out[toStringValue(evaluateToken(pair.key, contexts, status))] = evaluateToken(pair.value, contexts, status);
    }
    return out;
  }
  throw new Error(`cannot evaluate a ${token.typeName()} here (line ${token.line ?? '?'})`);
}

/** A mapping of strings (env:, with:, outputs:) evaluated; values turned into the strings a step sees. */
export function evaluateStringMap(token: TemplateToken | undefined, contexts: Contexts): Record<string, string> {
  const v = evaluateToken(token, contexts);
  if (v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v))
    throw new Error(`expected a mapping, got ${JSON.stringify(v)} (line ${token?.line ?? '?'})`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) out[k] = toStringValue(val);
  return out;
}

/** Evaluates `${{ … }}` inside a plain string (action.yml defaults, which the workflow parser never sees). */
export function interpolate(text: string, contexts: Contexts): string {
  let out = '';
  let rest = text;
  for (let guard = 0; guard < 1000; guard++) {
    const start = rest.indexOf('${{');
    if (start < 0) return out + rest;
    const end = rest.indexOf('}}', start + 3);
    if (end < 0) throw new Error(`unterminated expression in "${text}"`);
    out += rest.slice(0, start) + toStringValue(evaluate(rest.slice(start + 3, end).trim(), contexts));
    rest = rest.slice(end + 2);
  }
  throw new Error(`too many expressions in "${text}"`);
}
