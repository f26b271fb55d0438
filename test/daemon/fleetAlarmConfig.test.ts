import { describe, expect, it } from 'vitest';
import { cliLayer } from '../../daemon/cliOptions.js';
import { ConfigError, defaultConfig, validateLayer } from '../../daemon/config.js';

describe('fleet alarm settings', () => {
  it('default to 5 % and 3 devices', () => {
    expect(defaultConfig()).toMatchObject({ fleetAlarmShare: 0.05, fleetAlarmMinDevices: 3 });
  });

  it('are read from the command line and the config file', () => {
    expect(cliLayer({ fleetAlarmShare: '0.2', fleetAlarmMinDevices: '5' })).toMatchObject({ fleetAlarmShare: 0.2, fleetAlarmMinDevices: 5 });
    expect(cliLayer({ fleetAlarmShare: '1' })).toMatchObject({ fleetAlarmShare: 1 });
    expect(validateLayer({ fleetAlarmShare: 0.1, fleetAlarmMinDevices: 10 }, 'config x.json', '/')).toEqual({ fleetAlarmShare: 0.1, fleetAlarmMinDevices: 10 });
  });

  it('refuse a share outside (0, 1] or a count below 1, naming the flag or key', () => {
    for (const v of ['0', '1.5', 'abc', '5%', '-0.1', '.']) expect(() => cliLayer({ fleetAlarmShare: v }), v).toThrow(/--fleet-alarm-share must be a number in \(0, 1\]/);
    expect(() => cliLayer({ fleetAlarmMinDevices: '0' })).toThrow(/--fleet-alarm-min-devices must be a positive integer/);
    expect(() => validateLayer({ fleetAlarmShare: 5 }, 'config x.json', '/')).toThrow(new ConfigError('config x.json: fleetAlarmShare must be a number in (0, 1], e.g. 0.05 for 5 %'));
    expect(() => validateLayer({ fleetAlarmShare: '0.05' }, 'config x.json', '/')).toThrow(ConfigError);
    expect(() => validateLayer({ fleetAlarmMinDevices: 2.5 }, 'config x.json', '/')).toThrow(/fleetAlarmMinDevices must be a positive integer/);
  });
});
