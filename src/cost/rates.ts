// A node's hourly price split into a CPU part and a memory part, as OpenCost does for a node whose price
// is known only as a whole: in the ratio of its default per-unit rates (spec v01,
// https://github.com/opencost/opencost/blob/develop/spec/opencost-specv01.md; rates from
// shared/calibration/SOURCES.md section 6). The split is over the node's capacity, so what the kubelet
// reserves is never allocated and shows up as idle, as in OpenCost.
import { OPENCOST_CPU_PER_HOUR, OPENCOST_GB_PER_HOUR } from '../scenario/catalogue.ts';
import { GB } from './constants.ts';

export interface UnitRates {
  /** $ per core-hour. */
  cpu: number;
  /** $ per byte-hour. */
  memory: number;
}

export function nodeRates(vcpu: number, memory: number, pricePerHour: number): UnitRates {
  const cpuWeight = vcpu * OPENCOST_CPU_PER_HOUR;
  const memoryWeight = (memory / GB) * OPENCOST_GB_PER_HOUR;
  const weight = cpuWeight + memoryWeight;
  if (weight <= 0) return { cpu: 0, memory: 0 };
  return {
    cpu: vcpu > 0 ? (pricePerHour * cpuWeight) / weight / vcpu : 0,
    memory: memory > 0 ? (pricePerHour * memoryWeight) / weight / memory : 0,
  };
}
