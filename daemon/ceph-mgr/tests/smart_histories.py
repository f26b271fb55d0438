"""Device histories in devicehealth's stored form, generated here (no fixture files).

A history is {"YYYYmmdd-HHMMSS" (UTC): smartctl-like JSON}, one sample a day ending today, shaped like the
`smartctl -x --json` output devicehealth stores for an ATA disk.
"""
import datetime


def _sample(model, serial, hours, counters):
    table = [{'id': attr_id, 'name': name, 'value': 100, 'worst': 100, 'thresh': 10,
              'raw': {'value': raw, 'string': str(raw)}}
             for attr_id, name, raw in [
                 (5, 'Reallocated_Sector_Ct', counters.get(5, 0)),
                 (9, 'Power_On_Hours', hours),
                 (187, 'Reported_Uncorrect', counters.get(187, 0)),
                 (194, 'Temperature_Celsius', 30),
                 (197, 'Current_Pending_Sector', counters.get(197, 0)),
                 (198, 'Offline_Uncorrectable', counters.get(198, 0)),
             ]]
    return {
        'device': {'name': '/dev/sdz', 'type': 'sat', 'protocol': 'ATA'},
        'model_name': model, 'serial_number': serial,
        'user_capacity': {'bytes': 4000787030016},
        'rotation_rate': 5900,
        'smart_status': {'passed': True},
        'ata_smart_attributes': {'revision': 10, 'table': table},
        'power_on_time': {'hours': hours},
    }


def history(days, counters_on_day, model='ST4000DM000', serial='GEN0001', start_hours=20000, end=None):
    """`days` daily samples ending at `end` (default now); counters_on_day(i) gives the counters of day i."""
    end = end or datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    out = {}
    for i in range(days):
        when = end - datetime.timedelta(days=days - 1 - i)
        out[when.strftime('%Y%m%d-%H%M%S')] = _sample(model, serial, start_hours + 24 * i, counters_on_day(i))
    return out


def healthy(days=12, serial='HEALTHY1'):
    return history(days, lambda i: {}, serial=serial)


def failing(days=12, serial='FAILING1'):
    """Reallocated and pending sectors growing by thousands a day, uncorrectable errors climbing."""
    return history(days, lambda i: {5: 2000 * i * i, 197: 4000 * i * i, 198: 500 * i * i, 187: 40 * i},
                   serial=serial)


def without_smart(days=3):
    """What devicehealth stores when smartctl failed: error entries only."""
    end = datetime.datetime.now(datetime.timezone.utc)
    return {(end - datetime.timedelta(days=i)).strftime('%Y%m%d-%H%M%S'):
            {'error': 'smartctl failed', 'nvme_smart_health_information_add_log_error': 'Function not implemented'}
            for i in range(days)}
