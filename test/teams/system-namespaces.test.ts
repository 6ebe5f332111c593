import { CALICO_NAMESPACE_NAME_LABEL, namespaceNameSelector, PROTECTED_NAMESPACES, SYSTEM_NAMESPACES } from '../../src/teams/system-namespaces';

describe('system namespaces', () => {
  test('the four system namespaces of Kubernetes and Calico', () => {
    expect(SYSTEM_NAMESPACES).toEqual(['kube-system', 'calico-system', 'calico-apiserver', 'tigera-operator']);
  });

  test('teams may also not own kube-public and kube-node-lease', () => {
    expect(PROTECTED_NAMESPACES).toEqual([...SYSTEM_NAMESPACES, 'kube-public', 'kube-node-lease']);
  });

  test('namespaceNameSelector() uses the label Calico gives every namespace', () => {
    expect(CALICO_NAMESPACE_NAME_LABEL).toBe('projectcalico.org/name');
    expect(namespaceNameSelector(['kube-system']).toString()).toBe('projectcalico.org/name == "kube-system"');
    expect(namespaceNameSelector(['b', 'a']).toString()).toBe('projectcalico.org/name in {"a", "b"}');
  });
});
