export interface Listener {
  readonly port: number;
  /** HTTP, HTTPS, TCP, TLS, UDP, SSL … */
  readonly protocol: string;
  /** The lowest TLS version the listener's security policy accepts (`1.0` … `1.3`); null for plain listeners. */
  readonly minTls: string | null;
  readonly sslPolicy: string | null;
  /** An HTTP listener whose default action redirects to HTTPS. */
  readonly redirectsToHttps: boolean;
}

export interface LoadBalancer {
  readonly id: string;
  readonly name: string;
  readonly type: 'application' | 'network' | 'gateway' | 'classic';
  readonly scheme: string;
  readonly listeners: readonly Listener[];
  readonly accessLogs: boolean;
  /** null where the type has no such attribute (classic load balancers). */
  readonly deletionProtection: boolean | null;
  /** Application load balancers only. */
  readonly dropInvalidHeaders: boolean | null;
  readonly desyncMitigation: string | null;
  /** Web ACL protecting an application load balancer; undefined when unknown (WAF could not be read). */
  readonly webAcl?: string | null;
}

export interface ElbLoadBalancersSnapshot {
  readonly loadBalancers: readonly LoadBalancer[];
  /** Why classic load balancers or a web ACL association could not be read; those checks report the gap. */
  readonly gaps: { readonly classic?: string; readonly webAcls?: string };
}
