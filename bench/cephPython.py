"""
The Python baseline for `bench/startup.bench.ts`: Ceph diskprediction_local's ProphetStor path on
the golden cases, with real scikit-learn loading Ceph's pickles, as one whole process
(interpreter start, imports, every file, every prediction). Written here from the semantics in
../shared/data/golden/README.md (DPL day dicts, attribute intersection, diff rows, model
selection, votes); it is not Ceph's code.

    python3 bench/cephPython.py CEPH_MODELS_DIR CASES_DIR [--load-once]

Upstream unpickles each selected SVM inside every predict call; `--load-once` unpickles each file
once per process instead (a lower bound for any Python path). Prints one line per device:
`<file> <verdict>`. Needs scikit-learn and numpy (Debian: python3-sklearn); exits 3 without them.
"""
import json
import os
import pickle
import sys
import warnings

try:
    import numpy as np
    import sklearn  # noqa: F401  (imported as the real upstream module does, for its start-up cost)
    from sklearn.svm import SVC  # noqa: F401
except ImportError as e:
    print(f'cephPython: needs scikit-learn ({e})', file=sys.stderr)
    sys.exit(3)

warnings.filterwarnings('ignore')


class OldSklearnUnpickler(pickle.Unpickler):
    # module paths scikit-learn 0.19 pickles name that later releases moved
    MOVED = {'sklearn.svm.classes': 'sklearn.svm', 'copy_reg': 'copyreg', '__builtin__': 'builtins'}

    def find_class(self, module, name):
        return super().find_class(self.MOVED.get(module, module), name)


def load_svc(path):
    with open(path, 'rb') as f:
        clf = OldSklearnUnpickler(f, encoding='latin1').load()
    # attributes scikit-learn >= 0.22 reads that 0.19 never stored
    clf.break_ties = False
    # (0.19 stored them under names that are read-only properties now)
    clf._probA = vars(clf)['probA_']
    clf._probB = vars(clf)['probB_']
    clf._n_support = vars(clf)['n_support_']
    clf.n_features_in_ = clf.support_vectors_.shape[1]
    return clf


def day_dict(sample):
    out = {}
    for attr in (sample.get('ata_smart_attributes') or {}).get('table') or []:
        raw = attr.get('raw') or {}
        s = raw.get('string')
        if s is not None:
            s = str(s)
            first = s.split(' ')[0]
            if s.isdigit():
                out['smart_%d_raw' % attr['id']] = int(s)
            elif first.isdigit():
                out['smart_%d_raw' % attr['id']] = int(first)
            else:
                out['smart_%d_raw' % attr['id']] = raw.get('value', 0)
        if 'value' in attr:
            out['smart_%d_normalized' % attr['id']] = attr['value']
    hours = (sample.get('power_on_time') or {}).get('hours')
    if hours is not None:
        out['smart_9_raw'] = int(hours)
    if 'bytes' in (sample.get('user_capacity') or {}):
        out['user_capacity'] = sample['user_capacity']['bytes']
    for key in ('model_name', 'vendor'):
        if key in sample:
            out[key] = sample[key]
    return out


def dpl_day_dicts(samples):
    if len(samples) < 6:
        return None
    days = []
    for key in sorted(samples.keys(), reverse=True):
        d = day_dict(samples[key]) if isinstance(samples[key], dict) else {}
        if d:
            days.append(d)
        if len(days) >= 12:
            break
    return days if len(days) >= 6 else None


EXCLUDED = {'smart_9_raw', 'smart_241_raw', 'smart_242_raw'}


def predict_ps(models_dir, config, days, cache):
    attrs = [a for a in days[0] if a.startswith('smart_') and a.endswith('_raw') and a not in EXCLUDED
             and all(a in d and float(d[a]) >= 0 for d in days)]
    present = set(attrs)
    scores = {name: len([a for a in wanted if a in present]) for name, wanted in config.items()}
    best = max(scores.values()) if scores else 0
    if best < 3:
        return 'Unknown'
    diffs = [{a: int(days[i + 1][a]) - int(days[i][a]) for a in attrs} for i in range(len(days) - 1)]
    used = [name for name in config if scores[name] > best - 2]
    votes = 0
    for name in used:
        clf = cache.get(name) if cache is not None else None
        if clf is None:
            clf = load_svc(os.path.join(models_dir, name))
            if cache is not None:
                cache[name] = clf
        x = np.array([[row.get(a, 0) for a in config[name]] for row in diffs], dtype=float)
        votes += 1 if (clf.predict(x) == 1).any() else 0
    score = 2 ** votes - len(used)
    return 'Bad' if score > 10 else 'Warning' if score > 4 else 'Good'


def main():
    models_dir = os.path.join(sys.argv[1], 'prophetstor')
    cases = sys.argv[2]
    cache = {} if '--load-once' in sys.argv[3:] else None
    with open(os.path.join(models_dir, 'config.json')) as f:
        config = json.load(f)
    for name in sorted(os.listdir(cases)):
        with open(os.path.join(cases, name)) as f:
            samples = json.load(f)
        days = dpl_day_dicts(samples) if isinstance(samples, dict) else None
        print(name, predict_ps(models_dir, config, days, cache) if days else '')


main()
