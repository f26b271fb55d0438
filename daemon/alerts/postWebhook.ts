/** `--webhook`: one POST of an event's JSON. Any 2xx is delivered; anything else (or no answer in time) fails. */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AlertDeliveryError } from './deliveryError.js';

export interface WebhookPost {
  url: string;
  body: string;
  timeoutMs: number;
  userAgent: string;
}

/** Resolves with the HTTP status when it is 2xx; rejects with AlertDeliveryError otherwise. Redirects are not followed. */
export function postWebhook(post: WebhookPost): Promise<number> {
  const url = new URL(post.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      reject(new AlertDeliveryError(`${where(url)}: ${message}`));
    };
    const req = send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(post.body), 'user-agent': post.userAgent },
      timeout: post.timeoutMs,
    });
    // `timeout` only watches for idle sockets; a whole-request deadline also covers a slow trickle.
    const deadline = setTimeout(() => {
      fail(`no answer within ${post.timeoutMs} ms`);
      req.destroy();
    }, post.timeoutMs);
    req.once('timeout', () => {
      fail(`no answer within ${post.timeoutMs} ms`);
      req.destroy();
    });
    req.once('error', (err) => {
      clearTimeout(deadline);
      fail(err.message);
    });
    req.once('response', (res) => {
      res.resume(); // the body is not needed; read it so the socket is freed
      res.once('end', () => {
        clearTimeout(deadline);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          if (!settled) {
            settled = true;
            resolve(status);
          }
        } else fail(`HTTP ${status}`);
      });
      res.once('error', (err) => {
        clearTimeout(deadline);
        fail(err.message);
      });
    });
    req.end(post.body);
  });
}

/** The URL without credentials or query, for logs. */
export function where(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
