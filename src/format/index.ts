export { count, D3_NUMBER_FORMAT, formatNumber, SIGNIFICANT_DIGITS } from './numbers.ts';
