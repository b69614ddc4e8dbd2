// Recurrent layers in forward(): their calls give tuples, and what reads the output sequence keeps its edge to the
// layer, directly through shape-only ops that keep the features last, through a node of its own otherwise.
import { strict as assert } from 'node:assert';
import type { Model } from '../../../../src/core/ir/types';
import { parsePython } from '../../../../src/core/parse/python';
import { probeModel } from '../../../../src/core/probe/probe';

const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

function model(text: string, name: string): Model {
  const found = parsePython(text).models.find((candidate) => candidate.name === name);
  assert.ok(found, `no model ${name}`);
  return found;
}

/** Each node as `op:detail` with the positions of its inputs. */
function flow(m: Model): string[] {
  return m.flow.map((node) => {
    const detail = node.op === 'layer' ? m.layers[node.layer!]!.name : node.op === 'opaque' ? node.label : node.op === 'activation' ? node.activation : undefined;
    return `${node.op}${detail ? `:${detail}` : ''}<${node.inputs.join(',')}`;
  });
}

describe('Python front end: PyTorch recurrent layers', function () {
  this.timeout(30_000);

  it('sizes nn.Transformer from its encoder and decoder stacks (by hand, from the weight shapes)', () => {
    const net = model(
      `${HEADER}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.default = nn.Transformer()
        self.small = nn.Transformer(d_model=64, nhead=4, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=128)
        self.custom = nn.Transformer(d_model=64, custom_encoder=Encoder())
`,
      'Net',
    );
    const layer = (name: string) => net.layers.find((candidate) => candidate.name === name)!;
    const attention = (d: number) => 3 * d * d + 3 * d + d * d + d;
    const feedForward = (d: number, ff: number) => d * ff + ff + ff * d + d;
    const encoderLayer = (d: number, ff: number) => attention(d) + feedForward(d, ff) + 2 * 2 * d;
    const decoderLayer = (d: number, ff: number) => 2 * attention(d) + feedForward(d, ff) + 3 * 2 * d;
    // The defaults: six layers each way, d_model 512, dim_feedforward 2048, a final LayerNorm per stack.
    assert.equal(layer('default').params, 6 * encoderLayer(512, 2048) + 6 * decoderLayer(512, 2048) + 2 * 2 * 512);
    assert.equal(layer('default').params, 44_140_544);
    assert.equal(layer('small').params, 2 * encoderLayer(64, 128) + decoderLayer(64, 128) + 2 * 2 * 64);
    assert.equal(layer('custom').params, null);
  });

  it('sizes an LSTM with proj_size and attention with its own key and value sizes (by hand, from the weight shapes)', () => {
    const net = model(
      `${HEADER}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(10, 32, num_layers=2, proj_size=8, bidirectional=True, batch_first=True)
        self.head = nn.Linear(16, 4)
        self.cross = nn.MultiheadAttention(64, 4, kdim=20, vdim=12)
        self.plain = nn.MultiheadAttention(64, 4, bias=False)
        self.bad = nn.LSTM(10, 8, proj_size=8)
        self.gru = nn.GRU(10, 8, proj_size=4)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])
`,
      'Net',
    );
    const layer = (name: string) => net.layers.find((candidate) => candidate.name === name)!;
    // Per direction and layer: weight_ih (4·32 × input), weight_hh (4·32 × 8), two biases of 4·32, weight_hr (8 × 32).
    // The second layer reads both directions' projected outputs, 2·8.
    const direction = (input: number) => 4 * 32 * input + 4 * 32 * 8 + 2 * 4 * 32 + 8 * 32;
    assert.equal(layer('lstm').params, 2 * direction(10) + 2 * direction(16));
    assert.equal(layer('lstm').out, 16);
    // q and out projections 64 × 64, k 64 × 20, v 64 × 12, the packed in-projection bias 3·64 and the out bias 64.
    assert.equal(layer('cross').params, 64 * 64 + 64 * 20 + 64 * 12 + 3 * 64 + 64 * 64 + 64);
    assert.equal(layer('plain').params, 4 * 64 * 64);
    // PyTorch refuses these: their size is unknown.
    assert.deepEqual([layer('bad').params, layer('bad').out, layer('gru').params, layer('gru').out], [null, null, null, null]);
  });

  it('unpacks `out, (h, c) = self.lstm(x)` and keeps the last-step selection between the LSTM and the head', () => {
    const m = model(
      `${HEADER}
class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 32, batch_first=True)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return self.fc(out[:, -1])
`,
      'Classifier',
    );
    assert.deepEqual(flow(m), ['input<', 'layer:lstm<0', 'opaque:index<1', 'layer:fc<2', 'output<3']);
    assert.deepEqual(m.inputShape, [null, 8]);
  });

  it('reads `output, hidden = self.gru(embedded)` into a head through dropout, with a token input', () => {
    const m = model(
      `${HEADER}
class Tagger(nn.Module):
    def __init__(self, vocab=1000):
        super().__init__()
        self.embedding = nn.Embedding(vocab, 64)
        self.gru = nn.GRU(64, 128, batch_first=True)
        self.drop = nn.Dropout(0.2)
        self.head = nn.Linear(128, 9)

    def forward(self, tokens):
        embedded = self.embedding(tokens)
        output, hidden = self.gru(embedded)
        return self.head(self.drop(output))
`,
      'Tagger',
    );
    assert.deepEqual(flow(m), ['input<', 'layer:embedding<0', 'layer:gru<1', 'layer:drop<2', 'layer:head<3', 'output<4']);
    // Token ids of a length the module leaves open, not the vocabulary.
    assert.deepEqual(m.inputShape, [null]);
  });

  it('passes a reshape that keeps the features last and `self.rnn(x)[0]` straight to the next layer', () => {
    const text = `${HEADER}
class Reshaped(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(8, 16, batch_first=True)
        self.fc = nn.Linear(16, 3)

    def forward(self, x):
        y, _ = self.rnn(x)
        y = y.contiguous().reshape(-1, 16)
        return self.fc(y)


class Indexed(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(8, 16, num_layers=2, bidirectional=True)
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        return self.fc(self.gru(x)[0])


class Flattened(nn.Module):
    def __init__(self, steps=10):
        super().__init__()
        self.steps = steps
        self.lstm = nn.LSTM(8, 16, batch_first=True)
        self.fc = nn.Linear(16 * steps, 3)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out.reshape(-1, self.steps * 16))
`;
    assert.deepEqual(flow(model(text, 'Reshaped')), ['input<', 'layer:rnn<0', 'layer:fc<1', 'output<2']);
    assert.deepEqual(flow(model(text, 'Indexed')), ['input<', 'layer:gru<0', 'layer:fc<1', 'output<2']);
    // Steps folded into the features change the last axis: the reshape stays a node of its own.
    assert.deepEqual(flow(model(text, 'Flattened')), ['input<', 'layer:lstm<0', 'opaque:reshape<1', 'layer:fc<2', 'output<3']);
  });

  it('indexes a ModuleList with a loop variable', () => {
    const m = model(
      `${HEADER}
class Stack(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(8, 8) for _ in range(2)])

    def forward(self, x):
        for i in range(2):
            x = F.relu(self.layers[i](x))
        return x
`,
      'Stack',
    );
    assert.deepEqual(flow(m), ['input<', 'layer:layers[*]<0', 'activation:relu<1', 'layer:layers[*]<2', 'activation:relu<3', 'output<4']);
  });

  it('probes a GRU whose output is reshaped into its head', async () => {
    const m = model(
      `${HEADER}
class Sequence(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(8, 16, batch_first=True)
        self.fc = nn.Linear(16, 3)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.fc(out.reshape(-1, 16))
`,
      'Sequence',
    );
    const result = await probeModel(m, { device: 'cpu', loss: null });
    assert.deepEqual(result.layers.map((probed) => probed.name), ['gru', 'fc']);
    assert.deepEqual(result.inputShape, [16, 8]);
  });

  it('records which step a subscript of the output sequence picks, and nothing for the states or other subscripts', () => {
    const m = model(
      `${HEADER}
LAST = -1

class Picks(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 16, batch_first=True)
        self.fc = nn.Linear(16, 1)

    def forward(self, x, t):
        out, (h, c) = self.lstm(x)
        picks = [out[:, -1], out[-1], out[:, 0, :], out[:, LAST], self.lstm(x)[0][:, 2], h[-1], c[0], out[:, 1:], out[:, t], out[..., -1], out.contiguous()[:, -1], out[:, self.fc(x)]]
        return self.fc(out[:, -1])
`,
      'Picks',
    );
    const selects = m.flow.filter((node) => node.label === 'index').map((node) => node.select ?? null);
    assert.deepEqual(selects, [
      { axis: 1, index: -1 },
      { axis: 0, index: -1 },
      { axis: 1, index: 0 },
      { axis: 1, index: -1 },
      { axis: 1, index: 2 },
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      { axis: 1, index: -1 },
    ]);
    // A call inside the subscript is not read, so `fc` is applied once, in the return.
    assert.equal(m.flow.filter((node) => node.op === 'layer' && m.layers[node.layer!]!.name === 'fc').length, 1);
  });
});
