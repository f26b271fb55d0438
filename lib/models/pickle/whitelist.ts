/**
 * The only globals a pickle may name. Old (scikit-learn 0.19 / numpy < 2 / Python 2) and new
 * module paths map to one canonical name, so readers never care which version wrote the file.
 */
const CANONICAL: Record<string, string> = {};

function allow(canonical: string, ...paths: string[]): void {
  for (const p of paths) CANONICAL[p] = canonical;
}

allow('sklearn.svm.SVC', 'sklearn.svm.classes.SVC', 'sklearn.svm._classes.SVC');
allow('sklearn.preprocessing.RobustScaler', 'sklearn.preprocessing.data.RobustScaler', 'sklearn.preprocessing._data.RobustScaler');
allow('sklearn.preprocessing.StandardScaler', 'sklearn.preprocessing.data.StandardScaler', 'sklearn.preprocessing._data.StandardScaler');
allow(
  'sklearn.ensemble.RandomForestClassifier',
  'sklearn.ensemble.forest.RandomForestClassifier',
  'sklearn.ensemble._forest.RandomForestClassifier',
);
allow(
  'sklearn.tree.DecisionTreeClassifier',
  'sklearn.tree.tree.DecisionTreeClassifier',
  'sklearn.tree._classes.DecisionTreeClassifier',
);
allow('sklearn.tree._tree.Tree', 'sklearn.tree._tree.Tree');
allow('numpy.ndarray', 'numpy.ndarray');
allow('numpy.dtype', 'numpy.dtype');
allow('numpy._reconstruct', 'numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct');
allow('numpy.scalar', 'numpy.core.multiarray.scalar', 'numpy._core.multiarray.scalar');
allow('copyreg._reconstructor', 'copy_reg._reconstructor', 'copyreg._reconstructor');
allow('builtins.object', '__builtin__.object', 'builtins.object');

/** Canonical name of `module.name`, or undefined when it is not whitelisted. */
export function canonicalGlobal(module: string, name: string): string | undefined {
  const key = `${module}.${name}`;
  return Object.prototype.hasOwnProperty.call(CANONICAL, key) ? CANONICAL[key] : undefined;
}

/** Classes that may be instantiated (REDUCE/NEWOBJ on them, or via copyreg._reconstructor). */
export const INSTANTIABLE_CLASSES: ReadonlySet<string> = new Set([
  'sklearn.svm.SVC',
  'sklearn.preprocessing.RobustScaler',
  'sklearn.preprocessing.StandardScaler',
  'sklearn.ensemble.RandomForestClassifier',
  'sklearn.tree.DecisionTreeClassifier',
  'sklearn.tree._tree.Tree',
  'builtins.object',
]);
