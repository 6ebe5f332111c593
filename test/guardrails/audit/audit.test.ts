/**
 * The audit entry points: order, determinism, suppressions, the rule list and bad input.
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import { clusterGrant, labelSelectingPolicy, namespace, namespaceGrant, pod } from './fixtures';
import { Audit, audit, auditApp, auditChart, Severity } from '../../../src/guardrails';

/** Findings of several rules and severities. */
const MIXED = [
  namespace('apps'),
  pod('apps', 'web'),
  ...clusterGrant('sudo', ['User:mallory'], { resources: ['users'], verbs: ['impersonate'] }),
  ...clusterGrant('labeler', ['User:lea'], { resources: ['serviceaccounts'], verbs: ['patch'] }),
  ...namespaceGrant('apps', 'secrets', ['User:ann'], { resources: ['secrets'], verbs: ['get'] }),
  labelSelectingPolicy('apps'),
];

describe('audit()', () => {
  test('orders findings by severity (highest first), then rule, then subject', () => {
    const findings = audit(MIXED);
    expect(findings.map((f) => `${f.severity} ${f.rule} ${f.subject ?? f.objects[0]}`)).toEqual([
      'critical CC-RBAC-005 User:mallory',
      'high CC-NET-002 Namespace apps',
      'high CC-RBAC-009 User:lea',
      'medium CC-NET-001 Namespace apps',
      'medium CC-NS-001 Namespace apps',
      'medium CC-RBAC-003 User:ann',
    ]);
  });

  test('is deterministic: the order of the manifests does not matter', () => {
    expect(audit([...MIXED].reverse())).toEqual(audit(MIXED));
  });

  test('unpacks kind: List', () => {
    expect(audit([{ apiVersion: 'v1', kind: 'List', items: MIXED }])).toEqual(audit(MIXED));
  });

  test('every object a finding names is in the manifests', () => {
    const refs = new Set(MIXED.map((o) => o.metadata.namespace ? `${o.kind} ${o.metadata.namespace}/${o.metadata.name}` : `${o.kind} ${o.metadata.name}`));
    for (const f of audit(MIXED)) {
      for (const o of f.objects) {
        expect(refs).toContain(o);
      }
    }
  });
});

describe('suppressions', () => {
  test('a suppression by subject marks the finding with its reason instead of dropping it', () => {
    const findings = audit(MIXED, {
      rules: ['CC-RBAC-009', 'CC-RBAC-005'],
      suppressions: [{ rule: 'CC-RBAC-009', subjects: ['User:lea'], reason: 'the security lead labels service accounts by design' }],
    });
    expect(findings.map((f) => [f.rule, f.suppressedReason])).toEqual([
      ['CC-RBAC-005', undefined],
      ['CC-RBAC-009', 'the security lead labels service accounts by design'],
    ]);
  });

  test('a suppression by object matches any finding of its rule that names the object', () => {
    const findings = audit(MIXED, {
      rules: ['CC-RBAC-003', 'CC-NS-001'],
      suppressions: [
        { rule: 'CC-RBAC-003', objects: ['RoleBinding apps/secrets'], reason: 'reads its own app config, reviewed in SEC-42' },
        { rule: 'CC-NS-001', objects: ['Namespace other'], reason: 'a namespace that is not in these manifests' },
      ],
    });
    expect(findings.map((f) => [f.rule, f.suppressedReason])).toEqual([
      ['CC-NS-001', undefined],
      ['CC-RBAC-003', 'reads its own app config, reviewed in SEC-42'],
    ]);
  });

  test('a suppression applies to its rule only', () => {
    const findings = audit(MIXED, {
      rules: ['CC-RBAC-005'],
      suppressions: [{ rule: 'CC-RBAC-009', subjects: ['User:mallory'], reason: 'a different rule entirely' }],
    });
    expect(findings.map((f) => f.suppressedReason)).toEqual([undefined]);
  });
});

