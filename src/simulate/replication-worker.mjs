// Entry module of run's worker threads. On Node 20 a worker cannot load a .ts entry even under tsx
// (loader hooks do not reach a worker's entry module, shared/TOOLCHAIN.md), so register tsx here first.
import { register } from 'tsx/esm/api';

register();
const { default: replicationJob } = await import('./replication-worker.ts');

export default replicationJob;
