// Time and size units of the cost model.

/** Hours in a billing month, as the price tables in shared/calibration/SOURCES.md section 6 count them. */
export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
export const GiB = 1024 ** 3;
/** OpenCost's rates are per GB (10^9 bytes), like the catalogue's openCostPrice. */
export const GB = 1e9;
