"""Checks one prediction object from the daemon and turns it into the mgr command that records it.

The daemon decides (status, dates, reasons); this file only refuses replies that break docs/protocol.md, so a
daemon bug can never write a nonsense life expectancy into the cluster.
"""
import datetime
import re

from .daemon_client import DaemonProtocolError

# Ceph's predict_life_expectancy strings, per status.
CLI_BY_STATUS = {
    'Good': '>6w',
    'Warning': '>=2w and <=6w',
    'Bad': '<2w',
    'Unknown': 'unknown',
}

_DATE = re.compile(r'^\d{4}-\d{2}-\d{2}$')
# Whether the drive's model, family or vendor was in the daemon model's training data (docs/protocol.md).
_FAMILIARITIES = ('model', 'family', 'vendor', 'none')


class Verdict(object):
    __slots__ = ('devid', 'status', 'cli', 'life_expectancy_min', 'life_expectancy_max',
                 'p14', 'p42', 'reasons', 'model', 'samples_used', 'reason', 'familiarity', 'overrides')

    def __init__(self, **fields):
        for name in self.__slots__:
            setattr(self, name, fields.get(name))

    def summary(self):
        """One log line: device, status, window, probabilities and the top reasons."""
        window = 'no life expectancy'
        if self.life_expectancy_min is not None:
            window = 'life expectancy %s to %s' % (self.life_expectancy_min, self.life_expectancy_max or 'open')
        reasons = '; '.join(r['text'] for r in self.reasons[:3]) or '-'
        return 'device %s: %s (%s), %s, p14=%s p42=%s, model %s, %d samples, reasons: %s%s%s' % (
            self.devid, self.status, self.cli, window, _probability(self.p14), _probability(self.p42),
            self.model, self.samples_used, reasons,
            (', note: %s' % self.reason) if self.reason else '',
            (', overrides: %s' % ', '.join(o['id'] for o in self.overrides)) if self.overrides else '')

    def to_json(self):
        return dict((name, getattr(self, name)) for name in self.__slots__)


def read_verdict(obj, devid):
    """Validate a prediction object (docs/protocol.md "Prediction object"); raise DaemonProtocolError if broken."""
    if not isinstance(obj, dict):
        raise DaemonProtocolError('prediction for %s is not an object' % devid)
    status = obj.get('status')
    if status not in CLI_BY_STATUS:
        raise DaemonProtocolError('prediction for %s has unknown status %r' % (devid, status))
    cli = obj.get('cli')
    if cli != CLI_BY_STATUS[status]:
        raise DaemonProtocolError('prediction for %s: cli %r does not match status %s' % (devid, cli, status))
    low = _date_or_none(obj.get('life_expectancy_min'), 'life_expectancy_min', devid)
    high = _date_or_none(obj.get('life_expectancy_max'), 'life_expectancy_max', devid)
    if status == 'Unknown':
        if not isinstance(obj.get('reason'), str):
            raise DaemonProtocolError('Unknown prediction for %s gives no reason' % devid)
    else:
        if low is None:
            raise DaemonProtocolError('%s prediction for %s has no life_expectancy_min' % (status, devid))
        # devicehealth warns and marks out on life_expectancy_max only: Bad/Warning without it would be silent.
        if status != 'Good' and high is None:
            raise DaemonProtocolError('%s prediction for %s has no life_expectancy_max' % (status, devid))
        if high is not None and high < low:
            raise DaemonProtocolError('prediction for %s ends (%s) before it starts (%s)' % (devid, high, low))
    model = obj.get('model')
    if not isinstance(model, dict) or not isinstance(model.get('name'), str):
        raise DaemonProtocolError('prediction for %s names no model' % devid)
    return Verdict(
        devid=devid, status=status, cli=cli, life_expectancy_min=low, life_expectancy_max=high,
        p14=_number_or_none(obj.get('p14'), 'p14', devid), p42=_number_or_none(obj.get('p42'), 'p42', devid),
        reasons=_reasons(obj.get('reasons'), devid),
        model='%s %s' % (model['name'], model.get('version', '')),
        samples_used=obj.get('samples_used') if isinstance(obj.get('samples_used'), int) else 0,
        reason=obj.get('reason') if isinstance(obj.get('reason'), str) else None,
        # None: the daemon's model does not say what it was trained on (or a daemon older than the field)
        familiarity=obj.get('familiarity') if obj.get('familiarity') in _FAMILIARITIES else None,
        overrides=_overrides(obj.get('overrides'), devid))


def life_expectancy_command(verdict):
    """The mgr command that records a verdict: Unknown clears the device's life expectancy, others set it."""
    if verdict.status == 'Unknown':
        return {'prefix': 'device rm-life-expectancy', 'devid': verdict.devid}
    command = {'prefix': 'device set-life-expectancy', 'devid': verdict.devid,
               'from': verdict.life_expectancy_min}
    if verdict.life_expectancy_max is not None:
        command['to'] = verdict.life_expectancy_max
    return command


def _date_or_none(value, field, devid):
    if value is None:
        return None
    if not isinstance(value, str) or not _DATE.match(value):
        raise DaemonProtocolError('prediction for %s: %s %r is not YYYY-MM-DD' % (devid, field, value))
    try:
        datetime.datetime.strptime(value, '%Y-%m-%d')
    except ValueError:
        raise DaemonProtocolError('prediction for %s: %s %r is not a date' % (devid, field, value))
    return value


def _number_or_none(value, field, devid):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise DaemonProtocolError('prediction for %s: %s %r is not a probability' % (devid, field, value))
    return value


def _reasons(value, devid):
    if value is None:
        return []
    if not isinstance(value, list):
        raise DaemonProtocolError('prediction for %s: reasons is not a list' % devid)
    reasons = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get('text'), str):
            raise DaemonProtocolError('prediction for %s: a reason has no text' % devid)
        reason = {'feature': str(item.get('feature', '')), 'text': item['text'],
                  'contribution': item.get('contribution')}
        # Rule scorer verdicts name the rule that fired (docs/protocol.md "Prediction object").
        if isinstance(item.get('rule'), str):
            reason['rule'] = item['rule']
        reasons.append(reason)
    return reasons


def _overrides(value, devid):
    # The operator's overrides that applied (docs/overrides.md); daemons before them send none.
    if value is None:
        return []
    if not isinstance(value, list):
        raise DaemonProtocolError('prediction for %s: overrides is not a list' % devid)
    out = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get('id'), str) or not isinstance(item.get('text'), str):
            raise DaemonProtocolError('prediction for %s: an override has no id or text' % devid)
        out.append({'id': item['id'], 'action': str(item.get('action', '')), 'text': item['text']})
    return out


def _probability(value):
    # None: the model gives no probability (the rule scorer's levels, Ceph's old models).
    return 'none' if value is None else '%.3f' % value
