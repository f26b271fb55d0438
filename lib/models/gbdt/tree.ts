/** One decision tree as typed arrays; the layout is documented on GbdtTreeJson. */
export interface TreeArrays {
  /** split feature, -1 for a leaf */
  feature: Int32Array;
  /** go left when x <= threshold (+∞ allowed: every present value goes left) */
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** 1 = a missing value (NaN) goes left */
  defaultLeft: Uint8Array;
  /** Newton value of the node, learning rate applied */
  value: Float64Array;
  /** training hessian sum of the node */
  cover: Float64Array;
}

