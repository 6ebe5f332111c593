/**
 * Manifests shared by the command-line tests.
 */

/** Namespace `shop` with pods web, api (named port http 8080) and db; only api may reach db on 5432. */
export const SHOP_YAML = `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { app: web } }
spec: { containers: [{ name: main, image: nginx }] }
---
apiVersion: v1
kind: Pod
metadata: { name: api, namespace: shop, labels: { app: api } }
spec: { containers: [{ name: main, image: api, ports: [{ name: http, containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: db, namespace: shop, labels: { app: db } }
spec: { containers: [{ name: main, image: postgres }] }
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: db-from-api, namespace: shop }
spec:
  selector: app == 'db'
  types: [Ingress]
  ingress:
  - action: Allow
    protocol: TCP
    source: { selector: app == 'api' }
    destination: { ports: [5432] }
`;

/** A staged policy that would lock down all ingress of api. */
export const STAGED_LOCKDOWN_YAML = `apiVersion: projectcalico.org/v3
kind: StagedNetworkPolicy
metadata: { name: api-lockdown, namespace: shop }
spec:
  stagedAction: Set
  selector: app == 'api'
  types: [Ingress]
`;

/**
 * RBAC: group security-team may manage policies of tier security; service account be/ci may
 * read pods and their logs in namespace be.
 */
export const RBAC_YAML = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: security-calico }
rules:
- apiGroups: [projectcalico.org]
  resources: [tiers]
  resourceNames: [security]
  verbs: [get]
- apiGroups: [projectcalico.org]
  resources: [tier.networkpolicies, tier.globalnetworkpolicies]
  resourceNames: [security.*]
  verbs: ['*']
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: security-team }
subjects:
- { kind: Group, name: security-team, apiGroup: rbac.authorization.k8s.io }
roleRef: { kind: ClusterRole, name: security-calico, apiGroup: rbac.authorization.k8s.io }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: ci, namespace: be }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: pod-reader, namespace: be }
rules:
- apiGroups: ['']
  resources: [pods, pods/log]
  verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: ci-reads-pods, namespace: be }
subjects:
- { kind: ServiceAccount, name: ci, namespace: be }
roleRef: { kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io }
`;
