/** `--http` addresses: loopback only unless --http-allow-remote; malformed ones refused naming the flag. */
import { describe, expect, it } from 'vitest';
import { parseHttpAddress } from '../../daemon/httpAddress.js';
import { ConfigError, validateLayer } from '../../daemon/config.js';

describe('parseHttpAddress', () => {
  it('accepts loopback addresses', () => {
    expect(parseHttpAddress('127.0.0.1:9464', false)).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseHttpAddress('127.3.4.5:0', false)).toEqual({ host: '127.3.4.5', port: 0 });
    expect(parseHttpAddress('[::1]:9464', false)).toEqual({ host: '::1', port: 9464 });
    expect(parseHttpAddress('localhost:9464', false)).toEqual({ host: 'localhost', port: 9464 });
  });

  it('refuses other addresses unless allowed', () => {
    for (const a of ['0.0.0.0:9464', '10.1.2.3:9464', '[::]:9464', 'example.org:9464', '128.0.0.1:1']) {
      expect(() => parseHttpAddress(a, false)).toThrow(ConfigError);
      expect(() => parseHttpAddress(a, false)).toThrow(/--http-allow-remote/);
    }
    expect(parseHttpAddress('0.0.0.0:9464', true)).toEqual({ host: '0.0.0.0', port: 9464 });
  });

  it('refuses malformed addresses', () => {
    for (const a of ['9464', '127.0.0.1', '::1:9464', '127.0.0.1:99999', '127.0.0.1:-1', ':9464', '127.0.0.1:80x']) {
      expect(() => parseHttpAddress(a, true), a).toThrow(/--http/);
    }
  });

  it('the config file takes http, httpAllowRemote (a boolean) and collectIntervalS', () => {
    expect(validateLayer({ http: '127.0.0.1:9464', httpAllowRemote: false, collectIntervalS: 600 }, 'config x', '/')).toEqual({ http: '127.0.0.1:9464', httpAllowRemote: false, collectIntervalS: 600 });
    expect(() => validateLayer({ httpAllowRemote: 'yes' }, 'config x', '/')).toThrow(/httpAllowRemote must be true or false/);
    expect(() => validateLayer({ collectIntervalS: 0 }, 'config x', '/')).toThrow(/collectIntervalS must be a positive integer/);
  });
});
