/** Ceph's model sets decoded into plain typed arrays (from pickles or from the converted format). */

export type CephModelKind = 'prophetstor' | 'redhat';

/** One RBF SVC of the ProphetStor set (libsvm c_svc, two classes [0, 1]). */
export interface SvcModel {
  file: string;
  nFeatures: number;
  nSupport: number;
  gamma: number;
  /** libsvm's −rho (scikit-learn `_intercept_[0]`) */
  intercept: number;
  /** libsvm's coefficients (scikit-learn `_dual_coef_[0]`), one per support vector */
  dualCoef: Float64Array;
  /**
   * Rows of nFeatures, row-major: one per support vector, or with `rowOf` each distinct support vector once.
   * Float32Array when every value is exactly a float. The converted format stores both ways when it can (Ceph's
   * values are all small integers, 55 % of its support vectors repeats): about a third of the bytes a run reads,
   * and the kernel reads the same doubles.
   */
  supportVectors: Float64Array | Float32Array;
  /** support vector j is row `rowOf[j]` of `supportVectors`; absent: row j */
  rowOf?: Int32Array;
}

export interface ProphetStorModels {
  kind: 'prophetstor';
  /** `config.json` in file order: model file → its attribute names in input order */
  config: Array<{ file: string; attributes: string[] }>;
  svms: Map<string, SvcModel>;
  /** `ceph-<sha256 prefix of config.json>` */
  version: string;
}

/** RobustScaler (`center_`, `scale_`) or StandardScaler (`mean_`, `scale_`): x' = (x − center) / scale. */
export interface ScalerModel {
  type: 'robust' | 'standard';
  /** null when centering was off */
  center: Float64Array | null;
  /** null when scaling was off */
  scale: Float64Array | null;
}

export interface TreeModel {
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  /** nodes × nClasses leaf counts */
  value: Float64Array;
}

export interface ForestModel {
  nFeatures: number;
  classes: number[];
  trees: TreeModel[];
}

export interface RedHatVendorModel {
  scaler: ScalerModel | null;
  forest: ForestModel | null;
  /** model files config.json names for this vendor that were not found */
  missingFiles: string[];
}

export interface RedHatModels {
  kind: 'redhat';
  /** `config.json` in file order: vendor → feature names (user_capacity first) */
  config: Array<{ vendor: string; features: string[] }>;
  vendors: Map<string, RedHatVendorModel>;
  version: string;
}

export type CephModels = ProphetStorModels | RedHatModels;

/** The model files a Red Hat vendor needs, as upstream names them. */
export function redHatFiles(vendor: string): { scaler: string; predictor: string } {
  return { scaler: `${vendor}_scaler.pkl`, predictor: `${vendor}_predictor.pkl` };
}
