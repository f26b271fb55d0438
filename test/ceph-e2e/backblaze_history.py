#!/usr/bin/python3
"""Print one Backblaze drive's last days as devicehealth omap entries: `KEY<TAB>JSON` per line.

Reads the 2018 ST4000DM000 Drive Stats file from ../shared (real data, never copied into the project) and turns
each daily row into the smartctl-like JSON devicehealth stores (`ata_smart_attributes.table` with raw values,
`power_on_time.hours`), keyed `YYYYmmdd-HHMMSS` UTC. The days are moved so the newest ends `now`, one per day,
because a history's age matters to a predictor and the cluster lives today.

Usage: backblaze_history.py CSV_GZ SERIAL DAYS
"""
import csv
import datetime
import gzip
import json
import sys


def rows_of(path, serial):
    with gzip.open(path, 'rt', newline='') as f:
        rows = [row for row in csv.DictReader(f) if row['serial_number'] == serial]
    return sorted(rows, key=lambda row: row['date'])


def smartctl_like(row):
    table = []
    for column, value in row.items():
        if not (column.startswith('smart_') and column.endswith('_raw')) or value == '':
            continue
        attr_id = int(column[len('smart_'):-len('_raw')])
        raw = int(value)
        table.append({'id': attr_id, 'raw': {'value': raw, 'string': str(raw)}})
    table.sort(key=lambda attr: attr['id'])
    sample = {'model_name': row['model'], 'serial_number': row['serial_number'],
              'ata_smart_attributes': {'table': table}}
    if row.get('smart_9_raw'):
        sample['power_on_time'] = {'hours': int(row['smart_9_raw'])}
    return sample


def main():
    path, serial, days = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rows = rows_of(path, serial)[-days:]
    if len(rows) < days:
        sys.exit('%s: only %d rows for %s' % (path, len(rows), serial))
    last = datetime.datetime.strptime(rows[-1]['date'], '%Y-%m-%d')
    shift = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0) \
        - datetime.timedelta(minutes=5) - last
    for row in rows:
        when = datetime.datetime.strptime(row['date'], '%Y-%m-%d') + shift
        print('%s\t%s' % (when.strftime('%Y%m%d-%H%M%S'), json.dumps(smartctl_like(row), separators=(',', ':'))))


if __name__ == '__main__':
    main()
