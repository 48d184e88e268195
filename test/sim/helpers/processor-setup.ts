// A processor on a fresh calendar that records each completion's token and time.
import { Calendar, Processor } from '../../../sim/index.ts';

export function setup(cores: number) {
  const cal = new Calendar();
  const done: [token: number, at: number][] = [];
  const cpu = new Processor(cal, cores, (token) => done.push([token, cal.now]));
  return { cal, cpu, done };
}
