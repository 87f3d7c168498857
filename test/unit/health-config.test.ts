import { describe, expect, it } from 'vitest';
import { readHealthGateConfig } from '../../src/core/health-gate/config.js';
import { checkJson, parseJsonExpectations } from '../../src/core/health-gate/json-expect.js';
import { parseStatusSpec } from '../../src/core/health-gate/status-spec.js';
import { minMax, percentile } from '../../src/core/health-gate/stats.js';
import { mapInputs } from '../helpers/inputs.js';

describe('expected-status', () => {
  it('matches codes, ranges and classes', () => {
    const { match } = parseStatusSpec('200-299, 301,4xx');
    expect([200, 250, 299, 301, 404, 499].every(match)).toBe(true);
    expect([300, 302, 500, 199].some(match)).toBe(false);
  });
  it.each(['', 'ok', '200-', '299-200', '600', '2x'])('rejects %j', (spec) => {
    expect(() => parseStatusSpec(spec)).toThrow();
  });
});

describe('expect-json', () => {
  const body = JSON.stringify({ status: 'ok', checks: { db: true, n: 3 }, tags: ['a', 'b'], version: '1.2.3' });
  it('holds when every line holds', () => {
    const e = parseJsonExpectations([
      'status == ok',
      'checks.db == true',
      'checks.n >= 3',
      'tags contains a',
      'version exists',
      'missing != 1',
    ]);
    expect(checkJson(body, e)).toBeUndefined();
  });
  it('names the first line that fails and what was there', () => {
    expect(checkJson(body, parseJsonExpectations(['checks.db == false']))).toBe(
      'expected checks.db == false, got true',
    );
    expect(checkJson(body, parseJsonExpectations(['nope exists']))).toBe('expected nope exists, got missing');
    expect(checkJson('<html>', parseJsonExpectations(['a == 1']))).toBe('body is not JSON');
  });
  it('rejects malformed lines', () => {
    expect(() => parseJsonExpectations(['just words'])).toThrow(/is not `path == value`/);
    expect(() => parseJsonExpectations(['a > big'])).toThrow(/needs a number/);
  });
});

describe('health-gate inputs', () => {
  const bad: Array<[Record<string, string>, RegExp]> = [
    [{}, /input `url`: is required/],
    [{ url: 'not a url' }, /input `url`: "not a url" is not a URL/],
    [{ url: 'ftp://x/' }, /input `url`: "ftp:\/\/x\/" must start with http/],
    [{ url: 'http://x/', 'expected-status': 'garbage' }, /input `expected-status`: "garbage" is not a status code/],
    [{ url: 'http://x/', period: '-1s' }, /input `period`: "-1s" is negative/],
    [{ url: 'http://x/', timeout: 'forever' }, /input `timeout`: "forever" is not a duration/],
    [{ url: 'http://x/', 'success-threshold': '0' }, /input `success-threshold`: 0 is below the minimum 1/],
    [{ url: 'http://x/', 'expect-body-regex': '(' }, /input `expect-body-regex`/],
    [{ url: 'http://x/', 'expect-json': 'status is ok' }, /input `expect-json`/],
    [{ url: 'http://x/', 'load-concurrency': '10' }, /input `load-concurrency`: needs load-duration or load-requests/],
    [
      { url: 'http://x/', 'load-concurrency': '10000', 'load-requests': '5' },
      /input `load-concurrency`: 10000 is above the maximum 500/,
    ],
    [
      { url: 'http://x/', 'load-concurrency': '1', 'load-requests': '5', 'max-error-rate': 'lots' },
      /input `max-error-rate`/,
    ],
    [{ url: 'http://x/', 'fail-on-unhealthy': 'perhaps' }, /input `fail-on-unhealthy`/],
  ];
  it.each(bad)('%j fails naming the input', (values, msg) => {
    expect(() => readHealthGateConfig(mapInputs(values))).toThrow(msg);
  });

  it('defaults follow the documented probe semantics', () => {
    const c = readHealthGateConfig(mapInputs({ url: 'https://a/healthz, https://b/health' }));
    expect(c.urls).toEqual(['https://a/healthz', 'https://b/health']);
    expect(c.timing).toEqual({
      initialDelayMs: 0,
      periodMs: 5000,
      timeoutMs: 10000,
      successThreshold: 1,
      failureThreshold: 3,
      deadlineMs: 300000,
    });
    expect(c.maxRedirects).toBe(5);
    expect(c.failOnUnhealthy).toBe(true);
    expect(c.load).toBeUndefined();
  });
});

describe('minMax', () => {
  it('the range of a list longer than the call stack can spread (a 30 min gate at 10 ms is 180,000 attempts)', () => {
    const many = Array.from({ length: 500_000 }, (_, i) => (i * 7919) % 500_000);
    expect(() => Math.max(...many)).toThrow(RangeError); // what the gate summary did before
    expect(minMax(many)).toEqual({ min: 0, max: 499_999 });
    expect(minMax([3, -1, 2])).toEqual({ min: -1, max: 3 });
    expect(minMax([])).toEqual({ min: 0, max: 0 });
  });
});

describe('percentile', () => {
  it('is nearest-rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 95)).toBe(0);
  });
});
