import { parseCalicoPort, readK8sPolicyPort } from '../../src/core/ports';

describe('readK8sPolicyPort (Kubernetes ValidateNetworkPolicyPort)', () => {
  test('no port, a number, a range and a name', () => {
    expect(readK8sPolicyPort(undefined, undefined)).toEqual({});
    expect(readK8sPolicyPort(null, null)).toEqual({});
    expect(readK8sPolicyPort(80, undefined)).toEqual({ port: { kind: 'range', min: 80, max: 80, text: '80' } });
    expect(readK8sPolicyPort(8000, 8080)).toEqual({ port: { kind: 'range', min: 8000, max: 8080, text: '8000:8080' } });
    expect(readK8sPolicyPort(80, 80)).toEqual({ port: { kind: 'range', min: 80, max: 80, text: '80' } });
    expect(readK8sPolicyPort('http', undefined)).toEqual({ port: { kind: 'name', name: 'http', text: 'http' } });
  });

  test('problems name port or endPort', () => {
    expect(readK8sPolicyPort(0, undefined)).toEqual({ field: 'port', problem: '0 is not a valid port number; use an integer from 1 to 65535' });
    expect(readK8sPolicyPort(65536, undefined)).toMatchObject({ field: 'port' });
    expect(readK8sPolicyPort(1.5, undefined)).toMatchObject({ field: 'port' });
    expect(readK8sPolicyPort(80, 79)).toEqual({ field: 'endPort', problem: 'endPort 79 is not valid; use an integer from port (80) to 65535' });
    expect(readK8sPolicyPort(80, 65536)).toMatchObject({ field: 'endPort' });
    expect(readK8sPolicyPort(undefined, 90)).toEqual({ field: 'endPort', problem: 'endPort may not be specified without a numeric port (the start of the range)' });
    expect(readK8sPolicyPort('http', 90)).toEqual({ field: 'endPort', problem: 'endPort may not be specified with a named port; use a numeric port' });
    expect(readK8sPolicyPort('80', undefined)).toMatchObject({ field: 'port', problem: 'port name "80" must contain at least one letter (a number is a port number)' });
    expect(readK8sPolicyPort(true, undefined)).toEqual({ field: 'port', problem: 'expected a port number or a port name, got true' });
  });

  test('Calico rule ports read numbers 1-65535 only', () => {
    expect(parseCalicoPort(0)).toEqual({ problem: '0 is not a valid port number; use an integer from 1 to 65535' });
    expect(parseCalicoPort('1:65535')).toEqual({ port: { kind: 'range', min: 1, max: 65535, text: '1:65535' } });
  });
});
