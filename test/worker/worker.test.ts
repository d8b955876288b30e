import { expect } from '@open-wc/testing';
import { filter, firstValueFrom } from 'rxjs';
import { Network, type NetworkSpecInput, resolveSpec } from '../../src/index';
import {
  LocalSimulation,
  type SessionHost,
  SimulationClient,
  type SimulationLink,
  SimulationSession,
  type Snapshot,
} from '../../src/worker/index';

const spec: NetworkSpecInput = { layers: [10, 5, 3], activation: 'tanh', seed: 11, dt: 0.002 };
const input = [0.5, -1, 0.25, 1.5, 0, -0.75, 1, 0.1, -0.2, 0.3];

const bits = (a: Float32Array): number[] =>
  Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What a rejected promise was rejected with. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('SimulationClient: a simulation in a real worker', () => {
  let client: SimulationClient;
  afterEach(() => client.terminate());

  it('steps 100 ticks bit for bit like a Network on the main thread', async () => {
    client = new SimulationClient();
    const info = await client.create(spec);
    expect(info.spec.layers).to.deep.equal([10, 5, 3]);
    await client.setInput(input);
    await client.clampNode(1, 3, 0.25);
    const snap = await client.step(100);

    const net = new Network(spec);
    net.setInput(input);
    net.clampNode(1, 3, 0.25);
    net.step(100);
    expect(snap.tick).to.equal(100);
    expect(snap.time).to.equal(net.time);
    expect(snap.energy).to.equal(net.energy());
    for (let l = 0; l < 3; l++) {
      expect(bits(snap.states[l]), `x(${l})`).to.deep.equal(bits(net.x(l)));
      expect(bits(snap.errors[l]), `eps(${l})`).to.deep.equal(bits(net.eps(l)));
    }
  });

  it('plays at max, sends throttled snapshots, and pauses on command', async () => {
    client = new SimulationClient({ fps: 20 });
    const snaps: Snapshot[] = [];
    client.snapshot$.subscribe((s) => snaps.push(s));
    await client.create(spec);
    await client.setInput(input);
    await sleep(100);
    snaps.length = 0;
    const t0 = performance.now();
    await client.play('max');
    await sleep(600);
    const rtt = await client.ping();
    await client.pause();
    const elapsed = performance.now() - t0;
    const paused = await client.snapshot();
    await sleep(200);
    const ticks = snaps.map((s) => s.tick);
    // At most 20 a second (plus the one sent on pause), each newer than the last.
    expect(snaps.length).to.be.within(4, Math.ceil((elapsed / 1000) * 20) + 2);
    expect(ticks).to.deep.equal([...ticks].sort((a, b) => a - b));
    expect(paused.running).to.equal(false);
    expect(paused.tick).to.be.above(10_000); // it ran flat out meanwhile
    expect(snaps.at(-1)!.tick).to.equal(paused.tick);
    expect(rtt).to.be.below(100); // commands get through while it plays
    expect((await client.snapshot()).tick).to.equal(paused.tick);
  });

  it('rejects a bad spec naming the field, and keeps the last good network', async () => {
    client = new SimulationClient();
    await client.create(spec);
    await client.step(5);
    const e = await rejection(client.create({ layers: [10, 5, 3], dt: -1 }));
    expect(e.name).to.equal('SpecError');
    expect(e.message).to.match(/^dt must be a finite number greater than 0, got -1/);
    expect((await rejection(client.clampNode(7, 0, 1))).message).to.match(/layer must be/);
    expect((await client.step(5)).tick).to.equal(10);
  });

  it('rejects a step that diverges and keeps the last finite state', async () => {
    client = new SimulationClient();
    await client.create({ layers: [3, 3], dt: 0.2, tau: 0.05, divergenceLimit: 1e3 });
    await client.setInput([1, 1, 1]);
    const e = await rejection(client.step(1000));
    expect(e.name).to.equal('DivergenceError');
    const snap = await client.snapshot();
    expect(e.message).to.contain(`diverged at tick ${snap.tick + 1}`);
    for (const x of snap.states) for (const v of x) expect(Math.abs(v)).to.be.at.most(1e3);
  });

  it('saves and loads weights as safetensors', async () => {
    client = new SimulationClient();
    await client.create({ ...spec, mode: 'train', lambdaM: 0.05 });
    await client.setInput(input);
    await client.setTargetClass(2);
    await client.step(50);
    const bytes = await client.save();
    const info = await client.load(bytes);
    expect(info.spec.mode).to.equal('train');
    await rejection(client.load(new Uint8Array([1, 2, 3])));
    expect((await client.snapshot()).tick).to.equal(0); // the loaded network, kept
  });

  it('sends M and W once per change within weightLimit, or when asked', async () => {
    client = new SimulationClient({ weightLimit: 200 });
    const info = await client.create({ ...spec, mode: 'train' });
    await client.setInput(input);
    const stepped = await client.step(5);
    const net = new Network({ ...spec, mode: 'train' });
    net.setInput(input);
    net.step(5);
    expect(stepped.weightsVersion).to.equal(info.weightsVersion + 5); // one per train tick
    expect(stepped.weights!.M.map(bits)).to.deep.equal(net.M.map(bits));
    expect(stepped.weights!.W.map(bits)).to.deep.equal(net.W.map(bits));
    expect(Array.from(stepped.X)).to.deep.equal(Array.from(net.X));
    expect((await client.snapshot()).weights).to.equal(null); // unchanged since sent
    await client.setMode('classify');
    expect((await client.step(5)).weights).to.equal(null); // classify mode learns nothing
    const asked = await client.snapshot({ weights: true });
    expect(asked.weights!.M.map(bits)).to.deep.equal(net.M.map(bits));

    const small = new SimulationClient(); // weightLimit 0: only when asked
    try {
      await small.create({ ...spec, mode: 'train' });
      expect((await small.step(1)).weights).to.equal(null);
    } finally {
      small.terminate();
    }
  });

  it('restores a snapshot into a new network, which goes on bit for bit', async () => {
    client = new SimulationClient();
    await client.create({ ...spec, mode: 'train' });
    await client.setInput(input);
    await client.clampNode(1, 0, -0.5);
    const mid = await client.step(40);
    const { weights } = await client.snapshot({ weights: true });
    await client.create({ ...spec, mode: 'train' }, 1, weights!);
    await client.setInput(input);
    await client.clampNode(1, 0, -0.5);
    const { states, errors, tick, time, equilibrium } = mid;
    await client.restore({ states, errors, tick, time, equilibrium });
    const restored = await client.snapshot();
    expect([restored.tick, restored.time, restored.clamped[1]]).to.deep.equal([40, time, [0]]);
    const after = await client.step(30);

    const net = new Network({ ...spec, mode: 'train' });
    net.setInput(input);
    net.clampNode(1, 0, -0.5);
    net.step(70);
    expect(after.tick).to.equal(70);
    for (let l = 0; l < 3; l++) {
      expect(bits(after.states[l]), `x(${l})`).to.deep.equal(bits(net.x(l)));
      expect(bits(after.errors[l]), `eps(${l})`).to.deep.equal(bits(net.eps(l)));
    }
    const e = await rejection(client.restore({ ...mid, states: mid.states.slice(1) }));
    expect(e.message).to.match(/states do not fit a network of layers 10-5-3/);
    await client.feedForward(); // the classify-mode equilibrium, as Network computes it
    net.feedForward();
    const fed = await client.snapshot();
    for (let l = 0; l < 3; l++) expect(bits(fed.states[l])).to.deep.equal(bits(net.x(l)));
  });

  it('detects a crash, rejects pending calls, and restarts', async () => {
    client = new SimulationClient();
    await client.create(spec);
    const failed = firstValueFrom(client.event$.pipe(filter((e) => e.type === 'failed')));
    const pending = client.step(10_000_000);
    await client.crashForTest();
    expect((await failed).message).to.match(/simulation worker crashed: .*crashForTest/);
    expect((await rejection(pending)).message).to.match(/simulation worker crashed/);
    expect(client.alive).to.equal(false);
    expect((await rejection(client.step(1))).name).to.equal('WorkerFailedError');
    const info = await client.restart();
    expect(info?.spec.layers).to.deep.equal([10, 5, 3]);
    expect((await client.step(3)).tick).to.equal(3);
  });

  it('runs a long step in slices that pause, reset, play and a new network end', async () => {
    client = new SimulationClient();
    await client.create(spec);
    await client.setInput(input);
    const t0 = performance.now();
    const long = client.step(1e9);
    await sleep(300);
    const mid = await client.snapshot(); // answered between slices
    expect(mid.tick).to.be.above(100);
    await client.pause();
    const paused = await long;
    expect(performance.now() - t0).to.be.below(1000);
    expect(paused.tick).to.be.within(mid.tick, 1e8);
    expect(paused.running).to.equal(false);

    const queued = [client.step(1e9), client.step(1e9)]; // the second waits for the first
    await sleep(100);
    await client.reset();
    const [first, second] = await Promise.all(queued);
    expect(first.tick).to.be.below(1e8);
    expect(second.tick).to.equal(first.tick); // ended before it started
    expect((await client.snapshot()).tick).to.equal(0);

    const played = client.step(1e9);
    await sleep(50);
    await client.play(100);
    expect((await played).tick).to.be.below(1e8);
    expect((await client.snapshot()).running).to.equal(true); // playing, at 100 a second
    await client.pause();

    const replaced = client.step(1e9);
    await sleep(50);
    await client.create(spec);
    expect((await replaced).tick).to.equal(0); // the new network's
  });

  it('runs short steps whole and in order, before the next command', async () => {
    client = new SimulationClient();
    await client.create(spec);
    const steps = [client.step(5), client.step(7)];
    const snap = client.snapshot();
    expect((await Promise.all(steps)).map((s) => s.tick)).to.deep.equal([5, 12]);
    expect((await snap).tick).to.equal(12);
  });

  it('refuses a network over its memory budget before building it', async () => {
    client = new SimulationClient();
    await client.create(spec);
    await client.step(3);
    const e = await rejection(
      client.create({ layers: [20000, 20000] }, 1, undefined, { memoryBudget: 512 }),
    );
    expect(e.name).to.equal('MemoryBudgetError');
    expect(e.message).to.match(
      /^layers 20000-20000 need 30\d\d MiB; the memory budget is 512 MiB \(memory-budget\)$/,
    );
    expect((await client.step(2)).tick).to.equal(5); // the last good network, kept
    const within = await client.create(spec, 1, undefined, { memoryBudget: 1 });
    expect(within.spec.layers).to.deep.equal([10, 5, 3]);
  });

  it('does not take a worker building a large network for hung', async () => {
    client = new SimulationClient({ heartbeatMs: 50, pingTimeoutMs: 100 });
    await client.create(spec); // the worker has loaded (a ping before might time out)
    await sleep(120); // the heartbeat has started
    const t0 = performance.now();
    const info = await client.create({ layers: [4000, 4000] });
    const took = performance.now() - t0;
    expect(took, 'the build must outlast the ping timeout to test it').to.be.above(250);
    expect(info.spec.layers).to.deep.equal([4000, 4000]);
    await sleep(300);
    expect(client.alive).to.equal(true);
    expect((await client.step(1)).tick).to.equal(1);
  });

  it('detects a worker that does not answer a ping, and restarts', async () => {
    client = new SimulationClient({ pingTimeoutMs: 200 });
    await client.create(spec);
    const hung = client.hangForTest(5000);
    const e = await rejection(client.ping());
    expect(e.message).to.equal('simulation worker did not answer a ping within 200 ms');
    expect((await rejection(hung)).message).to.equal(e.message);
    await client.restart();
    expect(await client.ping()).to.be.below(200);
  });
});

