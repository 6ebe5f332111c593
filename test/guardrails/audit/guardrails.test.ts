/**
 * The cdk8s integration: Guardrails.of(app).check() fails synthesis on findings at or above the
 * threshold, and only then.
 */
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterGrant, denyAllEgress, labelSelectingPolicy, namespace } from './fixtures';
import { Guardrails, Severity } from '../../../src/guardrails';

/**
 * An app whose `rbac` chart lets mallory impersonate users (critical) and lea label service
 * accounts that a policy of the chart selects on (high), and whose `clean` chart has a restricted namespace without egress.
 */
function riskyApp(): { app: App; rbac: Chart; clean: Chart } {
  const app = Testing.app();
  const rbac = new Chart(app, 'rbac');
  const objects = [
    ...clusterGrant('sudo', ['User:mallory'], { resources: ['users'], verbs: ['impersonate'] }),
    ...clusterGrant('labeler', ['User:lea'], { resources: ['serviceaccounts'], verbs: ['patch'] }),
    labelSelectingPolicy('shop'),
  ];
  objects.forEach((obj, i) => new ApiObject(rbac, `o${i}`, obj));
  const clean = new Chart(app, 'clean');
  new ApiObject(clean, 'ns', namespace('quiet', { 'pod-security.kubernetes.io/enforce': 'restricted' }));
  new ApiObject(clean, 'deny-egress', denyAllEgress('quiet'));
  return { app, rbac, clean };
}

const ONLY_RBAC = { rules: ['CC-RBAC-005', 'CC-RBAC-009'] };

describe('Guardrails.of(app).check()', () => {
  test('app.synth() fails listing every unsuppressed finding at or above failOn', () => {
    const { app } = riskyApp();
    Guardrails.of(app).check({ ...ONLY_RBAC, failOn: Severity.HIGH });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('Validation failed with the following errors:');
    expect(message).toContain('cdk8s-calico guardrails: 2 findings at or above high (0 suppressed, 0 below the threshold)');
    expect(message).toContain('CRITICAL CC-RBAC-005 User:mallory: User mallory can impersonate users cluster-wide');
    expect(message).toContain('Objects: ClusterRole sudo, ClusterRoleBinding sudo. Fix: Remove impersonate');
    expect(message).toContain('HIGH CC-RBAC-009 User:lea');
  });

  test('findings below failOn and suppressed findings do not fail synthesis, but are reported by findings()', () => {
    const { app } = riskyApp();
    const guardrails = Guardrails.of(app);
    guardrails.check({
      ...ONLY_RBAC,
      failOn: Severity.CRITICAL,
      suppressions: [{ rule: 'CC-RBAC-005', subjects: ['User:mallory'], reason: 'break-glass account, reviewed quarterly' }],
    });
    expect(() => app.synthYaml()).not.toThrow();
    expect(guardrails.findings().map((f) => [f.rule, f.severity, f.suppressedReason])).toEqual([
      ['CC-RBAC-005', Severity.CRITICAL, 'break-glass account, reviewed quarterly'],
      ['CC-RBAC-009', Severity.HIGH, undefined],
    ]);
  });

  test('failOn defaults to medium', () => {
    const { app } = riskyApp();
    Guardrails.of(app).check({ rules: ['CC-RBAC-009'] });
    expect(() => app.synthYaml()).toThrow('1 finding at or above medium');
  });

  test('without check() nothing is enforced; of() returns one Guardrails per scope and check() replaces the options', () => {
    const { app } = riskyApp();
    const guardrails = Guardrails.of(app);
    expect(Guardrails.of(app)).toBe(guardrails);
    expect(() => app.synthYaml()).not.toThrow();
    guardrails.check({ ...ONLY_RBAC, failOn: Severity.HIGH });
    expect(() => app.synthYaml()).toThrow('CC-RBAC-009');
    guardrails.check({ ...ONLY_RBAC, failOn: Severity.CRITICAL, suppressions: [{ rule: 'CC-RBAC-005', subjects: ['User:mallory'], reason: 'accepted in the test' }] });
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('the guardrails of a chart audit that chart only', () => {
    const { app, rbac, clean } = riskyApp();
    Guardrails.of(clean).check({ failOn: Severity.LOW });
    expect(() => app.synthYaml()).not.toThrow();
    Guardrails.of(rbac).check({ ...ONLY_RBAC, failOn: Severity.HIGH });
    expect(() => Testing.synth(rbac)).toThrow(/\[rbac\/cdk8s-calico-guardrails\] cdk8s-calico guardrails: 2 findings/);
  });

  test('bad scopes and options are refused at once, naming the option', () => {
    const { app, rbac } = riskyApp();
    expect(() => Guardrails.of(new Construct(rbac, 'plain'))).toThrow('Guardrails.of(): expected a cdk8s App or Chart, got the construct "rbac/plain"');
    expect(() => Guardrails.of(app).check({ failOn: 'severe' as any }))
      .toThrow('Guardrails.check(): failOn: "severe" is not a severity; use Severity.LOW, Severity.MEDIUM, Severity.HIGH or Severity.CRITICAL');
    expect(() => Guardrails.of(app).check({ rules: ['CC-XYZ'] })).toThrow('Guardrails.check(): rules[0]: "CC-XYZ" is not a rule id');
    expect(() => Guardrails.of(app).check({ suppressions: [{ rule: 'CC-RBAC-005', subjects: ['User:x'], reason: '' }] }))
      .toThrow('Guardrails.check(): suppressions[0].reason');
    expect(() => Guardrails.of(app).check({ nodeCidrs: ['nodes'] })).toThrow('Guardrails.check(): nodeCidrs[0]');
  });
});