describe('bad input', () => {
  test('objects must be a list of objects', () => {
    expect(() => audit({} as any)).toThrow('audit(): expected a list of Kubernetes objects (plain manifests, as in YAML), got {}');
    expect(() => audit(['x'])).toThrow('audit(): objects[0]: expected a Kubernetes object, got "x"');
  });

  test('a malformed manifest is reported by the model, naming the object and field', () => {
    const broken = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'apps' }, spec: { containers: 'main' } };
    expect(() => audit([broken], { rules: ['CC-NET-001'] })).toThrow(/Pod apps\/web.*containers/);
  });

  test('unknown rules are refused, listing the rules', () => {
    expect(() => audit([], { rules: ['CC-RBAC-999'] })).toThrow(/audit\(\): rules\[0\]: "CC-RBAC-999" is not a rule id; the rules are CC-LBL-001, .*CC-RBAC-013/);
    expect(() => audit([], { suppressions: [{ rule: 'nag', subjects: ['User:x'], reason: 'long enough reason' }] }))
      .toThrow('audit(): suppressions[0].rule: "nag" is not a rule id');
  });

  test('a suppression needs a reason and names objects or subjects in the findings\' forms', () => {
    expect(() => audit([], { suppressions: [{ rule: 'CC-RBAC-005', subjects: ['User:x'], reason: 'ok' }] }))
      .toThrow('audit(): suppressions[0].reason: "ok" does not say why CC-RBAC-005 is accepted; give a reason of at least 10 characters');
    expect(() => audit([], { suppressions: [{ rule: 'CC-RBAC-005', reason: 'accepted for now' }] }))
      .toThrow('audit(): suppressions[0]: names no objects and no subjects');
    expect(() => audit([], { suppressions: [{ rule: 'CC-RBAC-005', subjects: ['alice'], reason: 'accepted for now' }] }))
      .toThrow('audit(): suppressions[0].subjects[0]: "alice" is not a subject; write User:<name>, Group:<name> or ServiceAccount:<namespace>/<name>');
    expect(() => audit([], { suppressions: [{ rule: 'CC-RBAC-005', subjects: ['ServiceAccount:apps'], reason: 'accepted for now' }] }))
      .toThrow('"ServiceAccount:apps" does not name a service account');
    expect(() => audit([], { suppressions: [{ rule: 'CC-RBAC-005', objects: ['apps/web'], reason: 'accepted for now' }] }))
      .toThrow('audit(): suppressions[0].objects[0]: "apps/web" is not an object reference; write Kind namespace/name or Kind name');
  });

  test('network and subject options are checked', () => {
    expect(() => audit([], { nodeCidrs: ['10.0.0.0/33'] })).toThrow(/audit\(\): nodeCidrs\[0\]: .*; write a network such as 10.0.0.0\/16/);
    expect(() => audit([], { internetAddresses: ['example.com'] }))
      .toThrow('audit(): internetAddresses[0]: "example.com" is not an IP address; write one such as 203.0.113.7 or 2001:db8::7');
    expect(() => audit([], { excludedSubjects: ['root'] })).toThrow('audit(): excludedSubjects[0]: "root" is not a subject');
    expect(() => audit([], { probePods: 'yes' as any })).toThrow('audit(): probePods: expected true or false, got "yes"');
    expect(() => audit([], { excludedNamespaces: 'kube-system' as any })).toThrow('audit(): excludedNamespaces: expected a list of strings, got "kube-system"');
  });
});

describe('charts and apps', () => {
  function appWithChart(): { app: any; chart: Chart } {
    const app = Testing.app();
    const chart = new Chart(app, 'rbac');
    for (const [i, obj] of clusterGrant('sudo', ['User:mallory'], { resources: ['users'], verbs: ['impersonate'] }).entries()) {
      new ApiObject(chart, `o${i}`, obj);
    }
    new Chart(app, 'empty');
    return { app, chart };
  }

  test('auditApp and auditChart audit what the charts synthesize', () => {
    const { app, chart } = appWithChart();
    expect(auditApp(app).map((f) => f.subject)).toEqual(['User:mallory']);
    expect(auditChart(chart).map((f) => f.subject)).toEqual(['User:mallory']);
    expect(Audit.app(app)).toEqual(auditApp(app));
    expect(Audit.chart(chart)).toEqual(auditChart(chart));
    expect(Audit.objects(MIXED)).toEqual(audit(MIXED));
  });

  test('a chart given for an app (and the reverse) is refused', () => {
    const { app, chart } = appWithChart();
    expect(() => auditApp(chart as any)).toThrow(/auditApp\(\): expected a cdk8s App, got .*\(a Chart: use auditChart\(\)\)/);
    expect(() => auditChart(app)).toThrow(/auditChart\(\): expected a cdk8s Chart, got .*\(an App: use auditApp\(\)\)/);
  });
});

describe('Audit.rules()', () => {
  test('lists every rule once, in id order, with a title and a description', () => {
    const rules = Audit.rules();
    const ids = rules.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['CC-RBAC-001', 'CC-RBAC-013', 'CC-NET-001', 'CC-NET-004', 'CC-NS-001', 'CC-POL-001', 'CC-LBL-001', 'CC-LBL-002']));
    for (const r of rules) {
      expect(r.id).toMatch(/^CC-(RBAC|NET|NS|POL|LBL)-\d{3}$/);
      expect(Object.values(Severity)).toContain(r.severity);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.description.length).toBeGreaterThan(30);
    }
  });
});
