/**
 * Finding 9 of "Secure by default": host-networked pods bypass every network policy (they are no
 * Calico workload endpoints), so the team namespaces enforce a Pod Security Standard that
 * forbids them.
 */
import { Testing } from 'cdk8s';
import { pod, platform, TARGETS, TENANT_ABUSE } from './platforms';
import { DevTeamNamespace, PodSecurityLevel } from '../../src/teams';

const abused = platform(true);
const TEAM_NAMESPACES = ['be-dev-team', 'fe', 'database', 'webapp', 'client', 'prod-engineering'];
const LEVELS = ['privileged', 'baseline', 'restricted'];

/**
 * What Pod Security Admission refuses at `level`, for the controls that touch the network: the
 * "Host Namespaces" and "Host Ports" controls of the baseline (and so restricted) standard
 * (kubernetes.io/docs/concepts/security/pod-security-standards).
 */
function podSecurityViolations(level: string, manifest: any): string[] {
  if (LEVELS.indexOf(level) < LEVELS.indexOf('baseline')) {
    return [];
  }
  const spec = manifest.spec ?? {};
  const violations: string[] = [];
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[field] === true) {
      violations.push(`${field}=true`);
    }
  }
  for (const container of spec.containers ?? []) {
    for (const port of container.ports ?? []) {
      if (port.hostPort !== undefined && port.hostPort !== 0) {
        violations.push(`hostPort=${port.hostPort}`);
      }
    }
  }
  return violations;
}

/** The level Pod Security Admission enforces on a namespace (privileged when unlabelled). */
function enforcedLevel(manifests: any[], namespace: string): string {
  const ns = manifests.find((m) => m.kind === 'Namespace' && m.metadata.name === namespace);
  return ns?.metadata.labels?.['pod-security.kubernetes.io/enforce'] ?? 'privileged';
}

describe('finding 9: host-network pods cannot run in team namespaces', () => {
  test('why it matters: a host-networked pod is outside every policy', () => {
    expect(abused.network).toAllow({ from: 'be-dev-team/host', to: TARGETS.internet, port: 443 });
    expect(abused.network).toAllow({ from: 'be-dev-team/host', to: TARGETS.metadata, port: 80 });
    expect(abused.network.endpoint('be-dev-team/host').hostNetwork).toBe(true);
  });

  test('every team namespace enforces baseline, which refuses host networking and host ports', () => {
    const host = pod('x', 'host', {}, [], undefined, true);
    const hostPort = pod('x', 'port', {}, [{ containerPort: 8080, hostPort: 8080 }]);
    const plain = pod('x', 'plain', {}, [{ containerPort: 8080 }]);
    for (const namespace of TEAM_NAMESPACES) {
      const level = enforcedLevel(abused.manifests, namespace);
      expect({ namespace, level }).toEqual({ namespace, level: 'baseline' });
      expect(podSecurityViolations(level, host)).toEqual(['hostNetwork=true']);
      expect(podSecurityViolations(level, hostPort)).toEqual(['hostPort=8080']);
      expect(podSecurityViolations(level, plain)).toEqual([]);
    }
    // An unlabelled namespace would admit it: the labels are what stops it.
    expect(podSecurityViolations(enforcedLevel([...abused.manifests, ...TENANT_ABUSE], 'impostor'), host)).toEqual([]);
  });

  test('restricted on request; privileged only as an explicit choice', () => {
    const chart = Testing.chart();
    new DevTeamNamespace(chart, 'strict', { name: 'strict', podSecurity: PodSecurityLevel.RESTRICTED });
    new DevTeamNamespace(chart, 'loose', { name: 'loose', podSecurity: PodSecurityLevel.PRIVILEGED, identityLabels: [] });
    const manifests = Testing.synth(chart);
    expect(enforcedLevel(manifests, 'strict')).toBe('restricted');
    expect(podSecurityViolations('restricted', pod('strict', 'host', {}, [], undefined, true))).toEqual(['hostNetwork=true']);
    expect(enforcedLevel(manifests, 'loose')).toBe('privileged');
  });
});
