import { describe, expect, it } from 'vitest';
import { isRepository, readDeploymentInputs, readGitHubInputs } from '../../src/lib/github/inputs.js';
import { mapInputs } from '../helpers/inputs.js';

const opts = { needed: 'by the test', tokenFix: 'pass a token' };

describe('GitHub inputs shared by monitor, promote and paas-deploy', () => {
  it.each(['acme/app', 'a-b/c.d_e', 'A1/x'])('takes %s as owner/name', (r) => expect(isRepository(r)).toBe(true));
  it.each(['../..', 'acme/..', 'acme/.', 'acme', 'acme/app/x', '-acme/app', 'acme/app?x=1', ''])(
    'refuses %j (it goes into API paths)',
    (r) => expect(isRepository(r)).toBe(false),
  );

  it('reads the token, the repository (default the workflow) and the API base (GITHUB_API_URL)', () => {
    const env = {
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_API_URL: 'https://ghe.example/api/v3',
      GITHUB_SERVER_URL: 'https://ghe.example',
      GITHUB_RUN_ID: '7',
    };
    expect(readGitHubInputs(mapInputs({ 'github-token': 'ghs_x' }), env, opts)).toEqual({
      apiUrl: 'https://ghe.example/api/v3',
      repository: 'acme/shop',
      token: 'ghs_x',
      runUrl: 'https://ghe.example/acme/shop/actions/runs/7',
    });
    // Another repository's issues or deployments: the run still lives in the workflow's repository.
    expect(readGitHubInputs(mapInputs({ 'github-token': 'ghs_x', repository: 'acme/ops' }), env, opts)).toMatchObject({
      repository: 'acme/ops',
      runUrl: 'https://ghe.example/acme/shop/actions/runs/7',
    });
    expect(readGitHubInputs(mapInputs({ 'github-token': 'ghs_x', repository: 'a/b' }), {}, opts)).toEqual({
      apiUrl: 'https://api.github.com',
      repository: 'a/b',
      token: 'ghs_x',
    });
  });

  it('errors name the input and the fix', () => {
    expect(() => readGitHubInputs(mapInputs({}), { GITHUB_REPOSITORY: 'a/b' }, opts)).toThrow(
      'input `github-token`: is required by the test: pass a token',
    );
    expect(() => readGitHubInputs(mapInputs({ 'github-token': 'x', repository: 'acme/..' }), {}, opts)).toThrow(
      'input `repository`: "acme/.." is not owner/name',
    );
    expect(() =>
      readDeploymentInputs(mapInputs({ 'github-token': 'x' }), { GITHUB_REPOSITORY: 'a/b' }, 'with `environment`'),
    ).toThrow('input `ref`: is required with `environment` (GITHUB_SHA is not set)');
    expect(() => readDeploymentInputs(mapInputs({}), { GITHUB_REPOSITORY: 'a/b' }, 'with `environment`')).toThrow(
      'input `github-token`: is required with `environment`: pass ${{ github.token }} with `permissions: deployments: write`',
    );
  });

  it('the token is masked as it is read', () => {
    const masked: string[] = [];
    readGitHubInputs(mapInputs({ 'github-token': 'ghs_secret', repository: 'a/b' }, masked), {}, opts);
    expect(masked).toContain('ghs_secret');
  });
});
