// The Istio versions running while the events play out, to check the upgrade order: ztunnel (and the
// istio-cni node agent) at 1.x work with a control plane at 1.x or 1.x+1, so istiod is upgraded first and
// by one minor at a time (https://istio.io/v1.22/docs/ambient/upgrade/helm-upgrade/, "The ztunnel at
// version 1.x is generally compatible with the control plane at version 1.x+1 and 1.x").
import { compareVersions, minorsBetween } from '../mesh/index.ts';

export class Versions {
  controlPlane: string;
  ztunnel: string;
  /** The version of the waypoint pods istiod rendered last (their template sets their grace period). */
  waypoint: string;

  constructor(installed: string) {
    this.controlPlane = installed;
    this.ztunnel = installed;
    this.waypoint = installed;
  }

  /** istiod moves to `to`; returns the skew violation it causes, if any. */
  upgradeControlPlane(to: string): string | null {
    const from = this.controlPlane;
    this.controlPlane = to;
    const ahead = minorsBetween(this.ztunnel, to);
    return ahead > 1
      ? `version skew: istiod ${to} is ${ahead} minors ahead of ztunnel ${this.ztunnel} (supported: the same or the next minor; upgrade ${from} -> ${to} one minor at a time)`
      : null;
  }

  /** ztunnel moves to `to` (default: istiod's version); returns the violation, if any. */
  upgradeZtunnel(to: string = this.controlPlane): string | null {
    this.ztunnel = to;
    return compareVersions(to, this.controlPlane) > 0
      ? `version skew: ztunnel ${to} is newer than istiod ${this.controlPlane} (upgrade the control plane first)`
      : null;
  }
}
