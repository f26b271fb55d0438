export { readPickle } from './unpickler.js';
export { UnsafePickleError, PickleFormatError } from './errors.js';
export { NdArray, NpDtype, toFloat64, type TypedNumbers } from './numpy.js';
export { PyDict, PyGlobal, PyObject, PySet, PyTuple, type PyValue, type PyKey } from './values.js';
