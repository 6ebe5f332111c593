import { PROTECTED_NAMESPACES, SYSTEM_NAMESPACES } from '../../src/teams/system-namespaces';

describe('system namespaces', () => {
  test('the four system namespaces of Kubernetes and Calico', () => {
    expect(SYSTEM_NAMESPACES).toEqual(['kube-system', 'calico-system', 'calico-apiserver', 'tigera-operator']);
  });

  test('teams may also not own kube-public and kube-node-lease', () => {
    expect(PROTECTED_NAMESPACES).toEqual([...SYSTEM_NAMESPACES, 'kube-public', 'kube-node-lease']);
  });
});
