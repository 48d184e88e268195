// One benchmark case of the sim/ kernel in this process; prints one JSON line. Driven by bench/sim.ts.
// Usage: tsx bench/sim-one.ts <hold|hold_n100000|mmc|ps_g16|ps_g64|ps_hop_g16|ps_hop_g64> [seed]
// (bench:sim runs it compiled, dist/bench/sim-one.mjs: bench/bundle.ts).
import { Calendar, exponential, Processor, RandomStreams, ServerQueue } from '../sim/index.ts';

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

/**
 * The processor under a hold-like load: 256 jobs always present on 8 cores (oversubscribed, so every
 * event re-divides the cores), spread evenly over `groups` groups of mixed weights, a quarter of them with
 * a rate limit; each completion starts a job of exponential work in the same group (ps_gN) or in the
 * next group (ps_hop_gN).
 */
function processorHold(groups: number, hop: boolean): Record<string, number> {
  const jobs = 256;
  const cal = new Calendar();
  const rng = streams.stream('processor');
  const work = exponential(0.01);
  const groupOf = new Int32Array(jobs).map((_, i) => i % groups);
  const cpu = new Processor(cal, 8, (token) => {
    // hop: the next step runs in the next group (as a request moves from container to container), so
    // every event changes two groups' allowances and the cores are re-divided
    if (hop) groupOf[token] = (groupOf[token]! + 1) % groups;
    cpu.start(groupOf[token]!, work.sample(rng), token);
  });
  for (let g = 0; g < groups; g++)
    cpu.addGroup(2 + ((g * 997) % 2048), g % 4 === 0 ? 0.5 + (g % 3) : Infinity);
  for (let i = 0; i < jobs; i++) cpu.start(i % groups, work.sample(rng), i);
  const t0 = clock();
  cal.run(5_000);
  const seconds = clock() - t0;
  return {
    events: cal.processed,
    seconds,
    events_per_s: cal.processed / seconds,
    utilisation: cpu.stats(cal.now).utilisation,
  };
}

const result =
  which === 'mmc'
    ? mmc()
    : which.startsWith('ps_')
      ? processorHold(Number(which.split('_g')[1]), which.startsWith('ps_hop'))
      : hold(which === 'hold' ? 1000 : Number(which.split('_n')[1]));
console.log(JSON.stringify({ bench: which, engine: `meshsim-sim-node${process.versions.node}`, ...result }));
