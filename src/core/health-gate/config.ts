import { InputError, type Inputs } from '../../lib/inputs.js';
import type { Expectations } from './expectations.js';
import type { GateTiming } from './gate.js';
import { parseJsonExpectations } from './json-expect.js';
import type { LoadPlan } from './load.js';
import { parseStatusSpec } from './status-spec.js';

export interface HealthGateConfig {
  urls: string[];
  method: string;
  headers: Record<string, string>;
  expectations: Expectations;
  timing: GateTiming;
  maxRedirects: number;
  insecureTls: boolean;
  failOnUnhealthy: boolean;
  load?: LoadPlan & { maxP95Ms?: number; maxErrorRate: number };
}

/** Hard caps on the smoke load so a typo cannot turn a gate into a denial of service. */
export const LOAD_LIMITS = { concurrency: 500, requests: 100_000, durationMs: 10 * 60_000 };

function wrap<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(name, (e as Error).message);
  }
}

export function readHealthGateConfig(inputs: Inputs): HealthGateConfig {
  const urls = inputs.list('url');
  if (urls.length === 0) throw new InputError('url', 'is required (one or more http(s) URLs)');
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new InputError('url', `"${u}" is not a URL; write it in full, e.g. https://example.com/healthz`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new InputError('url', `"${u}" must start with http:// or https://`);
    }
  }
  const method = inputs.string('method', 'GET').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new InputError('method', `"${method}" is not an HTTP method`);
  const status = wrap('expected-status', () => parseStatusSpec(inputs.string('expected-status', '200-399')));
  const regexText = inputs.raw('expect-body-regex');
  const bodyRegex = regexText ? wrap('expect-body-regex', () => new RegExp(regexText, 'm')) : undefined;
  const json = wrap('expect-json', () => parseJsonExpectations(inputs.lines('expect-json')));
  const maxLatency = inputs.raw('max-latency') ? inputs.duration('max-latency', '0') : undefined;
  const minTls = inputs.raw('min-tls-days') ? inputs.number('min-tls-days', 0, { min: 0 }) : undefined;

  const timing: GateTiming = {
    initialDelayMs: inputs.duration('initial-delay', '0'),
    periodMs: inputs.duration('period', '5s', { min: 10 }),
    timeoutMs: inputs.duration('timeout', '10s', { min: 1 }),
    successThreshold: inputs.integer('success-threshold', 1, { min: 1, max: 1000 }),
    failureThreshold: inputs.integer('failure-threshold', 3, { min: 1, max: 1000 }),
    deadlineMs: inputs.duration('deadline', '5m', { min: 1 }),
  };

  const follow = inputs.raw('follow-redirects').toLowerCase();
  let maxRedirects = 5;
  if (follow === 'false' || follow === 'no') maxRedirects = 0;
  else if (follow === '' || follow === 'true' || follow === 'yes') maxRedirects = 5;
  else maxRedirects = inputs.integer('follow-redirects', 5, { min: 0, max: 20 });

  let load: HealthGateConfig['load'];
  const concurrency = inputs.integer('load-concurrency', 0, { min: 0, max: LOAD_LIMITS.concurrency });
  if (concurrency > 0) {
    const hasDuration = !!inputs.raw('load-duration');
    const hasRequests = !!inputs.raw('load-requests');
    if (!hasDuration && !hasRequests) {
      throw new InputError('load-concurrency', 'needs load-duration or load-requests to bound the smoke load');
    }
    const durationMs = hasDuration ? inputs.duration('load-duration', '0', { min: 1 }) : LOAD_LIMITS.durationMs;
    if (durationMs > LOAD_LIMITS.durationMs)
      throw new InputError('load-duration', `at most ${LOAD_LIMITS.durationMs / 60000} minutes`);
    const maxRequests = hasRequests
      ? inputs.integer('load-requests', 0, { min: 1, max: LOAD_LIMITS.requests })
      : LOAD_LIMITS.requests;
    load = {
      concurrency,
      durationMs,
      maxRequests,
      maxP95Ms: inputs.raw('max-p95') ? inputs.duration('max-p95', '0') : undefined,
      maxErrorRate: parseRate(inputs.string('max-error-rate', '1%')),
    };
  }

  return {
    urls,
    method,
    headers: inputs.headers('headers'),
    expectations: {
      status,
      bodyRegex,
      json,
      version: inputs.raw('expect-version') || undefined,
      versionHeader: inputs.raw('version-header') || undefined,
      maxLatencyMs: maxLatency,
      minTlsDays: minTls,
    },
    timing,
    maxRedirects,
    insecureTls: inputs.boolean('insecure-tls', false),
    failOnUnhealthy: inputs.boolean('fail-on-unhealthy', true),
    load,
  };

  function parseRate(text: string): number {
    const m = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(text.trim());
    if (!m) throw new InputError('max-error-rate', `"${text}" is not a rate; use 1% or 0.01`);
    const v = m[2] ? Number(m[1]) / 100 : Number(m[1]);
    if (v < 0 || v > 1) throw new InputError('max-error-rate', `"${text}" must be between 0 and 100%`);
    return v;
  }
}
