import type http from 'node:http';
import type https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { stripUserinfo } from '../../lib/redact.js';

export interface ProbeRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  timeoutMs: number;
  maxRedirects: number;
  insecureTls: boolean;
  /** Bytes of body kept for checks; the rest is drained. */
  maxBodyBytes?: number;
  agent?: { http?: http.Agent; https?: https.Agent };
  /** Cancels the request in flight (job cancelled). */
  signal?: AbortSignal;
}

export interface ProbeResponse {
  /** Final URL after redirects. */
  url: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  latencyMs: number;
  redirects: number;
  /** Days until the leaf certificate of the last TLS hop expires. */
  tlsDaysLeft?: number;
}

/** A request that did not produce a response: the reason says what happened, in plain words. */
export class ProbeError extends Error {
  constructor(
    message: string,
    readonly latencyMs: number,
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}

const DAY_MS = 86_400_000;

function explainNetError(err: NodeJS.ErrnoException, url: URL): string {
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where} (nothing listening)`;
    case 'ECONNRESET':
      return `connection reset by ${where}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${url.hostname} does not resolve`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `TLS certificate of ${where} is not trusted (${err.code}); fix the chain, or set insecure-tls: true for a test host`;
    case 'CERT_HAS_EXPIRED':
      return `TLS certificate of ${where} has expired`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS certificate of ${where} is not valid for ${url.hostname}`;
    default:
      return `${err.code ?? 'error'}: ${err.message}`;
  }
}

function once(
  req: ProbeRequest,
  url: URL,
  deadline: number,
  headers: Record<string, string>,
): Promise<Omit<ProbeResponse, 'latencyMs' | 'redirects' | 'url'>> {
  return new Promise((resolve, reject) => {
    const isHttps = url.protocol === 'https:';
    // Loaded on first use: a step that fails on its inputs never pays for the HTTP stack.
    const mod = process.getBuiltinModule(isHttps ? 'node:https' : 'node:http');
    const remaining = Math.max(1, deadline - Date.now());
    let tlsDaysLeft: number | undefined;
    const r = mod.request(
      url,
      {
        method: req.method,
        headers: { 'user-agent': 'deploy-kit-health-gate', ...headers },
        agent: isHttps ? req.agent?.https : req.agent?.http,
        rejectUnauthorized: !req.insecureTls,
      },
      (res) => {
        if (isHttps) {
          const cert = (res.socket as TLSSocket).getPeerCertificate?.();
          if (cert && cert.valid_to) tlsDaysLeft = (Date.parse(cert.valid_to) - Date.now()) / DAY_MS;
        }
        const limit = req.maxBodyBytes ?? 1024 * 1024;
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (c: Buffer) => {
          if (kept < limit) {
            chunks.push(c.subarray(0, limit - kept));
            kept += Math.min(c.length, limit - kept);
          }
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            tlsDaysLeft,
          });
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      },
    );
    const timer = setTimeout(() => {
      r.destroy(Object.assign(new Error('timeout'), { code: 'DK_TIMEOUT' }));
    }, remaining);
    const onAbort = (): void => {
      r.destroy(Object.assign(new Error('cancelled'), { code: 'DK_CANCELLED' }));
    };
    if (req.signal?.aborted) queueMicrotask(onAbort);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    r.on('close', () => req.signal?.removeEventListener('abort', onAbort));
    r.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    r.end();
  });
}

/** One attempt: a request with redirects followed up to maxRedirects, all within timeoutMs. */
export async function probe(req: ProbeRequest): Promise<ProbeResponse> {
  const started = Date.now();
  const deadline = started + req.timeoutMs;
  let url = new URL(req.url);
  let redirects = 0;
  const seen = new Set<string>([url.href]);
  // The headers the workflow gave (Authorization, Cookie, tokens: every value is masked as a secret) go to
  // the origin it named only. Once a redirect leaves that origin (another scheme, host or port - `localhost`
  // is not `127.0.0.1`), they are dropped for the rest of the chain, as browsers and curl do.
  let headers = req.headers;
  const origin = url.origin;
  for (;;) {
    let res;
    try {
      res = await once(req, url, deadline, headers);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const latency = Date.now() - started;
      if (err.code === 'DK_TIMEOUT')
        throw new ProbeError(`no complete response within ${req.timeoutMs} ms (timeout)`, latency);
      throw new ProbeError(explainNetError(err, url), latency);
    }
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && location && req.maxRedirects > 0) {
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new ProbeError(`redirect to an invalid Location`, Date.now() - started);
      }
      if (redirects >= req.maxRedirects) {
        throw new ProbeError(
          `more than ${req.maxRedirects} redirects (last to ${stripUserinfo(next.href)})`,
          Date.now() - started,
        );
      }
      if (seen.has(next.href))
        throw new ProbeError(`redirect loop at ${stripUserinfo(next.href)}`, Date.now() - started);
      if (next.protocol !== 'http:' && next.protocol !== 'https:')
        throw new ProbeError(`redirect to ${next.protocol} (only http and https are followed)`, Date.now() - started);
      seen.add(next.href);
      if (next.origin !== origin) headers = {};
      url = next;
      redirects++;
      continue;
    }
    return { ...res, url: stripUserinfo(url.href), latencyMs: Date.now() - started, redirects };
  }
}