describe('SimulationSession: one session over a worker or this thread', () => {
  const links: Record<string, () => SimulationLink> = {
    worker: () => new SimulationClient(),
    main: () => new LocalSimulation(),
  };
  for (const [engine, connect] of Object.entries(links)) {
    it(`steps, restores after a reconnect and goes on bit for bit (${engine})`, async () => {
      const made: SimulationLink[] = [];
      const frames: number[] = [];
      const host: SessionHost = {
        changed: () => undefined,
        snapshotWaiting: () => undefined,
        frame: (s) => frames.push(s.tick),
        diverged: () => undefined,
        failed: (message) => expect.fail(message),
      };
      const session = new SimulationSession(resolveSpec(spec), host, {
        connect: () => {
          made.push(connect());
          return made[made.length - 1];
        },
      });
      session.connect();
      session.setInput(input);
      session.clampNode(1, 3, 0.25);
      session.step(30);
      await session.settled();
      const net = new Network(spec);
      net.setInput(input);
      net.clampNode(1, 3, 0.25);
      net.step(30);
      const same = () =>
        session.snapshot.x.forEach((x, l) => expect(bits(x)).to.deep.equal(bits(net.x(l))));
      expect(session.snapshot.tick).to.equal(30);
      same();
      expect(frames.at(-1)).to.equal(30);

      session.disconnect();
      await sleep(50);
      expect(made.map((l) => l.alive)).to.deep.equal([false]);
      session.connect();
      session.step(20);
      await session.settled();
      net.step(20);
      expect(session.snapshot.tick).to.equal(50);
      same();
      expect(made).to.have.length(2);
      session.disconnect();
      await sleep(50);
      expect(made.every((l) => !l.alive)).to.equal(true);
    });
  }
});
