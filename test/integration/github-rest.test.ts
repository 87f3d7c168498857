/**
 * The shared GitHub REST client (src/lib/github/rest.ts) through the two APIs that use it, against local
 * stand-ins (GitHub cannot run here): the Issues stand-in checks every request and response against GitHub's
 * published OpenAPI description; the Deployments stand-in speaks the documented shapes. Each failure case
 * asserts what the API holds afterwards (no duplicate issue, no deployment), not only the error.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssue, listIssues } from '../../src/core/monitor/issues.js';
import { createDeployment, findSuccessfulDeployment } from '../../src/lib/github/deployments.js';
import { GitHubApiError, type GitHubApi } from '../../src/lib/github/rest.js';
import { startIssuesStandIn, type IssuesStandIn } from '../fixtures/github-issues.js';
import { startGitHubStandIn, type GitHubStandIn } from '../fixtures/github-deployments.js';

let issues: IssuesStandIn;
let deployments: GitHubStandIn;
const api = (s: { apiUrl: string; repository: string; token: string }, token = s.token): GitHubApi => ({
  apiUrl: s.apiUrl,
  repository: s.repository,
  token,
});

beforeAll(async () => {
  [issues, deployments] = await Promise.all([startIssuesStandIn(), startGitHubStandIn()]);
});

afterAll(async () => {
  await Promise.all([issues?.close(), deployments?.close()]);
});

describe('GitHub REST client', () => {
  it('a read that meets two 502s is retried and returns what the API holds', async () => {
    issues.seed('web is down', ['incident']);
    const before = issues.requests.length;
    issues.failNext(2, 502);
    const got = await listIssues(api(issues), ['incident'], 'all');
    expect(got.map((i) => i.title)).toEqual(['web is down']);
    expect(issues.requests.slice(before).map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
    expect(issues.schemaErrors).toEqual([]);
  });

  it('a read that keeps failing stops after 3 attempts with the status in the message', async () => {
    const before = issues.requests.length;
    issues.failNext(5, 503);
    await expect(listIssues(api(issues), ['incident'], 'open')).rejects.toThrow(
      /^GitHub API GET \/issues: 503 Server Error$/,
    );
    expect(issues.requests.length - before).toBe(3);
    issues.failNext(0, 200);
  });

  it('a POST that meets a 502 is not sent again (it may have acted): no second issue', async () => {
    const before = { requests: issues.requests.length, issues: issues.issues.length };
    issues.failNext(1, 502);
    await expect(createIssue(api(issues), 'db is down', 'body', ['incident'])).rejects.toMatchObject({
      status: 502,
    });
    expect(issues.requests.length - before.requests).toBe(1);
    expect(issues.issues).toHaveLength(before.issues);
  });

  it('a POST refused with 429 is retried (GitHub did not act) and creates exactly one issue', async () => {
    const before = issues.issues.length;
    issues.failNext(1, 429);
    const made = await createIssue(api(issues), 'cache is down', 'body', ['incident']);
    expect(issues.issues).toHaveLength(before + 1);
    expect(issues.issues.at(-1)!.number).toBe(made.number);
  });

  it('a bad token is not retried; the message names `github-token` and the API holds no new issue', async () => {
    const before = { requests: issues.requests.length, issues: issues.issues.length };
    const err = await createIssue(api(issues, 'ghs_wrong'), 't', 'b', ['incident']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect((err as Error).message).toBe(
      'GitHub API POST /issues: 401 Bad credentials (`github-token` is not valid (expired, revoked, or not a token))',
    );
    expect(issues.requests.length - before.requests).toBe(1);
    expect(issues.issues).toHaveLength(before.issues);
  });

  it('each API names its own permission on 403', async () => {
    issues.failNext(1, 403);
    await expect(createIssue(api(issues), 't', 'b', ['incident'])).rejects.toThrow(
      '(give the job `permissions: issues: write` and check `repository`)',
    );
    const wrongRepo = { ...api(deployments), repository: 'acme/other' };
    const before = deployments.deployments.length;
    await expect(
      createDeployment(wrongRepo, { ref: 'abc', environment: 'production', payload: {}, description: 'd' }),
    ).rejects.toThrow('GitHub API POST /deployments: 404 Not Found (give the job `permissions: deployments: write`');
    expect(deployments.deployments).toHaveLength(before);
  });

  it('an API that does not answer names GITHUB_API_URL; a POST tries once', async () => {
    // A port that was free a moment ago: connections are refused.
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise((r) => srv.close(r));
    const gone: GitHubApi = { apiUrl: `http://127.0.0.1:${port}`, repository: 'acme/app', token: 't' };
    const err = await createDeployment(gone, { ref: 'a', environment: 'e', payload: {}, description: 'd' }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ status: 0 });
    expect((err as Error).message).toBe(
      `GitHub API POST /deployments: ECONNREFUSED (is GITHUB_API_URL http://127.0.0.1:${port} reachable?)`,
    );
  });

  it('a secondary rate limit (403 with Retry-After) is waited out and retried; a web page answering 200 is named', async () => {
    // A small server speaking GitHub's documented rate-limit answer, then a web page where the API should be.
    const answers: Array<[number, Record<string, string>, string]> = [
      [403, { 'retry-after': '1' }, '{"message":"You have exceeded a secondary rate limit."}'],
      [200, { 'content-type': 'application/json' }, '[]'],
      [200, { 'content-type': 'text/html' }, '<html>Sign in</html>'],
    ];
    const got: string[] = [];
    const srv = http.createServer((req, res) => {
      got.push(`${req.method} ${req.url}`);
      const [status, headers, body] = answers.shift() ?? [500, {}, '{}'];
      res.writeHead(status, headers).end(body);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const apiUrl = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    try {
      const gh: GitHubApi = { apiUrl, repository: 'acme/app', token: 't' };
      expect(await listIssues(gh, ['incident'], 'open')).toEqual([]);
      expect(got).toHaveLength(2);
      const err = await listIssues(gh, ['incident'], 'open').catch((e: unknown) => e);
      expect((err as Error).message).toBe(
        `GitHub API GET /issues: 200 with a body that is not JSON (is GITHUB_API_URL ${apiUrl} GitHub's REST API?)`,
      );
      expect(got).toHaveLength(3); // not asked again: the same page would come back
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });

  it('a cancelled run sends nothing', async () => {
    const before = issues.requests.length;
    const ac = new AbortController();
    ac.abort(new Error('cancelled by the runner'));
    await expect(listIssues({ ...api(issues), signal: ac.signal }, ['incident'], 'all')).rejects.toThrow(
      'cancelled by the runner',
    );
    expect(issues.requests.length).toBe(before);
  });

  it('require-deployment search: the successful deployment of the digest, else the others with their state', async () => {
    const digest = `sha256:${'d'.repeat(64)}`;
    const failed = deployments.seed('staging', { digest }, ['in_progress', 'failure']);
    expect(await findSuccessfulDeployment(api(deployments), 'staging', digest)).toEqual({
      others: [`#${failed.id} (failure)`],
    });
    const ok = deployments.seed('staging', { digest }, ['in_progress', 'success']);
    const got = await findSuccessfulDeployment(api(deployments), 'staging', digest);
    expect(got.found).toMatchObject({ id: ok.id, environment: 'staging' });
  });
});
