/**
 * Pods of each owner per zone and per node, for topology spreading. The per-node counts of the owner being
 * scheduled sit in one dense array so the node scan reads them directly; the others are kept sparse (a
 * Deployment touches few of 1,000 nodes) and swapped in when the owner changes, which in deploy order is
 * once per owner.
 */
export class OwnerSpread {
  /** Pods of the selected owner on each node. */
  readonly perNode: Int32Array;
  /** Pods of the selected owner in each zone. */
  perZone: Int32Array;
  private readonly zones = new Map<string, Int32Array>();
  private readonly nodes = new Map<string, Map<number, number>>();
  private current: Map<number, number>;
  private owner: string | null = null;

  constructor(
    nodeCount: number,
    private readonly zoneCount: number,
  ) {
    this.perNode = new Int32Array(nodeCount);
    this.perZone = new Int32Array(zoneCount);
    this.current = new Map();
  }

  select(owner: string): void {
    if (owner === this.owner) return;
    for (const n of this.current.keys()) this.perNode[n] = 0;
    this.owner = owner;
    let nodes = this.nodes.get(owner);
    if (!nodes) this.nodes.set(owner, (nodes = new Map()));
    for (const [n, count] of nodes) this.perNode[n] = count;
    this.current = nodes;
    let zones = this.zones.get(owner);
    if (!zones) this.zones.set(owner, (zones = new Int32Array(this.zoneCount)));
    this.perZone = zones;
  }

  /** Count a pod of the selected owner on node `n` in zone `z`. */
  add(n: number, z: number): void {
    this.perNode[n]! += 1;
    this.perZone[z]! += 1;
    this.current.set(n, this.perNode[n]!);
  }
}
