/**
 * The page's side of the training worker (`trainer.worker.ts`): the settings both networks
 * share, the protocol of the worker's two commands, and {@link Trainer}, one worker per network
 * (the decay and the no-decay network train at once, on two threads) that Cancel terminates.
 */
import { proxy, type Remote, transfer, wrap } from 'comlink';

/**
 * The networks' settings: E1's (src/experiments/e1.ts, section 4.2 of the paper) on a
 * 2-{hidden}-C linear network, where C is the number of classes.
 *
 * With one hidden node the network sees a single direction of the plane: every point on a line
 * gives the class's output, so without decay a generated sample stays wherever on that line its
 * random start put it (Theorem 1); with decay it settles on one point of the line, near the
 * class. With two or more hidden nodes the plane has no unseen direction and both networks
 * land on one point.
 */
export const SETTINGS = {
  /** Hidden nodes (the URL's `h`); 1 leaves a line of solutions in the plane. */
  hidden: 1,
  tau: 0.05,
  gamma: 0.1,
  dt: 0.001,
  /**
   * Start with W = Mᵀ (the URL's `tied`; section 4.3 does so for its untrained network). The
   * learning rules (2.9, 2.10) change W and Mᵀ alike, so W = Mᵀ then holds throughout and
   * generation is the ascent on F: without decay a sample stays on its line. With independent
   * initial weights and no decay, W keeps its initial difference from Mᵀ, and generation can
   * run away along the line (we measured it on the example after 12 passes).
   */
  tiedInit: true,
  /** The paper's batches of 20: 20 pairs simulated at once, sharing the weights. */
  batch: 20,
  /** Simulated seconds each batch is held. */
  holdSeconds: 2,
  /**
   * Samples presented in training, whatever the data set's size: 30 batches of 20 (E1's 10
   * epochs of 60 points). Much longer without weight decay and W drifts from Mᵀ until
   * generation runs off along the line (we measured it at 20 epochs).
   */
  samplesShown: 600,
  /** λM = λW of the decay network while learning (E1: 0.05); the other has 0. */
  weightDecay: 0.05,
  /** λx of the decay network while generating (E1: 0.05); the other has 0. */
  activityDecay: 0.05,
  /** Simulated seconds of generation (E1: 10). */
  generateSeconds: 10,
  /** Generation starts from states and errors ~ N(0, initStd²) (E1: 1). */
  initStd: 1,
  /** Samples generated per class (E1: 150; 50 keep the page light). */
  perClass: 50,
  /** Simulated seconds a classification settles (for the accuracy shown). */
  classifySeconds: 2,
  /** Frames of the settling shown while generating. */
  frames: 20,
};

export type Settings = typeof SETTINGS;

/** One network to train: the data (scaled, count × 2) and whether it decays. */
export interface TrainJob {
  inputs: Float32Array;
  labels: Uint8Array;
  classes: number;
  decay: boolean;
  seed: number;
  settings: Settings;
}

export interface TrainResult {
  /** Fraction of the training points the trained network classifies right. */
  accuracy: number;
  /** Simulated seconds of training. */
  seconds: number;
}

/** What the worker exposes (`trainer.worker.ts`). */
export interface TrainerApi {
  /** Trains a new network; `onProgress(fraction)` now and then. */
  train(job: TrainJob, onProgress: (fraction: number) => void): TrainResult;
  /**
   * Generates `perClass` samples of every class from the trained network, calling `onFrame`
   * with the inputs x(1) (classes·perClass × 2, the class of sample i is ⌊i / perClass⌋; the
   * buffer is the receiver's) `frames` times as they settle. Returns the last, and the
   * divergence message if the dynamics ran off (the last finite state is returned then).
   */
  generate(seed: number, onFrame: (x: Float32Array, time: number) => void): Generated;
}

/** The generated inputs x(1) at simulated `time`. */
export interface Generated {
  x: Float32Array;
  time: number;
  diverged?: string;
}

/** Thrown out of a {@link Trainer}'s call when Cancel ended its worker. */
export class CancelledError extends Error {
  override name = 'CancelledError';
}

/**
 * One network's worker. A call runs until it returns or {@link cancel}, which terminates the
 * worker at once (training is one synchronous loop that no message can interrupt) and rejects
 * the pending call; the next call starts a fresh worker, without the trained network.
 */
export class Trainer {
  private worker: Worker | null = null;
  private remote: Remote<TrainerApi> | null = null;
  private abort = new AbortController();

  private api(): Remote<TrainerApi> {
    if (!this.remote) {
      this.worker = new Worker(new URL('./trainer.worker.ts', import.meta.url), {
        type: 'module',
      });
      this.remote = wrap<TrainerApi>(this.worker);
    }
    return this.remote;
  }

  /** Whether a network was trained in the current worker. */
  trained = false;

  async train(job: TrainJob, onProgress: (fraction: number) => void): Promise<TrainResult> {
    this.trained = false;
    const inputs = job.inputs.slice();
    const labels = job.labels.slice();
    // The copies go to the worker (transferred: this side no longer holds them).
    const call = this.api().train(
      transfer({ ...job, inputs, labels }, [inputs.buffer, labels.buffer]),
      proxy(onProgress),
    );
    const result = await this.race(call);
    this.trained = true;
    return result;
  }

  generate(seed: number, onFrame: (x: Float32Array, time: number) => void): Promise<Generated> {
    return this.race(this.api().generate(seed, proxy(onFrame)));
  }

  /** Ends the worker and whatever it was doing. */
  cancel(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
    this.trained = false;
  }

  private race<T>(call: Promise<T>): Promise<T> {
    const { signal } = this.abort;
    return new Promise<T>((resolve, reject) => {
      const cancelled = () => reject(new CancelledError('cancelled'));
      signal.addEventListener('abort', cancelled, { once: true });
      call.then(resolve, reject).finally(() => signal.removeEventListener('abort', cancelled));
    });
  }
}
