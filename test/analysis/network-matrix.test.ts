import { denyAllIngress, k8sPolicy, pod } from './network-fixtures';
import { MatrixCell, MatrixGranularity, ReachabilityMatrix } from '../../src/analysis/network-matrix';
import { NetworkModel } from '../../src/analysis/network-model';

type Spec = { protocol: string; port?: number | string };

function cells(endpoints: string[], ports: Spec[], allowed: (from: string, to: string, p: number) => boolean): MatrixCell[] {
  const out: MatrixCell[] = [];
  ports.forEach((spec, p) => {
    for (const from of endpoints) {
      for (const to of endpoints) {
        out.push({ from, to, protocol: spec.protocol, port: spec.port, allowed: allowed(from, to, p) });
      }
    }
  });
  return out;
}

describe('ReachabilityMatrix', () => {
  const endpoints = ['a/x', 'a/y'];
  const ports = [{ protocol: 'TCP', port: 53 }, { protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 'http' }];
  const matrix = new ReachabilityMatrix(endpoints, ports, cells(endpoints, ports, (from, to, p) => from === 'a/x' && (p === 1 || to === 'a/y')));

  test('isAllowed looks up one cell', () => {
    expect(matrix.isAllowed('a/x', 'a/y', 'http')).toBe(true);
    expect(matrix.isAllowed('a/y', 'a/x', 'http')).toBe(false);
    expect(matrix.isAllowed('a/x', 'a/x', 'http')).toBe(false);
  });

  test('isAllowed needs an unambiguous port', () => {
    expect(() => matrix.isAllowed('a/x', 'a/y')).toThrow('ReachabilityMatrix.isAllowed(): the matrix has 3 ports (TCP 53, UDP 53, TCP http); name one');
    expect(() => matrix.isAllowed('a/x', 'a/y', 53)).toThrow('ReachabilityMatrix.isAllowed(): port 53 is ambiguous (TCP 53, UDP 53); read the cells instead');
    expect(() => matrix.isAllowed('a/x', 'a/y', 80)).toThrow('port 80 is not in the matrix; its ports are TCP 53, UDP 53, TCP http');
    expect(() => matrix.isAllowed('a/z', 'a/y', 'http')).toThrow('ReachabilityMatrix: a/z is not in the matrix; its endpoints are a/x, a/y');
  });

  test('a single port can be omitted; numeric strings equal numbers', () => {
    const one = new ReachabilityMatrix(endpoints, [{ protocol: 'TCP', port: 80 }], cells(endpoints, [{ protocol: 'TCP', port: 80 }], () => true));
    expect(one.isAllowed('a/x', 'a/y')).toBe(true);
    expect(one.isAllowed('a/x', 'a/y', '80')).toBe(true);
  });

  test('the constructor checks the cells', () => {
    const spec = [{ protocol: 'TCP', port: 80 }];
    expect(() => new ReachabilityMatrix(endpoints, spec, [])).toThrow('ReachabilityMatrix: expected 4 cells (1 ports × 2 × 2 endpoints), got 0');
    const swapped = cells(['a/y', 'a/x'], spec, () => true);
    expect(() => new ReachabilityMatrix(endpoints, spec, swapped)).toThrow(
      'ReachabilityMatrix: cell 0 is a/y -> a/y TCP 80; expected a/x -> a/x TCP 80 (cells go by port, then source, then destination)',
    );
    expect(() => new ReachabilityMatrix(endpoints, [{ port: 80 }], cells(endpoints, [{ protocol: 'TCP', port: 80 }], () => true))).toThrow(
      'ReachabilityMatrix: ports[0].protocol is missing',
    );
  });

  test('toMarkdown: one table per port', () => {
    const model = NetworkModel.fromManifests([
      pod('shop', 'frontend', { app: 'frontend' }, { ip: '10.0.0.1' }),
      pod('shop', 'backend', { app: 'backend' }, { ip: '10.0.0.2' }),
      pod('shop', 'db', { app: 'db' }, { ip: '10.0.0.3' }),
      denyAllIngress('shop'),
      k8sPolicy('shop', 'backend-from-frontend', {
        podSelector: { matchLabels: { app: 'backend' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080 }] }],
      }),
      k8sPolicy('shop', 'db-from-backend', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'backend' } } }], ports: [{ port: 5432 }] }],
      }),
    ]);
    const markdown = model.matrix({ ports: [{ port: 8080 }, { port: 5432 }, { protocol: 'UDP' }], includeExternal: ['ip:203.0.113.1'] }).toMarkdown();
    expect(markdown).toMatchSnapshot();
    // Row frontend on port 8080: backend ✓ (allowed), db ✗, itself ✓ (a pod's traffic to itself is not policed), the address ✓.
    expect(markdown).toContain('| shop/frontend | ✓ | ✗ | ✓ | ✓ |');
    expect(markdown).toContain('| shop/db | ✗ | ✓ | ✗ | ✓ |');
  });
});

describe('ReachabilityMatrix from the model', () => {
  const model = NetworkModel.fromManifests([
    pod('shop', 'a', { app: 'x' }, { ip: '10.0.0.1' }),
    pod('shop', 'b', { app: 'x' }, { ip: '10.0.0.2' }),
    pod('shop', 'c', { app: 'y' }, { ip: '10.0.0.3' }),
    denyAllIngress('shop'),
  ]);

  test('cells are built on first read and agree with isAllowed; allowedCount counts per port or in all', () => {
    const m = model.matrix({ ports: [{ port: 80 }, { protocol: 'UDP', port: 53 }] });
    expect(m.cells).toHaveLength(18);
    expect(m.cells).toBe(m.cells);
    for (const c of m.cells) {
      expect(m.isAllowed(c.from, c.to, c.protocol === 'UDP' ? 53 : 80)).toBe(c.allowed);
    }
    // Only each pod to itself.
    expect(m.allowedCount(80)).toBe(3);
    expect(m.allowedCount()).toBe(6);
    expect(() => m.allowedCount(443)).toThrow('ReachabilityMatrix.allowedCount(): port 443 is not in the matrix; its ports are TCP 80, UDP 53');
  });

  test('membersOf: the endpoints a class row stands for, or the row itself', () => {
    const classes = model.matrix({ granularity: MatrixGranularity.CLASS });
    expect(classes.endpoints).toEqual(['class:0', 'class:1']);
    expect(classes.membersOf('class:0')).toEqual(['shop/a', 'shop/b']);
    expect(classes.isAllowed('class:0', 'class:0')).toBe(false);
    const pods = model.matrix({ includeExternal: ['ip:203.0.113.1'] });
    expect(pods.membersOf('shop/c')).toEqual(['shop/c']);
    expect(pods.membersOf('ip:203.0.113.1')).toEqual(['ip:203.0.113.1']);
    expect(() => pods.membersOf('shop/z')).toThrow('ReachabilityMatrix: shop/z is not in the matrix');
  });

  test('a matrix built from cells reads the same way', () => {
    const m = model.matrix();
    const copy = new ReachabilityMatrix(m.endpoints, m.ports, m.cells);
    expect(copy.toMarkdown()).toBe(m.toMarkdown());
    expect(copy.allowedCount()).toBe(m.allowedCount());
  });
});
