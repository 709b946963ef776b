#!/usr/bin/python3
"""Real PyTorch against Research's language models, both directions (docs/interop.md).

The reference model is plain PyTorch: Embedding -> nn.LSTM -> Linear, named encoder / rnn / decoder as
Research's LanguageModel names them, so a state_dict moves between the two one to one. Without encoder.weight it is
the char model (one-hot input, model.input: one_hot); with --tied (make) or equal encoder and decoder matrices
(check) the decoder shares the embedding matrix (model.tied).

  check   WEIGHTS.pt IO.pt  load a state_dict Research exported, run it on IO.pt's "tokens" [T, B] and compare
                            the logits [T, B, V] with IO.pt's "logits" (Research's): max |difference| <= --tolerance.
  make    WEIGHTS.pt IO.pt  build the model in PyTorch with --seed, save its state_dict to WEIGHTS.pt, and write
                            random "tokens" and PyTorch's "logits" to IO.pt for Research to reproduce (model.init_from).

Exit 0 when the check holds (or the files are written), 1 when logits differ, 2 on bad input. Needs Debian's
python3-torch (1.13); run it with /usr/bin/python3, which has it.
"""
import argparse
import sys

import torch
from torch import nn


class WordLanguageModel(nn.Module):
    """embedding None: one-hot input of the vocabulary size (no encoder); tied: decoder.weight is encoder.weight."""

    def __init__(self, vocabulary, embedding, hidden, layers, tied=False):
        super().__init__()
        self.vocabulary = vocabulary
        self.encoder = None if embedding is None else nn.Embedding(vocabulary, embedding)
        self.rnn = nn.LSTM(vocabulary if embedding is None else embedding, hidden, layers)
        self.decoder = nn.Linear(hidden, vocabulary)
        if tied:
            self.decoder.weight = self.encoder.weight

    def forward(self, tokens):
        x = nn.functional.one_hot(tokens, self.vocabulary).float() if self.encoder is None else self.encoder(tokens)
        output, _ = self.rnn(x)
        return self.decoder(output)

    @staticmethod
    def sizes_of(state):
        vocabulary = state["decoder.weight"].shape[0]
        embedding = state["encoder.weight"].shape[1] if "encoder.weight" in state else None
        hidden = state["rnn.weight_hh_l0"].shape[1]
        layers = sum(1 for name in state if name.startswith("rnn.weight_ih_l"))
        tied = "encoder.weight" in state and torch.equal(state["encoder.weight"], state["decoder.weight"])
        return vocabulary, embedding, hidden, layers, tied


def check(args):
    state = torch.load(args.weights)
    model = WordLanguageModel(*WordLanguageModel.sizes_of(state))
    model.load_state_dict(state, strict=True)  # every name and shape must match
    model.eval()
    io = torch.load(args.io)
    with torch.no_grad():
        logits = model(io["tokens"].long())
    ours = io["logits"]
    if logits.shape != ours.shape:
        print(f"check: logits shape {list(logits.shape)} from PyTorch, {list(ours.shape)} from Research")
        return 1
    difference = (logits.double() - ours.double()).abs().max().item()
    verdict = "ok" if difference <= args.tolerance else "DIFFERENT"
    print(f"check: PyTorch {torch.__version__} loaded {len(state)} tensors; logits {list(logits.shape)}, "
          f"max |PyTorch - Research| = {difference:.3g} (tolerance {args.tolerance:g}): {verdict}")
    return 0 if difference <= args.tolerance else 1


def make(args):
    torch.manual_seed(args.seed)
    embedding = None if args.input == "one_hot" else args.embedding
    model = WordLanguageModel(args.vocabulary, embedding, args.hidden, args.layers, tied=args.tied)
    model.eval()
    tokens = torch.randint(0, args.vocabulary, (args.steps, args.batch))
    with torch.no_grad():
        logits = model(tokens)
    torch.save(model.state_dict(), args.weights)
    torch.save({"tokens": tokens, "logits": logits.contiguous()}, args.io)
    print(f"make: PyTorch {torch.__version__} wrote {len(model.state_dict())} tensors to {args.weights}; "
          f"tokens {list(tokens.shape)} and logits {list(logits.shape)} to {args.io}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("check")
    c.add_argument("weights")
    c.add_argument("io")
    c.add_argument("--tolerance", type=float, default=1e-5)
    m = sub.add_parser("make")
    m.add_argument("weights")
    m.add_argument("io")
    m.add_argument("--vocabulary", type=int, default=50)
    m.add_argument("--embedding", type=int, default=16)
    m.add_argument("--hidden", type=int, default=24)
    m.add_argument("--layers", type=int, default=2)
    m.add_argument("--steps", type=int, default=7)
    m.add_argument("--batch", type=int, default=3)
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--input", choices=["embedding", "one_hot"], default="embedding")
    m.add_argument("--tied", action="store_true", help="decoder.weight is encoder.weight (needs embedding = hidden)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    return check(args) if args.mode == "check" else make(args)


if __name__ == "__main__":
    sys.exit(main())
