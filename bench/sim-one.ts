// One benchmark case of the sim/ kernel in this process; prints one JSON line. Driven by bench/sim.ts.
// Usage: tsx bench/sim-one.ts <hold|hold_n100000|mmc> [seed]
import { Calendar, exponential, RandomStreams, ServerQueue } from '../sim/index.ts';

const [which = 'hold', seedArg = '1'] = process.argv.slice(2);
const streams = new RandomStreams(seedArg);
const clock = () => Number(process.hrtime.bigint()) / 1e9;

function hold(n: number): Record<string, number> {
  const cal = new Calendar(n);
  const rng = streams.stream('hold');
  const exp = exponential(1);
  const id = cal.on((i) => {
    cal.schedule(exp.sample(rng), id, i);
  });
  for (let i = 0; i < n; i++) cal.schedule(exp.sample(rng), id, i);
  const t0 = clock();
  const cpu0 = process.cpuUsage();
  cal.run(2e6 / n);
  const seconds = clock() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    events: cal.processed,
    seconds,
    events_per_s: cal.processed / seconds,
    cpu_seconds: cpuSeconds,
    events_per_cpu_s: cal.processed / cpuSeconds,
  };
}

function mmc(): Record<string, number> {
  const customers = 1_000_000;
  const cal = new Calendar();
  const arrivals = streams.stream('arrivals');
  const services = streams.stream('services');
  const interarrival = exponential(1 / 3.6);
  const service = exponential(1);
  let arrived = 0;
  let done = 0;
  const depart = cal.on(() => {
    done++;
    queue.release();
  });
  const queue = new ServerQueue(cal, 4, (token) => {
    cal.schedule(service.sample(services), depart, token);
  });
  const arrive = cal.on(() => {
    const token = arrived++;
    if (queue.acquire(token) === 0) cal.schedule(service.sample(services), depart, token);
    if (arrived < customers) cal.schedule(interarrival.sample(arrivals), arrive, 0);
  });
  cal.schedule(interarrival.sample(arrivals), arrive, 0);
  const t0 = clock();
  cal.run();
  const seconds = clock() - t0;
  const s = queue.stats(cal.now);
  return {
    customers: done,
    events: cal.processed,
    seconds,
    events_per_s: cal.processed / seconds,
    customers_per_s: done / seconds,
    mean_wait: s.waits.mean,
    mean_wait_theory: 1.969, // Erlang C for c = 4, lambda = 3.6, mu = 1
  };
}

const result = which === 'mmc' ? mmc() : hold(which === 'hold' ? 1000 : Number(which.split('_n')[1]));
console.log(JSON.stringify({ bench: which, engine: `meshsim-sim-node${process.versions.node}`, ...result }));
