/**
 * The label-authority report: for every label key a security-tier selector reads, who can set it.
 */
/** One label key that security-tier selectors trust, and who can set it. */
export interface LabelAuthority {
  /**
   * Where the label comes from: `pod` (a pod's or network set's own labels), `namespace`,
   * `serviceAccount` or `calico` (labels Calico derives from names).
   */
  readonly source: string;

  /** The label key, without Calico's `pcns.`/`pcsa.` prefix. */
  readonly key: string;

  /** The security-tier policies whose selectors read it, as `Kind name` or `Kind namespace/name`. */
  readonly policies: string[];

  /**
   * The actions that trust it: the actions of the rules whose peers read it, and of the rules
   * of policies whose own selector reads it (`Allow`, `Deny`, `Pass`, `Log`).
   */
  readonly actions: string[];

  /** How its value comes about, e.g. `derived from the namespace name: no one can set it on a namespace`. */
  readonly setBy: string;

  /**
   * The subjects of the manifests that can set it (`User:<name>`, `Group:<name>`,
   * `ServiceAccount:<namespace>/<name>`), system subjects and excluded ones left out; empty when
   * no one can, or no one in the manifests.
   */
  readonly setters: string[];
}
