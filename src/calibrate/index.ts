export { FIGURES, TOLERANCE } from './figures.ts';
export { CALIBRATION_DIR, type CalibrationResults, type CalibrationRow, calibrate } from './run.ts';
export { calibrationTable } from './table.ts';
